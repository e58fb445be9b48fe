"""The inspecteur's filters on the audit trail."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from inspection.selectors.trail import action_groups
from meldcode.input_limits import BoundedForm
from meldcode.models import Role


class TrailFilterForm(BoundedForm):
    school = forms.ChoiceField(label=_("School"), required=False)
    soort = forms.ChoiceField(label=_("Soort handeling"), required=False)
    rol = forms.ChoiceField(label=_("Rol"), required=False,
                            choices=[("", _("Alle rollen")), *Role.choices])
    van = forms.DateField(label=_("Van"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}))
    tot = forms.DateField(label=_("Tot en met"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data, *, grant):
        super().__init__(data)
        self.grant = grant
        self.fields["school"].choices = [("", _("Alle scholen")),
                                         *((str(s.pk), s.name) for s in grant.schools.all())]
        self.fields["soort"].choices = [("", _("Alles")),
                                        *((g, g.rstrip(".")) for g in action_groups())]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("van") and cleaned.get("tot") and cleaned["van"] > cleaned["tot"]:
            self.add_error("tot", _("De einddatum ligt vóór de begindatum."))
        return cleaned

    def filters(self) -> dict:
        """What to select; an invalid field is left out (and its error shown)."""
        data = self.cleaned_data if self.is_valid() else {
            k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors}
        schools = [s.pk for s in self.grant.schools.all()]
        chosen = data.get("school")
        if chosen:
            schools = [pk for pk in schools if str(pk) == chosen]
        return {"school_ids": schools, "start": data.get("van"), "end": data.get("tot"),
                "action": data.get("soort") or "", "role": data.get("rol") or ""}

"""The access-log search of the bestuur (NEN 7513 review)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from audit.models import AccessKind, AccessOutcome
from audit.selectors.access import AccessFilter
from meldcode.input_limits import BoundedForm


class AccessSearchForm(BoundedForm):
    persoon = forms.ModelChoiceField(label=_("Persoon"), queryset=None, required=False,
                                     empty_label=_("Iedereen"))
    soort = forms.ChoiceField(label=_("Soort"), required=False,
                              choices=[("", _("Alle soorten")), *AccessKind.choices])
    uitkomst = forms.ChoiceField(label=_("Uitkomst"), required=False,
                                 choices=[("", _("Alle uitkomsten")), *AccessOutcome.choices])
    casus = forms.UUIDField(label=_("Casusnummer"), required=False,
                            error_messages={"invalid": _("Vul een volledig casusnummer in.")})
    van = forms.DateField(label=_("Van"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}))
    tot = forms.DateField(label=_("Tot en met"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data, *, people, board_ids):
        super().__init__(data)
        self.fields["persoon"].queryset = people
        self.board_ids = frozenset(board_ids)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("van") and cleaned.get("tot") and cleaned["van"] > cleaned["tot"]:
            self.add_error("tot", _("De einddatum ligt vóór de begindatum."))
        return cleaned

    def to_filter(self) -> AccessFilter:
        """The filter; an invalid form filters on what was valid (and shows the errors)."""
        data = self.cleaned_data if self.is_valid() else {
            key: value for key, value in getattr(self, "cleaned_data", {}).items()
            if key not in self.errors}
        person = data.get("persoon")
        return AccessFilter(board_ids=self.board_ids, user_id=person.pk if person else None,
                            case_id=data.get("casus"), kind=data.get("soort") or "",
                            outcome=data.get("uitkomst") or "", start=data.get("van"),
                            end=data.get("tot"))

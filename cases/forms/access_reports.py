"""The period of a parent's "wie heeft het dossier van mijn kind ingezien"."""

from datetime import timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from meldcode.input_limits import BoundedForm
from meldcode.workdays import local_today


class AccessReportForm(BoundedForm):
    van = forms.DateField(label=_("Van"), widget=forms.DateInput(attrs={"type": "date"}))
    tot = forms.DateField(label=_("Tot en met"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data):
        today = local_today()
        initial = {"van": (today - timedelta(days=365)).isoformat(), "tot": today.isoformat()}
        values = {key: (data or {}).get(key) or initial[key] for key in initial}
        super().__init__(values)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("van") and cleaned.get("tot") and cleaned["van"] > cleaned["tot"]:
            self.add_error("tot", _("De einddatum ligt vóór de begindatum."))
        return cleaned

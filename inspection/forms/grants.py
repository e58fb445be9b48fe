"""Giving an inspecteur access (bestuur, beheerder)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from meldcode.input_limits import BoundedForm

DATE = {"widget": forms.DateInput(attrs={"type": "date"})}


class GrantForm(BoundedForm):
    inspecteur = forms.ModelChoiceField(label=_("Inspecteur"), queryset=None,
                                        empty_label=_("Kies een inspecteur"))
    scholen = forms.ModelMultipleChoiceField(label=_("Scholen"), queryset=None,
                                             widget=forms.CheckboxSelectMultiple)
    doel = forms.CharField(label=_("Doel van de inspectie"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))
    toegang_van = forms.DateField(label=_("Toegang vanaf"), **DATE)
    toegang_tot = forms.DateField(label=_("Toegang tot en met"), **DATE)
    periode_van = forms.DateField(label=_("Onderzochte periode vanaf"), **DATE)
    periode_tot = forms.DateField(label=_("Onderzochte periode tot en met"), **DATE)
    met_namen = forms.BooleanField(
        label=_("Namen van medewerkers tonen (anders alleen hun rol)"), required=False)
    met_inhoud = forms.BooleanField(
        label=_("Inhoud van dossiers tonen (elke inzage wordt vastgelegd)"), required=False,
        help_text=_("Alleen als het onderzoek dat vraagt. Namen en geboortedata van "
                    "leerlingen blijven ook dan verborgen."))

    def __init__(self, data=None, *, inspectors, schools):
        super().__init__(data)
        self.fields["inspecteur"].queryset = inspectors
        self.fields["scholen"].queryset = schools

    def clean(self):
        cleaned = super().clean()
        for first, last in (("toegang_van", "toegang_tot"), ("periode_van", "periode_tot")):
            if cleaned.get(first) and cleaned.get(last) and cleaned[first] > cleaned[last]:
                self.add_error(last, _("De einddatum ligt vóór de begindatum."))
        boards = {s.board_id for s in cleaned.get("scholen") or []}
        if len(boards) > 1:
            self.add_error("scholen", _("Kies scholen van één bestuur."))
        return cleaned

"""Which figures: a school (or the whole board) and a school year."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meldcode.input_limits import BoundedForm
from meldcode.workdays import school_year_bounds, school_year_label, school_year_of

BOARD = "bestuur"


def year_choices(first: int | None = None):
    current = school_year_of(timezone.localdate())
    first = min(first or current - 4, current)
    return [(str(y), school_year_label(y)) for y in range(current, first - 1, -1)]


class FiguresForm(BoundedForm):
    scope = forms.ChoiceField(label=_("School"), required=False)
    schooljaar = forms.ChoiceField(label=_("Schooljaar"), required=False)
    # Another period than a school year: both dates, or neither.
    van = forms.DateField(label=_("Of een andere periode: van"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}))
    tot = forms.DateField(label=_("tot en met"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data, *, schools, board_wide: bool):
        super().__init__(data)
        choices = [(BOARD, _("Alle scholen van het bestuur"))] if board_wide else []
        self.fields["scope"].choices = [*choices, *((str(s.pk), s.name) for s in schools)]
        self.fields["schooljaar"].choices = year_choices()
        self.schools = list(schools)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("van"), cleaned.get("tot")
        if bool(start) != bool(end):
            self.add_error("tot" if start else "van",
                           _("Vul beide datums in, of geen van beide."))
        elif start and end and start > end:
            self.add_error("tot", _("De einddatum ligt vóór de begindatum."))
        return cleaned

    def period(self, year: int):
        """The chosen dates, or the school year's."""
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("van") and data.get("tot"):
            return data["van"], data["tot"]
        return school_year_bounds(year)

    def selection(self):
        """(school or None for the board, school year); the defaults where input is bad."""
        data = self.cleaned_data if self.is_valid() else {}
        year = int(data.get("schooljaar") or school_year_of(timezone.localdate()))
        scope = data.get("scope") or self.fields["scope"].choices[0][0]
        school = next((s for s in self.schools if str(s.pk) == scope), None)
        return school, year


class EvaluationForm(BoundedForm):
    evaluatie = forms.CharField(
        label=_("Evaluatie: hoe werkte de meldcode dit schooljaar?"), required=False,
        max_length=10000, widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Over de werkwijze, niet over leerlingen: noem geen namen."))
    acties = forms.CharField(label=_("Acties voor het volgende schooljaar"), required=False,
                             max_length=10000, widget=forms.Textarea(attrs={"rows": 6}))

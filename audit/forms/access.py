"""The access-log search of the bestuur (NEN 7513 review)."""

from __future__ import annotations

from django import forms
from django.db.models import Q, Value
from django.db.models.functions import Concat
from django.utils.translation import gettext_lazy as _

from audit.models import AccessKind, AccessOutcome
from audit.selectors.access import AccessFilter
from meldcode.input_limits import BoundedForm

# More matches than this: the search term is too short to mean one person.
MATCHES_SHOWN = 10


class AccessSearchForm(BoundedForm):
    # A name or user name rather than a list of every person of the board: a board of 50
    # schools has about a thousand, too many to choose from (and to send with every page).
    persoon = forms.CharField(
        label=_("Persoon"), required=False, max_length=150,
        help_text=_("Naam of gebruikersnaam; leeg laten voor iedereen."))
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
        self.people = people
        self.board_ids = frozenset(board_ids)

    def clean_persoon(self) -> list:
        """The people of the board the search names: an exact user name (the links from
        the unusual-access list), else every name that contains it."""
        value = " ".join(self.cleaned_data["persoon"].split())
        if not value:
            return []
        if value.isdigit():  # a person's number, as older links carried it
            found = list(self.people.filter(pk=int(value)))
        else:
            found = list(self.people.filter(username__iexact=value)) or list(
                self.people.annotate(full=Concat("first_name", Value(" "), "last_name"))
                .filter(Q(full__icontains=value) | Q(username__icontains=value))
                [:MATCHES_SHOWN + 1])
        if not found:
            raise forms.ValidationError(
                _("Niemand van uw bestuur heet zo. Zoek op een deel van de naam of op de "
                  "gebruikersnaam."))
        if len(found) > MATCHES_SHOWN:
            raise forms.ValidationError(
                _("Meer dan %(n)s personen passen bij deze zoekterm; maak hem langer.")
                % {"n": MATCHES_SHOWN})
        return found

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
        return AccessFilter(board_ids=self.board_ids,
                            user_ids=tuple(p.pk for p in data.get("persoon") or ()),
                            case_id=data.get("casus"), kind=data.get("soort") or "",
                            outcome=data.get("uitkomst") or "", start=data.get("van"),
                            end=data.get("tot"))

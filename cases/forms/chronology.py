"""The chronology filter: which kinds of entries, and whose."""

from __future__ import annotations

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from cases.selectors.chronology import Entry, select
from meldcode.input_limits import BoundedForm


class ChronologyFilterForm(BoundedForm):
    """Filters a case's chronology. No kind ticked means every kind, and a first visit
    shows every kind ticked, so the page never looks empty by accident."""

    soort = forms.MultipleChoiceField(label=_("Soort"), required=False,
                                      widget=forms.CheckboxSelectMultiple)
    persoon = forms.ChoiceField(label=_("Persoon"), required=False)

    def __init__(self, data: QueryDict | None, *, kinds, authors):
        data = data.copy() if data is not None else QueryDict(mutable=True)
        self.all_kinds = [kind for kind, _label in kinds]
        if not data.getlist("soort"):
            data.setlist("soort", self.all_kinds)
        super().__init__(data)
        self.fields["soort"].choices = [(kind, label) for kind, label in kinds]
        self.fields["persoon"].choices = [("", _("Iedereen"))] + [
            (str(author.pk), str(author)) for author in authors
        ]

    def add_authors(self, authors) -> None:
        """Also offer these people (the authors on the page shown)."""
        known = {value for value, _label in self.fields["persoon"].choices}
        extra = [(str(a.pk), str(a)) for a in authors if str(a.pk) not in known]
        if extra:
            choices = list(self.fields["persoon"].choices[1:]) + extra
            self.fields["persoon"].choices = [("", _("Iedereen"))] + sorted(
                choices, key=lambda choice: choice[1].lower())

    def selected_kinds(self) -> list[str]:
        self.is_valid()
        return self.cleaned_data.get("soort") or self.all_kinds

    def selected_author_id(self) -> int | None:
        self.is_valid()
        value = self.cleaned_data.get("persoon")
        return int(value) if value else None

    def is_filtered(self) -> bool:
        return (set(self.selected_kinds()) != set(self.all_kinds)
                or self.selected_author_id() is not None)

    def apply(self, entries: list[Entry]) -> list[Entry]:
        return select(entries, kinds=self.selected_kinds(), author_id=self.selected_author_id())


def authors_of(entries: list[Entry]) -> list:
    """Everyone who wrote an entry, once each, sorted by name."""
    seen = {entry.author.pk: entry.author for entry in entries if entry.author is not None}
    return sorted(seen.values(), key=lambda user: str(user).lower())

"""One time-ordered chronology per case, assembled from registered sources.

Each kind of dossier record (observations, follow-ups, consultations, conversations,
decisions, …) registers a source: a function that returns the entries of one case in a
bounded number of queries, whatever the number of records: each subdomain's selectors
module registers its own (observations.py, workflow.py). The chronology page, its filters
and the print view read only this module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Entry:
    """One line in the chronology."""

    when: datetime
    kind: str
    author: object | None
    title: str
    summary: str = ""
    # Statements marked as hypothesis are shown as such everywhere.
    hypotheses: tuple[str, ...] = ()
    url: str = ""
    obj: object = field(default=None, compare=False)
    # Statements marked as fact, shown apart from the hypotheses.
    facts: tuple[str, ...] = ()
    # Labelled details under the summary: (("Plaats", "gymzaal"), ...).
    details: tuple[tuple[str, str], ...] = ()
    # An id unique on the page, so that one entry can point at another (a follow-up at its
    # observation) with `refers_to` (that entry's anchor) and `refers_to_label`.
    anchor: str = ""
    refers_to: str = ""
    refers_to_label: str = ""
    # Every field of the record in full, labelled, in the order of the form: what its own
    # page, the "volledige tekst" of the chronology and the printed dossier show.
    body: tuple[tuple[str, str], ...] = ()
    # The names of the files attached (never their contents): the printed dossier lists them.
    attachments: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, str]:
        """(kind, record pk): names one record across the chronology, its page and the
        printed dossier (a record withheld from a print is named by this key)."""
        return (self.kind, str(getattr(self.obj, "pk", "")))


@dataclass(frozen=True)
class Source:
    kind: str
    label: object  # lazy Dutch label for the filter
    entries: Callable[[object], Iterable[Entry]]
    # The models whose records this source shows (a record's parts included), so that a
    # test can tell when a new kind of record is missing from the chronology.
    models: tuple = ()


_SOURCES: dict[str, Source] = {}


def register_source(kind: str, label, *, models: Iterable = ()) -> Callable:
    """Decorator: @register_source("observation", _("Observatie"), models=(Observation,))
    def f(case): ..."""

    def decorate(func):
        _SOURCES[kind] = Source(kind=kind, label=label, entries=func, models=tuple(models))
        return func

    return decorate


def sources() -> list[Source]:
    return list(_SOURCES.values())


def source(kind: str) -> Source | None:
    return _SOURCES.get(kind)


def chronology(case, *, kinds: Iterable[str] | None = None, author_id=None) -> list[Entry]:
    """All entries of a case, oldest first, optionally filtered by kind and author."""
    wanted = set(kinds) if kinds else set(_SOURCES)
    entries: list[Entry] = []
    # Registration order, so entries at the same moment always come out in the same order.
    for kind, source in _SOURCES.items():
        if kind in wanted:
            entries.extend(source.entries(case))
    return sorted(select(entries, author_id=author_id), key=lambda e: e.when)


def select(entries: Iterable[Entry], *, kinds: Iterable[str] | None = None,
           author_id=None) -> list[Entry]:
    """The entries of the given kinds (all when None) written by the given author (anyone)."""
    wanted = set(kinds) if kinds is not None else None
    return [
        entry for entry in entries
        if (wanted is None or entry.kind in wanted)
        and (author_id is None or (entry.author is not None and entry.author.pk == author_id))
    ]


# --- Writing a record's fields in full ------------------------------------------------------


def yes_no(value) -> str:
    if value is None:
        return _("niet vastgelegd")
    return _("ja") if value else _("nee")


def day(value) -> str:
    return formats.date_format(value, "j F Y") if value else ""


def moment(value) -> str:
    return formats.date_format(timezone.localtime(value), "j F Y H:i") if value else ""


def fields(*pairs) -> tuple[tuple[str, str], ...]:
    """(label, value) pairs as text; empty optional values are left out, a yes/no always
    stays (a "nee" is information too: "verslag niet ondertekend")."""
    result = []
    for label, value in pairs:
        if isinstance(value, bool):
            value = yes_no(value)
        value = "" if value is None else str(value)
        if value.strip():
            result.append((str(label), value))
    return tuple(result)

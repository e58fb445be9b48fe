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


@dataclass(frozen=True)
class Source:
    kind: str
    label: object  # lazy Dutch label for the filter
    entries: Callable[[object], Iterable[Entry]]


_SOURCES: dict[str, Source] = {}


def register_source(kind: str, label) -> Callable:
    """Decorator: @register_source("observation", _("Observatie")) def f(case): ..."""

    def decorate(func):
        _SOURCES[kind] = Source(kind=kind, label=label, entries=func)
        return func

    return decorate


def sources() -> list[Source]:
    return list(_SOURCES.values())


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

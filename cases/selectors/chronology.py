"""One time-ordered chronology per case, assembled from registered sources.

Each kind of dossier record (observations, follow-ups, consultations, conversations,
decisions, …) registers a source: a function that returns the entries of one case in a
bounded number of queries, whatever the number of records: each subdomain's selectors
module registers its own (observations.py, workflow.py; the decisions app at its ready(),
so this app never imports it). A source passes each queryset through a `Window`, so that
one keyset page of the chronology reads at most a page of rows per kind. The chronology
page, its filters, the record pages, the print view and the printed dossier
(decisions/services/dossier.py) read only this module.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime

from django.db.models import CharField, F, Q, Value
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from meldcode.models import User


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
class Indexed:
    """Where a model's records of one case are and when they were made, so that the case
    page lists the latest records of every kind in one query (`latest_records`)."""

    model: type
    case: str = "case"
    when: str = "recorded_at"


@dataclass(frozen=True)
class Source:
    kind: str
    label: object  # lazy Dutch label for the filter
    entries: Callable[..., Iterable[Entry]]
    # The models whose records this source shows (a record's parts included), so that a
    # test can tell when a new kind of record is missing from the chronology.
    models: tuple = ()
    index: tuple[Indexed, ...] = ()


def _default_index(models) -> tuple[Indexed, ...]:
    # A record of its own has a case and a moment; its parts (no case) are in its page.
    names = ({f.name for f in m._meta.get_fields()} for m in models)
    return tuple(Indexed(m) for m, fields in zip(models, names, strict=True)
                 if {"case", "recorded_at"} <= fields)


@dataclass(frozen=True)
class Cursor:
    """Where a page of the chronology ends: the last entry's moment, its kind's place in
    the registration order and its pk. Entries are ordered by exactly this, so a page
    boundary is stable however many records are added before or after it."""

    when: datetime
    rank: int
    pk: str

    def encode(self) -> str:
        return f"{self.when.isoformat()}|{self.rank}|{self.pk}"

    @classmethod
    def decode(cls, value: str | None) -> Cursor | None:
        try:
            when, rank, pk = (value or "").split("|")
            parsed = datetime.fromisoformat(when)
            pk = str(uuid.UUID(pk))
        except ValueError:
            return None  # a tampered or stale link starts at the beginning
        if parsed.tzinfo is None or not rank.isdigit():
            return None
        return cls(when=parsed, rank=int(rank), pk=pk)


@dataclass(frozen=True)
class Window:
    """Which entries a source returns: those after `after`, at most `limit` (+1, to know
    whether more follow), by `author_id` when given. Every source passes each of its
    querysets through `apply`, so a page costs the same for a case with 20 records or
    with 2,000. Without a window a source returns everything (print, PDF)."""

    after: Cursor | None = None
    limit: int | None = None
    author_id: int | None = None
    rank: int = 0

    def apply(self, qs, *, when: str, author: str | None):
        if self.author_id is not None:
            if author is None:
                return qs.none()
            qs = qs.filter(**{f"{author}_id": self.author_id})
        if self.after is not None:
            cursor = self.after
            if self.rank < cursor.rank:
                qs = qs.filter(**{f"{when}__gt": cursor.when})
            elif self.rank > cursor.rank:
                qs = qs.filter(**{f"{when}__gte": cursor.when})
            else:
                qs = qs.filter(Q(**{f"{when}__gt": cursor.when})
                               | Q(**{when: cursor.when, "pk__gt": cursor.pk}))
        qs = qs.order_by(when, "pk")
        if self.limit is not None:
            qs = qs[: self.limit + 1]
        return qs


def windowed(qs, window: Window | None, *, when: str = "recorded_at",
             author: str | None = "recorded_by"):
    """`qs` cut to `window` (see Window.apply); in time order either way."""
    if window is None:
        return qs.order_by(when, "pk")
    return window.apply(qs, when=when, author=author)


_SOURCES: dict[str, Source] = {}


def register_source(kind: str, label, *, models: Iterable = (),
                    index: Iterable[Indexed] | None = None) -> Callable:
    """Decorator: @register_source("observation", _("Observatie"), models=(Observation,))
    def f(case, window=None): ... (each queryset through `windowed(qs, window, ...)`).
    `index`: how the case page finds the latest records (default: the models with a
    `case` and a `recorded_at`)."""

    def decorate(func):
        found = tuple(models)
        _SOURCES[kind] = Source(kind=kind, label=label, entries=func, models=found,
                                index=_default_index(found) if index is None else tuple(index))
        return func

    return decorate


def sources() -> list[Source]:
    return list(_SOURCES.values())


def source(kind: str) -> Source | None:
    return _SOURCES.get(kind)


def _rank(kind: str) -> int:
    return list(_SOURCES).index(kind) if kind in _SOURCES else len(_SOURCES)


def _order(entry: Entry):
    return (entry.when, _rank(entry.kind), entry.key[1])


def record_url(case_id, entry: Entry) -> str:
    return reverse("case_record", kwargs={"case_id": case_id, "kind": entry.kind,
                                          "record_id": entry.key[1]})


def _linked(case, entries: Iterable[Entry]) -> list[Entry]:
    # A record without a page of its own opens on the chronology's record page.
    return [entry if entry.url or entry.obj is None else replace(entry, url=record_url(
        case.pk, entry)) for entry in entries]


def chronology(case, *, kinds: Iterable[str] | None = None, author_id=None) -> list[Entry]:
    """All entries of a case, oldest first, optionally filtered by kind and author."""
    return page(case, kinds=kinds, author_id=author_id).entries


@dataclass
class Page:
    entries: list[Entry]
    next_cursor: Cursor | None = None


def page(case, *, kinds: Iterable[str] | None = None, author_id=None,
         after: Cursor | None = None, limit: int | None = None) -> Page:
    """One page of the chronology: at most `limit` entries after `after`, oldest first,
    and the cursor of the next page (None on the last one). Each source is asked for at
    most limit + 1 entries, so the cost does not depend on the size of the case."""
    wanted = set(kinds) if kinds else set(_SOURCES)
    entries: list[Entry] = []
    # Registration order, so entries at the same moment always come out in the same order.
    for rank, (kind, source) in enumerate(_SOURCES.items()):
        if kind in wanted:
            window = Window(after=after, limit=limit, author_id=author_id, rank=rank)
            entries.extend(source.entries(case, window))
    entries = sorted(select(entries, author_id=author_id), key=_order)
    next_cursor = None
    if limit is not None and len(entries) > limit:
        entries = entries[:limit]
        last = entries[-1]
        next_cursor = Cursor(when=last.when, rank=_rank(last.kind), pk=last.key[1])
    return Page(entries=_linked(case, entries), next_cursor=next_cursor)


@dataclass(frozen=True)
class RecordLink:
    kind: str
    label: str
    when: datetime
    url: str


def latest_records(case, *, limit: int = 8, kinds: Iterable[str] | None = None
                   ) -> list[RecordLink]:
    """The latest records of the case (of `kinds`, default every kind with an index), each
    named by its kind and linked to its page: one query over every kind's table."""
    wanted = set(kinds) if kinds is not None else set(_SOURCES)
    parts = [
        spec.model.objects.filter(**{spec.case: case})
        .annotate(k=Value(kind, output_field=CharField()),
                  w=F(spec.when),
                  lbl=Value(str(spec.model._meta.verbose_name), output_field=CharField()))
        .values_list("pk", "k", "lbl", "w").order_by()
        for kind, found in _SOURCES.items() if kind in wanted for spec in found.index
    ]
    if not parts:
        return []
    rows = parts[0].union(*parts[1:], all=True).order_by("-w")[:limit]
    return [RecordLink(kind=kind, label=label[:1].upper() + label[1:], when=when,
                       url=reverse("case_record", kwargs={"case_id": case.pk, "kind": kind,
                                                          "record_id": pk}))
            for pk, kind, label, when in rows]


def chronology_authors(case) -> list:
    """Everyone who recorded something in the dossier, for the person filter: the actors
    of its audit trail (one indexed query), so the list does not depend on the page."""
    actors = AuditEvent.objects.filter(case_id=case.pk, actor__isnull=False).values("actor_id")
    return list(User.objects.filter(pk__in=actors))


def record_entry(case, kind: str, record_id) -> Entry | None:
    """The entry of one record of the case, for its own page; None if there is none."""
    found = source(kind)
    if found is None:
        return None
    for entry in found.entries(case, None):
        if entry.key[1] == str(record_id):
            return _linked(case, [entry])[0]
    return None


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

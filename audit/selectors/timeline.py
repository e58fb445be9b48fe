"""One timeline per case: the audit events ("what happened") merged with the field-level
changes django-simple-history keeps ("what changed"), as Dutch sentences, filterable by
kind and person, paginated by keyset so a page is stable with thousands of entries.

Pure selectors: the audit app knows nothing of cases. The cases app registers, at ready(),
which historical models belong to a case and how to find them (`register_history`); the
view that shows a timeline fetches the case through the permission policy and passes its
ids here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import OuterRef, Q, Subquery
from django.utils import formats
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import AuditEvent
from audit.registry import sentence_for
from audit.selectors.trail import TrailFilter, trail
from meldcode.models import Membership, Role, User

EVENTS = "gebeurtenis"
EVENTS_LABEL = gettext_lazy("Gebeurtenissen")

# Fields no reader needs in a sentence: bookkeeping, not content.
_SKIPPED = {"id", "created_at", "updated_at", "history_id", "history_date",
            "history_change_reason", "history_type", "history_user", "history_user_id"}


@dataclass(frozen=True)
class HistorySource:
    kind: str
    label: object
    model: type  # the historical model (Model.history.model)
    scope: Callable[[object, object], Q]  # (case_id, student_id) → filter on the model
    # Field labels with their article, for the sentence ("de fase"); else verbose_name.
    field_labels: dict
    skip: frozenset


_SOURCES: list[HistorySource] = []


def register_history(kind: str, label, model, scope, *, field_labels=None, skip=()) -> None:
    """Called by the app that owns `model` (at ready()): its history belongs on the
    timelines of the cases `scope(case_id, student_id)` selects."""
    _SOURCES[:] = [s for s in _SOURCES if s.kind != kind]
    _SOURCES.append(HistorySource(kind, label, model.history.model, scope,
                                  field_labels or {}, frozenset(skip)))


def kinds() -> list[tuple[str, object]]:
    return [(EVENTS, EVENTS_LABEL), *((s.kind, s.label) for s in _SOURCES)]


@dataclass(frozen=True)
class TimelineEntry:
    when: datetime
    kind: str
    actor: object | None
    role: str
    sentence: str
    rank: int
    pk: int


@dataclass(frozen=True)
class TimelineCursor:
    when: datetime
    rank: int
    pk: int

    def encode(self) -> str:
        return f"{self.when.isoformat()}_{self.rank}_{self.pk}"

    @classmethod
    def decode(cls, value: str | None) -> TimelineCursor | None:
        try:
            when, rank, pk = (value or "").replace(" ", "+").rsplit("_", 2)
            moment = parse_datetime(when)
            return cls(moment, int(rank), int(pk)) if moment else None
        except ValueError:
            return None


@dataclass(frozen=True)
class TimelinePage:
    entries: list[TimelineEntry]
    next_cursor: str


def _after(cursor: TimelineCursor | None, rank: int, time_field: str, pk_field: str) -> Q:
    if cursor is None:
        return Q()
    if rank > cursor.rank:
        return Q(**{f"{time_field}__gte": cursor.when})
    if rank < cursor.rank:
        return Q(**{f"{time_field}__gt": cursor.when})
    return Q(**{f"{time_field}__gt": cursor.when}) | Q(
        **{time_field: cursor.when, f"{pk_field}__gt": cursor.pk})


ROLE_SHORT = {Role.AANDACHTSFUNCTIONARIS: "AF", Role.OKA: "OKA"}


def role_label(codes) -> str:
    labels = []
    for code in codes:
        short = ROLE_SHORT.get(code)
        if short is None:
            try:
                short = str(Role(code).label).lower()
            except ValueError:
                short = code
        labels.append(short)
    return ", ".join(labels)


def case_timeline(*, case_id, student_id, school_id, cursor: TimelineCursor | None = None,
                  size: int = 50, selected_kinds=None, person_id: int | None = None
                  ) -> TimelinePage:
    """One page of a case's timeline, oldest first, after `cursor`."""
    wanted = set(selected_kinds or [k for k, _label in kinds()])
    candidates: list[tuple] = []
    if EVENTS in wanted:
        events = trail(TrailFilter(case_id=case_id, actor_id=person_id))
        events = events.filter(_after(cursor, 0, "occurred_at", "id")).order_by(
            "occurred_at", "id")[: size + 1]
        candidates += [((e.occurred_at, 0, e.pk), "event", e) for e in events]
    for rank, source in enumerate(_SOURCES, start=1):
        if source.kind not in wanted:
            continue
        qs = source.model.objects.filter(source.scope(case_id, student_id))
        if person_id is not None:
            qs = qs.filter(history_user_id=person_id)
        qs = qs.filter(_after(cursor, rank, "history_date", "history_id")).annotate(
            previous_id=Subquery(source.model.objects.filter(
                id=OuterRef("id"), history_date__lt=OuterRef("history_date"))
                .order_by("-history_date", "-history_id").values("history_id")[:1])
        ).select_related("history_user").order_by("history_date", "history_id")[: size + 1]
        candidates += [((h.history_date, rank, h.history_id), source, h) for h in qs]
    candidates.sort(key=lambda item: item[0])
    more = len(candidates) > size
    page = candidates[:size]
    return TimelinePage(_entries(page, school_id),
                        TimelineCursor(*page[-1][0]).encode() if more and page else "")


def timeline_people(*, case_id, student_id) -> list:
    """Everyone who appears on the case's timeline, for the person filter."""
    ids = set(AuditEvent.objects.filter(case_id=case_id, actor__isnull=False)
              .values_list("actor_id", flat=True).distinct())
    for source in _SOURCES:
        ids |= set(source.model.objects.filter(source.scope(case_id, student_id),
                                                history_user__isnull=False)
                   .values_list("history_user_id", flat=True).distinct())
    return list(User.objects.filter(pk__in=ids).order_by("last_name", "first_name"))


def _entries(page, school_id) -> list[TimelineEntry]:
    previous = _previous_records(page)
    actors = {item[2].actor if item[1] == "event" else item[2].history_user for item in page}
    actors.discard(None)
    held: dict[int, set] = {}
    for user_id, role in Membership.objects.filter(
            user_id__in=[a.pk for a in actors]).filter(
            Q(school_id=school_id) | Q(school__isnull=True)).values_list("user_id", "role"):
        held.setdefault(user_id, set()).add(role)
    users = _referenced_users(page, previous)
    entries = []
    for (when, rank, pk), source, record in page:
        if source == "event":
            actor = record.actor
            codes = [c for c in record.actor_role.split(",") if c] or sorted(
                held.get(getattr(actor, "pk", None), ()))
            text = str(sentence_for(record.action))
            kind = EVENTS
        else:
            actor = record.history_user
            codes = sorted(held.get(getattr(actor, "pk", None), ()))
            text = _change_sentence(source, record, previous.get(record.previous_id), users)
            if not text:
                continue
            kind = source.kind
        entries.append(TimelineEntry(when, kind, actor, role_label(codes), text, rank, pk))
    return entries


def _previous_records(page) -> dict:
    by_model: dict[type, list] = {}
    for _key, source, record in page:
        if source != "event" and record.previous_id:
            by_model.setdefault(source.model, []).append(record.previous_id)
    found = {}
    for model, ids in by_model.items():
        found |= {r.history_id: r for r in model.objects.filter(history_id__in=ids)}
    return found


def _user_fields(model):
    return [f for f in model._meta.concrete_fields
            if f.is_relation and f.related_model is User and f.attname not in _SKIPPED]


def _referenced_users(page, previous) -> dict:
    ids = set()
    for _key, source, record in page:
        if source == "event":
            continue
        for field in _user_fields(source.model):
            ids.add(getattr(record, field.attname))
            prior = previous.get(record.previous_id)
            if prior is not None:
                ids.add(getattr(prior, field.attname))
    ids.discard(None)
    return {u.pk: u for u in User.objects.filter(pk__in=ids)} if ids else {}


def _display(field, value, users) -> str:
    if value is None or value == "":
        return _("(leeg)")
    if field.is_relation:
        user = users.get(value) if field.related_model is User else None
        return str(user) if user is not None else _("een ander record")
    if field.flatchoices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, datetime | date):
        return formats.date_format(value, "j F Y")
    return str(value)


def _tracked(source: HistorySource):
    return [f for f in source.model._meta.concrete_fields
            if f.attname not in _SKIPPED and f.name not in source.skip
            and f.attname not in source.skip]


def _change_sentence(source: HistorySource, record, prior, users) -> str:
    what = str(source.model.instance_type._meta.verbose_name)
    if record.history_type == "+":
        return _("maakte %(what)s aan") % {"what": what}
    if record.history_type == "-":
        return _("verwijderde %(what)s") % {"what": what}
    if prior is None:
        return _("wijzigde %(what)s") % {"what": what}
    changes = []
    for field in _tracked(source):
        old, new = getattr(prior, field.attname), getattr(record, field.attname)
        if old == new:
            continue
        label = str(source.field_labels.get(field.name, field.verbose_name))
        changes.append(_("%(field)s van %(old)s naar %(new)s") % {
            "field": label, "old": _display(field, old, users),
            "new": _display(field, new, users)})
    if not changes:
        return ""
    joined = changes[0] if len(changes) == 1 else (
        ", ".join(changes[:-1]) + " " + _("en") + " " + changes[-1])
    return _("wijzigde %(changes)s") % {"changes": joined}

"""Read-side queries for audit trails: one case's trail, and the filtered trail of a board
or school (for every overview of "who did what when": the case timeline, and readers who
look across cases)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from audit.models import AuditEvent
from audit.selectors.keyset import Cursor, Page, keyset_page


def case_trail(case):
    """Every audit event of one case, oldest first, with actors loaded in the same query."""
    return AuditEvent.objects.filter(case_id=case.pk).select_related("actor").order_by(
        "occurred_at", "id"
    )


MEMBERSHIP_CONFIRMED = "membership.confirmed"


def membership_confirmations(membership_ids):
    """The events in which these roles were confirmed (by whom, when), actors loaded."""
    if not membership_ids:
        return AuditEvent.objects.none()
    return (AuditEvent.objects
            .filter(action=MEMBERSHIP_CONFIRMED, data__membership__in=list(membership_ids))
            .select_related("actor"))


@dataclass(frozen=True)
class TrailFilter:
    """Which events: of one case, or of some boards/schools; narrowed by action, person,
    role and period. Every field is optional; an empty filter selects nothing (a reader
    must always say whose trail they may see)."""

    case_id: object = None
    board_ids: frozenset = frozenset()
    school_ids: frozenset = frozenset()
    actions: tuple[str, ...] = ()  # codes or prefixes ending in "."
    actor_id: int | None = None
    actor_role: str = ""
    start: date | None = None
    end: date | None = None


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def period_q(start: date | None, end: date | None, field: str = "occurred_at") -> Q:
    q = Q()
    if start:
        q &= Q(**{f"{field}__gte": day_start(start)})
    if end:
        q &= Q(**{f"{field}__lt": day_start(end + timedelta(days=1))})
    return q


def trail(f: TrailFilter) -> QuerySet:
    if f.case_id is not None:
        qs = AuditEvent.objects.filter(case_id=f.case_id)
    elif f.board_ids or f.school_ids:
        scope = Q()
        if f.board_ids:
            scope |= Q(board_id__in=f.board_ids)
        if f.school_ids:
            scope |= Q(school_id__in=f.school_ids)
        qs = AuditEvent.objects.filter(scope)
    else:
        return AuditEvent.objects.none()
    if f.actions:
        which = Q()
        for code in f.actions:
            which |= Q(action__startswith=code) if code.endswith(".") else Q(action=code)
        qs = qs.filter(which)
    if f.actor_id is not None:
        qs = qs.filter(actor_id=f.actor_id)
    if f.actor_role:
        qs = qs.filter(actor_role__contains=f.actor_role)
    return qs.filter(period_q(f.start, f.end)).select_related("actor")


def trail_page(f: TrailFilter, cursor: Cursor | None, size: int = 50, *,
               newest_first: bool = True) -> Page:
    return keyset_page(trail(f), cursor, size, newest_first=newest_first)

"""Read-side queries of the access log: the privacy search, a pupil's accesses for their
parents, and the daily counts behind the unusual-access check."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from audit.models import AccessKind, AccessLog, AccessOutcome
from audit.selectors.keyset import Cursor, Page, keyset_page
from audit.selectors.trail import day_start, period_q


@dataclass(frozen=True)
class AccessFilter:
    board_ids: frozenset
    user_ids: tuple = ()  # the people searched for; none: everyone
    case_id: object = None
    student_id: object = None
    kind: str = ""
    outcome: str = ""
    start: date | None = None
    end: date | None = None


def access_entries(f: AccessFilter):
    """The entries of the given boards, narrowed by the filter, newest first."""
    qs = AccessLog.objects.filter(board_id__in=f.board_ids)
    if f.user_ids:
        qs = qs.filter(user_id__in=f.user_ids)
    for field, value in (("case_id", f.case_id),
                         ("student_id", f.student_id), ("kind", f.kind),
                         ("outcome", f.outcome)):
        if value:
            qs = qs.filter(**{field: value})
    return (qs.filter(period_q(f.start, f.end)).select_related("user", "school")
            .order_by("-occurred_at", "-id"))


def access_page(f: AccessFilter, cursor: Cursor | None, size: int = 50) -> Page:
    return keyset_page(access_entries(f), cursor, size, newest_first=True)


# What counts as having looked at a pupil's file, for the parents' overview.
LOOKED = (AccessKind.READ, AccessKind.CREATE, AccessKind.UPDATE, AccessKind.PRINT,
          AccessKind.EXPORT)
PUPIL_REPORT_LIMIT = 5000


def pupil_accesses(student_id, start: date, end: date, *, with_names: bool):
    """Who looked at one pupil's file in a period: oldest first, allowed accesses only."""
    qs = (AccessLog.objects.filter(student_id=student_id, kind__in=LOOKED,
                                   outcome=AccessOutcome.ALLOWED)
          .filter(period_q(start, end)).select_related("school").order_by("occurred_at", "id"))
    if with_names:
        qs = qs.select_related("user")
    return qs[:PUPIL_REPORT_LIMIT]


# --- Unusual reading -------------------------------------------------------------------

# The rule: on one day a person opened at least MINIMUM different dossiers, and more than
# FACTOR times the median of their daily counts over the BASELINE_DAYS before (days
# without any reading count as 0).
MINIMUM = 20
FACTOR = 3
BASELINE_DAYS = 30


@dataclass(frozen=True)
class Unusual:
    board_id: object
    user_id: int
    day: date
    cases_opened: int
    usual: float


def unusual_reading(day: date) -> list[Unusual]:
    """Everyone whose reading on `day` was unusual for them, per board. Two queries-worth
    of work at most: one grouped count over the 31 days."""
    first = day - timedelta(days=BASELINE_DAYS)
    rows = (AccessLog.objects
            .filter(occurred_at__gte=day_start(first), occurred_at__lt=day_start(
                day + timedelta(days=1)), kind__in=LOOKED, outcome=AccessOutcome.ALLOWED,
                case_id__isnull=False, board_id__isnull=False)
            .annotate(day=TruncDate("occurred_at", tzinfo=timezone.get_current_timezone()))
            .values_list("board_id", "user_id", "day")
            .annotate(n=Count("case_id", distinct=True)))
    per_person: dict[tuple, dict[date, int]] = {}
    for board_id, user_id, when, n in rows:
        per_person.setdefault((board_id, user_id), {})[when] = n
    found = []
    for (board_id, user_id), counts in per_person.items():
        today = counts.get(day, 0)
        if today < MINIMUM:
            continue
        baseline = [counts.get(first + timedelta(days=i), 0) for i in range(BASELINE_DAYS)]
        usual = statistics.median(baseline)
        if today > FACTOR * usual:
            found.append(Unusual(board_id, user_id, day, today, float(usual)))
    return found

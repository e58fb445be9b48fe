"""What the start page puts first: new concerns, deadlines, meldplicht cases. Each block
is one query (or two), whatever the number of cases; all start from the permission policy."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q
from django.utils import timezone

from cases import permissions
from cases.models import Case, Notification, Observation, Phase, Route
from cases.selectors.tasks import visible_open_tasks
from meldcode.workdays import local_today

# A child's disclosure, direct danger, a specific form of violence: act today.
URGENT_KINDS = frozenset({Notification.Kind.DISCLOSURE, Notification.Kind.DIRECT_DANGER,
                          Notification.Kind.SPECIFIC_FORM})
CONCERN_KINDS = URGENT_KINDS | {Notification.Kind.CASE_OPENED, Notification.Kind.CASE_EXISTS,
                                Notification.Kind.OBSERVATION_SUBMITTED}
# How long an urgent alert stays on the start page, read or not.
URGENT_DAYS = 14
LIMIT = 10


def new_concerns(user) -> list[Notification]:
    """The user's alerts about new concerns: every urgent one of the last two weeks (read
    or not, urgent first) and the unread others. `case_visible` says whether the pupil's
    name may be shown: only when the user may see the case itself."""
    since = timezone.now() - timedelta(days=URGENT_DAYS)
    urgent = Q(kind__in=URGENT_KINDS, created_at__gte=since)
    visible = permissions.visible_cases(user).filter(pk=OuterRef("case_id"))
    rows = list(
        Notification.objects.filter(recipient=user, kind__in=CONCERN_KINDS)
        .filter(urgent | Q(read_at__isnull=True))
        .select_related("case", "case__student")
        .annotate(case_visible=Exists(visible),
                  is_urgent=ExpressionWrapper(Q(kind__in=URGENT_KINDS),
                                              output_field=BooleanField()))
        .order_by("-is_urgent", "-created_at", "-id")[:LIMIT]
    )
    return rows


@dataclass
class Deadlines:
    overdue: int = 0
    today: int = 0
    soon: list = field(default_factory=list)


def deadlines(user) -> Deadlines:
    """The user's own open tasks due today or overdue (counts), and the first of them."""
    today = local_today()
    mine = visible_open_tasks(user).filter(owner=user)
    counts = mine.aggregate(overdue=Count("id", filter=Q(due_on__lt=today)),
                            today=Count("id", filter=Q(due_on=today)))
    result = Deadlines(overdue=counts["overdue"], today=counts["today"])
    if result.overdue or result.today:
        result.soon = list(mine.filter(due_on__lte=today)
                           .select_related("case", "case__student")
                           .order_by("due_on", "created_at", "id")[:LIMIT])
    return result


def meldplicht_cases(user) -> list[Case]:
    """Open meldplicht cases (a staff member suspected) the user sees: directie, bestuur,
    and whoever reported one."""
    return list(permissions.visible_cases(user).filter(route=Route.MELDPLICHT)
                .exclude(phase=Phase.GESLOTEN).select_related("student", "school")
                .order_by("-opened_at")[:LIMIT])


def my_drafts(user) -> list[Observation]:
    """The user's own unfinished observations ("details later"), newest first."""
    return list(Observation.objects.drafts_of(user).filter(case__phase__in=[
        p for p in Phase.values if p != Phase.GESLOTEN])
        .select_related("case", "case__student").order_by("-updated_at")[:LIMIT])

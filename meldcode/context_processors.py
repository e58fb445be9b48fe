"""Template context for every page (project layer: may use every app)."""

from django.core.exceptions import EmptyResultSet
from django.db import connection

from cases import permissions
from cases.models import Notification
from cases.selectors.tasks import visible_open_tasks
from meldcode.workdays import local_today
from retention.permissions import CONFIRMING_ROLES, POLICY_ROLES


def _count_sql(queryset) -> tuple[str, tuple]:
    """`SELECT count(*)` over `queryset`'s rows, as SQL with its parameters."""
    try:
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # a queryset the ORM knows to be empty (`.none()`) has no SQL
        return "0", ()
    return f"(SELECT count(*) FROM ({sql}) AS counted)", tuple(params)


def _badges(user, with_tasks: bool) -> tuple[int, int]:
    """Unread notifications and own open tasks due today: both in one round trip, each an
    indexed count (notifications by recipient and read_at; tasks by owner, open, due).

    The two counts are put side by side in plain SQL: wrapping them as annotated subqueries
    made the ORM spend longer building the statement than the database spends running it,
    on every page."""
    counts = [_count_sql(Notification.objects.filter(recipient=user, read_at__isnull=True))]
    if with_tasks:
        counts.append(_count_sql(visible_open_tasks(user).filter(
            owner=user, due_on__lte=local_today())))
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(sql for sql, _ in counts),
                       [param for _, params in counts for param in params])
        row = cursor.fetchone()
    return row[0], (row[1] if with_tasks else 0)


def navigation(request):
    """What the header shows: the user's roles and which sections they can reach.

    Worked out once per request, however many templates render with it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    cached = getattr(request, "_meldcode_nav", None)
    if cached is not None:
        return cached
    has_school_role = bool(permissions.school_ids(user))
    unread, tasks_due = _badges(user, has_school_role)
    request._meldcode_nav = {
        "nav": {
            "can_search": permissions.can(user, "student.search"),
            "can_list_cases": permissions.can(user, "case.list"),
            "can_manage": permissions.can(user, "admin.manage"),
            "can_import": permissions.can(user, "pupil.import"),
            "can_review_access": permissions.can(user, "access_log.view"),
            "can_grant_inspection": permissions.can(user, "inspection.grant"),
            "can_view_figures": permissions.can(user, "figures.view"),
            # Role checks only (no query): the roles are read once per request anyway.
            "can_confirm_destruction": bool(permissions.school_ids_with(user,
                                                                        *CONFIRMING_ROLES)),
            "can_set_retention": permissions.has_role(user, *POLICY_ROLES),
            "unread": unread,
            "has_tasks": has_school_role,
            "tasks_due": tasks_due,
            "roles": sorted(permissions.roles(user)),
        }
    }
    return request._meldcode_nav

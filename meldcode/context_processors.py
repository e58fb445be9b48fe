"""Template context for every page (project layer: may use every app)."""

from django.db.models import Count, IntegerField, Subquery, Value
from django.db.models.functions import Coalesce

from cases import permissions
from cases.models import Notification
from cases.selectors.tasks import visible_open_tasks
from meldcode.models import User
from meldcode.workdays import local_today
from retention.permissions import CONFIRMING_ROLES, POLICY_ROLES


def _count(queryset):
    """`queryset`'s row count as a scalar subquery (0 when empty)."""
    counted = (queryset.order_by().annotate(_one=Value(1)).values("_one")
               .annotate(n=Count("*")).values("n"))
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _badges(user, with_tasks: bool) -> tuple[int, int]:
    """Unread notifications and own open tasks due today: both in one round trip, each an
    indexed count (notifications by recipient and read_at; tasks by owner, open, due)."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    columns = {"unread": _count(unread)}
    if with_tasks:
        columns["due"] = _count(visible_open_tasks(user).filter(owner=user,
                                                                due_on__lte=local_today()))
    row = (User.objects.filter(pk=user.pk).order_by().annotate(**columns).values(*columns)
           .first()) or {}
    return row.get("unread", 0), row.get("due", 0)


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

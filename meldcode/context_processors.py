"""Template context for every page (project layer: may use every app)."""

from cases import permissions
from cases.notifications import unread_count
from cases.selectors.tasks import due_task_count
from retention.permissions import CONFIRMING_ROLES, POLICY_ROLES


def navigation(request):
    """What the header shows: the user's roles and which sections they can reach."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    has_school_role = bool(permissions.school_ids(user))

    return {
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
            "unread": unread_count(user),
            "has_tasks": has_school_role,
            "tasks_due": due_task_count(user) if has_school_role else 0,
            "roles": sorted(permissions.roles(user)),
        }
    }

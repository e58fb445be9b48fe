"""Template tag for the tasks panel of the case page (the case view stays untouched)."""

from django import template

from cases import permissions
from cases.models import Task
from cases.services.tasks import needs_reason as _needs_reason
from meldcode.workdays import local_today

register = template.Library()


@register.simple_tag
def case_tasks(case, user):
    """Open tasks of a case the user already sees, and whether they may manage them."""
    return {
        "tasks": list(Task.objects.filter(case=case, completed_at__isnull=True)
                      .select_related("owner").order_by("due_on", "created_at")),
        "may_manage": permissions.can(user, "task.manage", school=case.school),
        "today": local_today(),
    }


@register.filter
def needs_reason(task) -> bool:
    """Ticking this task off skips a step of the meldcode: the form asks why."""
    return _needs_reason(task)

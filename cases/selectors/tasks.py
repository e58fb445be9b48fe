"""Read-side queries for tasks (deadlines), always starting from the permission policy."""

from cases import permissions
from cases.models import Task
from meldcode.workdays import local_today


def visible_open_tasks(user):
    """Open tasks of cases the user can still see; a task never outlives the need to know."""
    return Task.objects.filter(completed_at__isnull=True,
                               case__in=permissions.visible_cases(user))


def due_task_count(user) -> int:
    """The user's own open tasks due today or overdue: one count query (header badge)."""
    return visible_open_tasks(user).filter(owner=user, due_on__lte=local_today()).count()

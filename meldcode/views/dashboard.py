"""The start page (project layer: it may use every app)."""

from django.shortcuts import render

from cases import permissions
from cases.selectors import cases as selectors
from cases.selectors.tasks import overdue_task_count
from decisions.selectors.reports import awaiting_approval
from meldcode.models import Role


def dashboard(request):
    """One start page; its blocks follow the user's roles."""
    user = request.user
    context = {
        "my_cases": selectors.my_cases(user)[:10] if permissions.can(user, "case.open") else [],
        "phase_counts": selectors.phase_counts(user) if permissions.can(user, "case.list")
        else [],
        "is_beheerder": permissions.can(user, "admin.manage"),
        "can_report": permissions.can(user, "case.open"),
        "overdue_tasks": overdue_task_count(user) if permissions.school_ids(user) else 0,
        "can_set_deadlines": permissions.can(user, "deadline_policy.manage"),
    }
    directie_schools = permissions.school_ids_with(user, Role.DIRECTIE)
    # Directie approves every melding: the ones waiting for them come first.
    context["awaiting_approval"] = (awaiting_approval(user, directie_schools)
                                    if directie_schools else [])
    return render(request, "meldcode/dashboard.html", context)

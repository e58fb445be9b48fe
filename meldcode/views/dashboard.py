"""The start page (project layer: it may use every app)."""

from django.shortcuts import render

from audit.models import AccessKind
from audit.services import access_log
from cases import permissions
from cases.selectors import cases as selectors
from cases.selectors.tasks import overdue_task_count
from decisions.selectors.reports import awaiting_approval
from inspection.selectors.grants import current_grants_of
from meldcode import permissions as role_grants
from meldcode.models import MembershipStatus, Role


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
        "roles_to_confirm": role_grants.awaiting_confirmation_by(user).count()
        if role_grants.confirms_anything(user) else 0,
        # A role that waits for confirmation grants nothing yet; say so instead of an
        # empty page.
        "my_waiting_roles": role_grants.with_confirmer(
            user.memberships.filter(status=MembershipStatus.PENDING)
        ).select_related("school", "board").order_by("pk"),
    }
    # The inspecteur's block: their current grants (inspection/), nothing of dossiers.
    context["is_inspecteur"] = role_grants.has_role(user, Role.INSPECTEUR)
    context["inspection_grants"] = (list(current_grants_of(user))
                                    if context["is_inspecteur"] else [])
    directie_schools = permissions.school_ids_with(user, Role.DIRECTIE)
    # Directie approves every melding: the ones waiting for them come first.
    context["awaiting_approval"] = (awaiting_approval(user, directie_schools)
                                    if directie_schools else [])
    if (context["my_cases"] or context["phase_counts"] or context["overdue_tasks"]
            or context["awaiting_approval"]):
        # The blocks name pupils and phases: one entry for the page, not one per case.
        access_log(user=user, what="dashboard", kind=AccessKind.LIST)
    return render(request, "meldcode/dashboard.html", context)

"""The start page (project layer: it may use every app).

It opens on what needs the user today, in this order: new concerns and disclosures,
deadlines due and overdue, meldingen waiting (for directie's approval, an acute melding's
acknowledgement, Veilig Thuis' feedback), meldplicht cases, and then the cases by phase.
Every block is one or two queries, whatever the number of cases."""

from django.shortcuts import render

from audit.models import AccessKind
from audit.services import access_log
from cases import permissions
from cases.selectors import cases as selectors
from cases.selectors import dashboard as today_selectors
from decisions.selectors.reports import reports_in_progress
from inspection.selectors.grants import current_grants_of
from meldcode import permissions as role_grants
from meldcode.models import MembershipStatus, Role
from meldcode.workdays import local_today

# Who oversees the meldingen of a school: the AF drafts them, directie approves them.
REPORT_ROLES = (Role.AANDACHTSFUNCTIONARIS, Role.DIRECTIE)


def _reports(user) -> dict:
    schools = permissions.school_ids_with(user, *REPORT_ROLES)
    if not schools:
        return {}
    reports = reports_in_progress(
        permissions.visible_cases(user).filter(school_id__in=schools))
    directie = permissions.school_ids_with(user, Role.DIRECTIE)
    return {
        # Directie approves (never their own draft: four eyes); the AF sees them waiting.
        "awaiting_approval": [r for r in reports["approval"] if r.case.school_id in directie
                              and r.drafted_by_id != user.pk],
        "waiting_for_directie": [r for r in reports["approval"]
                                 if r.case.school_id not in directie
                                 or r.drafted_by_id == user.pk],
        "acute_reports": reports["acute"],
        "waiting_for_vt": reports["feedback"],
    }


def dashboard(request):
    """One start page; its blocks follow the user's roles."""
    user = request.user
    may_list = permissions.can(user, "case.list")
    deadlines = (today_selectors.deadlines(user) if permissions.school_ids(user)
                 or role_grants.board_ids_with(user, Role.BESTUUR) else None)
    context = {
        "today": local_today(),
        "new_concerns": today_selectors.new_concerns(user),
        "my_drafts": today_selectors.my_drafts(user) if permissions.can(user, "case.open")
        else [],
        "deadlines": deadlines,
        "my_cases": selectors.my_cases(user)[:10] if permissions.can(user, "case.open") else [],
        "phase_counts": selectors.phase_counts(user) if may_list else [],
        "is_beheerder": permissions.can(user, "admin.manage"),
        "can_report": permissions.can(user, "case.open"),
        "overdue_tasks": deadlines.overdue if deadlines else 0,
        "can_set_deadlines": permissions.can(user, "deadline_policy.manage"),
        "roles_to_confirm": role_grants.awaiting_confirmation_by(user).count()
        if role_grants.confirms_anything(user) else 0,
        # A role that waits for confirmation grants nothing yet; say so instead of an
        # empty page.
        "my_waiting_roles": role_grants.with_confirmer(
            user.memberships.filter(status=MembershipStatus.PENDING)
        ).select_related("school", "board").order_by("pk"),
        **_reports(user),
    }
    # The inspecteur's block: their current grants (inspection/), nothing of dossiers.
    context["is_inspecteur"] = role_grants.has_role(user, Role.INSPECTEUR)
    context["inspection_grants"] = (list(current_grants_of(user))
                                    if context["is_inspecteur"] else [])
    if permissions.school_ids_with(user, Role.DIRECTIE) or role_grants.board_ids_with(
            user, Role.BESTUUR):
        context["meldplicht_cases"] = today_selectors.meldplicht_cases(user)
    names_pupils = ("new_concerns", "my_drafts", "my_cases", "phase_counts", "awaiting_approval",
                    "waiting_for_directie", "acute_reports", "waiting_for_vt",
                    "meldplicht_cases")
    if any(context.get(key) for key in names_pupils) or (deadlines and deadlines.soon):
        # The blocks name pupils and phases: one entry for the page, not one per case.
        access_log(user=user, what="dashboard", kind=AccessKind.LIST)
    return render(request, "meldcode/dashboard.html", context)

"""What the decisions pages share: fetching the case through the policy, and who is
consulted or may be casemanager."""

from django.core.exceptions import PermissionDenied

from audit.services import access_log
from cases import permissions, workflow
from meldcode.models import Role

ZORGTEAM = frozenset({Role.AANDACHTSFUNCTIONARIS, Role.OKA, Role.DIRECTIE})


def case_for(request, case_id, *, what: str | None, roles=ZORGTEAM):
    """The case for a decisions page: 404 outside scope; 403 for a role that takes no
    part in steps 4-5 (a teacher, the bestuur). With `what` None the caller logs the
    access itself (a document, once the password and code were confirmed)."""
    case = permissions.get_case_for_user(request.user, case_id, "workflow")
    case.user_roles = workflow.user_roles(request.user, case)
    if not case.user_roles & roles:
        raise PermissionDenied
    if what is not None:
        access_log(user=request.user, what=what, case=case)
    return case


def consult_candidates(case):
    """The AF and OKA of the school, with whom directie consults."""
    return (permissions.role_holders(Role.AANDACHTSFUNCTIONARIS, Role.OKA,
                                     school_id=case.school_id)
            .order_by("last_name", "first_name"))


def casemanager_candidates(case):
    return (permissions.role_holders(Role.AANDACHTSFUNCTIONARIS, Role.OKA, Role.DIRECTIE,
                                     school_id=case.school_id)
            .order_by("last_name", "first_name"))

"""The role grants: which roles a user holds where, and what each role may do in general.

This is the core of the permission policy; it knows nothing of dossiers. The policy for
cases and pupils (`cases/permissions.py`) builds on it and is the one module through which
views fetch and list dossier objects. The beheer helpers at the end scope a functioneel
beheerder to their own boards.

Role capabilities are declared below as data.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from meldcode.models import Membership, Role, School, User

# What a role may do in general, at the schools (or board) where the user holds it.
ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.LEERKRACHT: frozenset({"student.search", "case.open"}),
    Role.OKA: frozenset({"student.search", "case.open"}),
    # The AF and directie also oversee every task (deadline) of their school's cases.
    # The AF also answers parents' "wie heeft het dossier van mijn kind ingezien".
    Role.AANDACHTSFUNCTIONARIS: frozenset({"student.search", "case.open", "case.list",
                                           "task.manage", "access_report.produce"}),
    Role.DIRECTIE: frozenset({"student.search", "case.open", "case.list", "task.manage"}),
    # The bestuur is the verwerkingsverantwoordelijke of its schools' dossiers: it reviews
    # the access log (NEN 7513) and receives the unusual-access reports.
    Role.BESTUUR: frozenset({"case.list", "access_log.view"}),
    # Organisation and reference data of the board; never dossier content.
    Role.BEHEERDER: frozenset({"admin.manage", "catalog.manage", "deadline_policy.manage"}),
    Role.INSPECTEUR: frozenset(),
}



@dataclass(frozen=True)
class Grant:
    role: str
    school_id: object | None
    board_id: object


def grants(user) -> tuple[Grant, ...]:
    """The user's roles, read once per request and cached on the user object."""
    if not user.is_authenticated or not user.is_active:
        return ()
    cached = getattr(user, "_meldcode_grants", None)
    if cached is None:
        cached = tuple(
            Grant(role=m.role, school_id=m.school_id, board_id=m.board_id)
            for m in user.memberships.all()
        )
        user._meldcode_grants = cached
    return cached


def forget_roles(user) -> None:
    """Drop the per-request role cache (after memberships change)."""
    user.__dict__.pop("_meldcode_grants", None)


def roles(user) -> set[str]:
    return {g.role for g in grants(user)}


def roles_at(user, school) -> set[str]:
    """The roles the user holds at this school (board roles count for its board)."""
    return {g.role for g in grants(user)
            if g.school_id == school.pk or (g.school_id is None and g.board_id == school.board_id)}


def has_role(user, *wanted: str) -> bool:
    return any(g.role in wanted for g in grants(user))


def school_ids_with(user, *wanted_roles: str) -> set:
    return {g.school_id for g in grants(user) if g.role in wanted_roles and g.school_id}


def board_ids_with(user, *wanted_roles: str) -> set:
    return {g.board_id for g in grants(user) if g.role in wanted_roles}


def school_ids(user) -> set:
    return {g.school_id for g in grants(user) if g.school_id}


def can(user, capability: str, *, school=None) -> bool:
    """Role-level capability, optionally at one school (board roles cover their schools)."""
    for g in grants(user):
        if capability not in ROLE_CAPABILITIES.get(g.role, ()):
            continue
        if school is None or g.school_id == school.pk or (
            g.school_id is None and g.board_id == school.board_id
        ):
            return True
    return False


def require(user, capability: str, *, school=None) -> None:
    if not can(user, capability, school=school):
        raise PermissionDenied


def schools_for(user, capability: str):
    """Schools where the user holds `capability` (board roles: all schools of the board)."""
    ids, boards = set(), set()
    for g in grants(user):
        if capability in ROLE_CAPABILITIES.get(g.role, ()):
            if g.school_id:
                ids.add(g.school_id)
            else:
                boards.add(g.board_id)
    return School.objects.filter(Q(pk__in=ids) | Q(board_id__in=boards)).order_by("name")


# --- Beheer ----------------------------------------------------------------------------
# The functioneel beheerder manages people, roles and schools of their own board(s) only,
# and never reaches dossier content: none of the helpers below touch cases or pupils.


def managed_board_ids(user) -> set:
    """Boards where the user is functioneel beheerder."""
    return board_ids_with(user, Role.BEHEERDER)


def require_manager(user) -> set:
    """The boards the user manages; 403 for anyone who is not a beheerder."""
    boards = managed_board_ids(user)
    if not boards:
        raise PermissionDenied
    return boards


def managed_schools(user) -> QuerySet:
    return School.objects.filter(board_id__in=managed_board_ids(user)).select_related("board")


def managed_users(user) -> QuerySet:
    """People holding at least one role at a board the user manages."""
    return User.objects.filter(
        Exists(Membership.objects.filter(user=OuterRef("pk"),
                                         board_id__in=managed_board_ids(user)))
    )


def get_school_for_manager(user, school_id):
    """A school of the beheerder's board: 403 for non-beheerders, 404 outside their boards."""
    boards = require_manager(user)
    try:
        return School.objects.select_related("board").get(pk=school_id, board_id__in=boards)
    except (School.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc


def get_user_for_manager(user, user_id):
    """A person with a role at the beheerder's board (by uuid): 403 / 404 as above."""
    require_manager(user)
    try:
        return managed_users(user).get(uuid=user_id)
    except (ObjectDoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc

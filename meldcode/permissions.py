"""The role grants: which roles a user holds where, and what each role may do in general.

This is the core of the permission policy; it knows nothing of dossiers. The policy for
cases and pupils (`cases/permissions.py`) builds on it and is the one module through which
views fetch and list dossier objects. The beheer helpers at the end scope a functioneel
beheerder to their own boards.

Role capabilities are declared below as data. Only confirmed roles count (see
"Confirming roles" below): a role a beheerder gave grants nothing until the school's
directie or the board's bestuur has confirmed it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.http import Http404

from meldcode.models import (
    ROLES_NEEDING_CONFIRMATION,
    SCHOOL_ROLES,
    Membership,
    MembershipStatus,
    Role,
    School,
    User,
)

# What a role may do in general, at the schools (or board) where the user holds it.
ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.LEERKRACHT: frozenset({"student.search", "case.open"}),
    Role.OKA: frozenset({"student.search", "case.open"}),
    # The AF and directie also oversee every task (deadline) of their school's cases.
    # "pupil.manage": groups and own teachers by hand; "pupil.import": the LAS import.
    # The AF also answers parents' "wie heeft het dossier van mijn kind ingezien".
    Role.AANDACHTSFUNCTIONARIS: frozenset({"student.search", "case.open", "case.list",
                                           "task.manage", "pupil.manage", "pupil.import",
                                           "access_report.produce"}),
    # "figures.view": the school's anonymised meldcode figures; "evaluation.edit": the
    # yearly evaluation of the meldcode at the school (seed 004).
    Role.DIRECTIE: frozenset({"student.search", "case.open", "case.list", "task.manage",
                              "figures.view", "evaluation.edit"}),
    # The bestuur is the verwerkingsverantwoordelijke of its schools' dossiers: it reviews
    # the access log (NEN 7513) and receives the unusual-access reports.
    # It also gives the Onderwijsinspectie access ("inspection.grant") and reads the
    # anonymised figures of its schools.
    Role.BESTUUR: frozenset({"case.list", "access_log.view", "inspection.grant",
                             "figures.view"}),
    # Organisation and reference data of the board; never dossier content.
    # The pupil import reads the school's administration, never a dossier.
    # Giving an inspecteur access is organisation work too; what the inspecteur then sees
    # is pseudonymised (inspection/).
    Role.BEHEERDER: frozenset({"admin.manage", "catalog.manage", "deadline_policy.manage",
                               "pupil.import", "inspection.grant"}),
    # Nothing by role alone: only what a current InspectionGrant covers (inspection/).
    Role.INSPECTEUR: frozenset(),
}



@dataclass(frozen=True)
class Grant:
    role: str
    school_id: object | None
    board_id: object


def grants(user) -> tuple[Grant, ...]:
    """The user's confirmed roles, read once per request and cached on the user object.

    A role waiting for confirmation (or refused) counts for nothing: not for dossiers, not
    for tasks or notifications, not for confirming other people's roles."""
    if not user.is_authenticated or not user.is_active:
        return ()
    cached = getattr(user, "_meldcode_grants", None)
    if cached is None:
        cached = tuple(
            Grant(role=m.role, school_id=m.school_id, board_id=m.board_id)
            for m in user.memberships.all() if m.status == MembershipStatus.CONFIRMED
        )
        user._meldcode_grants = cached
    return cached


def role_holders(*wanted_roles: str, school_id=None, board_id=None) -> QuerySet:
    """Active people who hold one of `wanted_roles`, confirmed, at the school (or, with
    `board_id`, as a board role of that board).

    The conditions sit in one filter() call on purpose: only then do they all apply to the
    same membership row (a confirmed teacher role must not count for a pending directie
    role at another school)."""
    where = {"memberships__role__in": list(wanted_roles),
             "memberships__status": MembershipStatus.CONFIRMED}
    if school_id is not None:
        where["memberships__school_id"] = school_id
    if board_id is not None:
        where.update(memberships__board_id=board_id, memberships__school__isnull=True)
    return User.objects.filter(is_active=True, **where).distinct()


def forget_roles(user) -> None:
    """Drop the per-request role cache (after memberships change), and what was built on
    it (cases/permissions.py: the visible cases)."""
    for key in ("_meldcode_grants", "_meldcode_visible_cases"):
        user.__dict__.pop(key, None)


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


# --- Confirming roles ------------------------------------------------------------------
# A role that opens dossiers (ROLES_NEEDING_CONFIRMATION) is confirmed by the school's
# directie. When the school has no confirmed directie besides the person (its first
# directie, or a role of its only directie), the board's bestuur confirms; a bestuur role is
# confirmed by another member of the bestuur (the first one at the command line,
# `manage.py confirm_first_bestuur`). Nobody confirms their own role.
# `awaiting_confirmation_by` (the confirmer's to-do) and `confirmers_of` (whom to tell) are
# the two readings of this one rule.


def _other_confirmed_directie():
    """Confirmed, active directie of the outer membership's school, other than its holder."""
    return Membership.objects.filter(
        school_id=OuterRef("school_id"), role=Role.DIRECTIE,
        status=MembershipStatus.CONFIRMED, user__is_active=True,
    ).exclude(user_id=OuterRef("user_id"))


def with_confirmer(memberships: QuerySet) -> QuerySet:
    """Annotate `confirmed_by_directie`: whether the school's directie (not the bestuur) is
    the one to confirm each membership."""
    return memberships.annotate(confirmed_by_directie=ExpressionWrapper(
        Q(role__in=sorted(SCHOOL_ROLES)) & Exists(_other_confirmed_directie()),
        output_field=BooleanField()))


def awaiting_confirmation_by(user) -> QuerySet:
    """The roles waiting for this user's confirmation."""
    directie_at = school_ids_with(user, Role.DIRECTIE)
    bestuur_of = board_ids_with(user, Role.BESTUUR)
    if not directie_at and not bestuur_of:
        return Membership.objects.none()
    school_role = Q(role__in=sorted(SCHOOL_ROLES))
    by_directie = school_role & Q(school_id__in=directie_at)
    by_bestuur = Q(board_id__in=bestuur_of) & (
        Q(role=Role.BESTUUR) | (school_role & ~Exists(_other_confirmed_directie()))
    )
    return (Membership.objects.filter(status=MembershipStatus.PENDING, user__is_active=True)
            .filter(by_directie | by_bestuur).exclude(user_id=user.pk))


def confirmers_of(membership) -> QuerySet:
    """Who is to confirm this (pending) role; empty when nobody in the product can."""
    if membership.role not in ROLES_NEEDING_CONFIRMATION:
        return User.objects.none()
    if membership.role in SCHOOL_ROLES:
        directie = (role_holders(Role.DIRECTIE, school_id=membership.school_id)
                    .exclude(pk=membership.user_id).order_by("pk"))
        if directie.exists():
            return directie
    return (role_holders(Role.BESTUUR, board_id=membership.board_id)
            .exclude(pk=membership.user_id).order_by("pk"))


def confirms_anything(user) -> bool:
    """Whether the user holds a role that confirms other people's roles."""
    return has_role(user, Role.DIRECTIE, Role.BESTUUR)


def get_membership_for_confirmer(user, membership_id):
    """A role at the confirmer's school (directie) or board (bestuur): 403 for anyone who
    confirms no roles, 404 outside their school or board. The service decides the rest."""
    if not confirms_anything(user):
        raise PermissionDenied
    scope = (Q(school_id__in=school_ids_with(user, Role.DIRECTIE))
             | Q(board_id__in=board_ids_with(user, Role.BESTUUR)))
    try:
        return (Membership.objects.select_related("user", "school", "board")
                .get(scope, pk=membership_id))
    except (Membership.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc

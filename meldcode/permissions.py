"""The permission policy: the one place that answers "may this user do X to this object?".

Views fetch dossier objects only through `get_case_for_user` / `get_student_for_user` and
list them only through `visible_cases` / `searchable_students`:
- outside the user's scope (other school, not on the case team) → 404, the object's
  existence is not revealed;
- in scope but the action is not allowed for the user's role → 403.

Role capabilities and per-case actions are declared below as data. Only confirmed roles
count (see "Confirming roles" below): a role a beheerder gave grants nothing until the
school's directie or the board's bestuur has confirmed it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.http import Http404

from meldcode.models import ROLES_NEEDING_CONFIRMATION, SCHOOL_ROLES, MembershipStatus, Role

# What a role may do in general, at the schools (or board) where the user holds it.
ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.LEERKRACHT: frozenset({"student.search", "case.open"}),
    Role.OKA: frozenset({"student.search", "case.open"}),
    # The AF and directie also oversee every task (deadline) of their school's cases.
    Role.AANDACHTSFUNCTIONARIS: frozenset({"student.search", "case.open", "case.list",
                                           "task.manage"}),
    Role.DIRECTIE: frozenset({"student.search", "case.open", "case.list", "task.manage"}),
    Role.BESTUUR: frozenset({"case.list"}),
    # Organisation and reference data of the board; never dossier content.
    Role.BEHEERDER: frozenset({"admin.manage", "catalog.manage", "deadline_policy.manage"}),
    Role.INSPECTEUR: frozenset(),
}

# What a member of a case team may do to that case, by the role they hold at its school.
# "workflow" opens the stappenplan pages; cases/workflow.py says per phase which step
# each role may take.
_LOG_OBSERVATIONS = frozenset({"observation.add", "observation.follow_up"})
CASE_ACTIONS: dict[str, frozenset[str]] = {
    Role.LEERKRACHT: frozenset({"view", "workflow"}) | _LOG_OBSERVATIONS,
    Role.OKA: frozenset({"view", "workflow"}) | _LOG_OBSERVATIONS,
    Role.AANDACHTSFUNCTIONARIS: frozenset({"view", "view_history", "manage_team", "workflow"})
    | _LOG_OBSERVATIONS,
    Role.DIRECTIE: frozenset({"view", "view_history", "workflow"}) | _LOG_OBSERVATIONS,
    Role.BESTUUR: frozenset({"view", "view_history", "workflow"}),
}

# Roles that are on every stappenplan case team of their school, without a grant.
ALWAYS_ON_TEAM = frozenset({Role.AANDACHTSFUNCTIONARIS, Role.DIRECTIE})
# Roles that may be granted a place on a case team by the AF.
GRANTABLE_ROLES = frozenset({Role.LEERKRACHT, Role.OKA})

TEAM_PERMISSION = "view_case"


@dataclass(frozen=True)
class Grant:
    role: str
    school_id: object | None
    board_id: object


def _grants(user) -> tuple[Grant, ...]:
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


def forget_roles(user) -> None:
    """Drop the per-request role cache (after memberships change)."""
    user.__dict__.pop("_meldcode_grants", None)


def roles(user) -> set[str]:
    return {g.role for g in _grants(user)}


def roles_at(user, school) -> set[str]:
    """The roles the user holds at this school (board roles count for its board)."""
    return {g.role for g in _grants(user)
            if g.school_id == school.pk or (g.school_id is None and g.board_id == school.board_id)}


def has_role(user, *wanted: str) -> bool:
    return any(g.role in wanted for g in _grants(user))


def school_ids_with(user, *wanted_roles: str) -> set:
    return {g.school_id for g in _grants(user) if g.role in wanted_roles and g.school_id}


def board_ids_with(user, *wanted_roles: str) -> set:
    return {g.board_id for g in _grants(user) if g.role in wanted_roles}


def school_ids(user) -> set:
    return {g.school_id for g in _grants(user) if g.school_id}


def can(user, capability: str, *, school=None) -> bool:
    """Role-level capability, optionally at one school (board roles cover their schools)."""
    for g in _grants(user):
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
    from meldcode.models import School

    ids, boards = set(), set()
    for g in _grants(user):
        if capability in ROLE_CAPABILITIES.get(g.role, ()):
            if g.school_id:
                ids.add(g.school_id)
            else:
                boards.add(g.board_id)
    return School.objects.filter(Q(pk__in=ids) | Q(board_id__in=boards)).order_by("name")


# --- Cases -----------------------------------------------------------------------------


def _team_grant_exists(user):
    from cases.models import CaseUserObjectPermission

    return Exists(
        CaseUserObjectPermission.objects.filter(
            content_object=OuterRef("pk"), user=user, permission__codename=TEAM_PERMISSION
        )
    )


def visible_cases(user) -> QuerySet:
    """Every case the user may see: need-to-know, nothing more."""
    from cases.models import Case, Route

    if not _grants(user):
        return Case.objects.none()
    always = school_ids_with(user, *ALWAYS_ON_TEAM)
    stappenplan = Q(route=Route.STAPPENPLAN) & (
        Q(school_id__in=always) | (Q(school_id__in=school_ids(user)) & _team_grant_exists(user))
    )
    # Meldplicht: a staff member is suspected; only the reporter, directie and bestuur.
    meldplicht = Q(route=Route.MELDPLICHT) & (
        Q(opened_by=user, school_id__in=school_ids(user))
        | Q(school_id__in=school_ids_with(user, Role.DIRECTIE))
        | Q(school__board_id__in=board_ids_with(user, Role.BESTUUR))
    )
    return Case.objects.filter(stappenplan | meldplicht)


def is_on_team(user, case) -> bool:
    from cases.models import CaseUserObjectPermission

    return CaseUserObjectPermission.objects.filter(
        content_object=case, user=user, permission__codename=TEAM_PERMISSION
    ).exists()


def case_actions(user, case, roles: frozenset[str] | None = None) -> frozenset[str]:
    """What the user may do to this case; empty when the case is outside their scope."""
    actions: set[str] = set()
    for role in case_roles(user, case) if roles is None else roles:
        actions |= CASE_ACTIONS.get(role, frozenset())
    return frozenset(actions)


def case_roles(user, case) -> frozenset[str]:
    """The roles in which the user acts on this case (none when outside their scope).

    The stappenplan table (cases/workflow.py) refines per phase what each of them may do."""
    from cases.models import Route

    grants = _grants(user)
    at_school = {g.role for g in grants if g.school_id == case.school_id}
    board_roles = {g.role for g in grants if g.school_id is None and g.board_id ==
                   case.school.board_id}
    effective: set[str] = set()
    if case.route == Route.MELDPLICHT:
        if Role.DIRECTIE in at_school:
            effective.add(Role.DIRECTIE)
        if Role.BESTUUR in board_roles:
            effective.add(Role.BESTUUR)
        if case.opened_by_id == user.pk and at_school:
            effective.add(Role.LEERKRACHT)
    else:
        effective |= at_school & ALWAYS_ON_TEAM
        granted_roles = at_school & GRANTABLE_ROLES
        if granted_roles and is_on_team(user, case):
            effective |= granted_roles
    return frozenset(effective)


def get_case_for_user(user, case_id, action: str = "view", *, queryset=None):
    """Fetch a case for `action`: 404 outside the user's scope, 403 in scope but not allowed."""
    from cases.models import Case

    qs = queryset if queryset is not None else Case.objects.all()
    try:
        case = qs.select_related("school", "school__board", "student", "opened_by").get(
            pk=case_id
        )
    except (Case.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc
    roles = case_roles(user, case)
    actions = case_actions(user, case, roles)
    if "view" not in actions:
        raise Http404
    if action not in actions:
        raise PermissionDenied
    case.allowed_actions = actions
    # The roles the user acts in on this case, for the access log.
    case.acting_roles = roles
    return case


# --- Pupils ----------------------------------------------------------------------------


def searchable_students(user) -> QuerySet:
    """Pupils the user may find to report a concern: those of their own schools."""
    from cases.models import Student

    ids = {g.school_id for g in _grants(user)
           if g.school_id and "student.search" in ROLE_CAPABILITIES.get(g.role, ())}
    return Student.objects.filter(school_id__in=ids)


def get_student_for_user(user, student_id, capability: str = "student.search"):
    from cases.models import Student

    try:
        student = Student.objects.select_related("school").get(pk=student_id)
    except (Student.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc
    if student.school_id not in school_ids(user) or not can(user, "student.search",
                                                               school=student.school):
        raise Http404
    if not can(user, capability, school=student.school):
        raise PermissionDenied
    return student


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
    from meldcode.models import School

    return School.objects.filter(board_id__in=managed_board_ids(user)).select_related("board")


def managed_users(user) -> QuerySet:
    """People holding at least one role at a board the user manages."""
    from meldcode.models import Membership, User

    return User.objects.filter(
        Exists(Membership.objects.filter(user=OuterRef("pk"),
                                         board_id__in=managed_board_ids(user)))
    )


def get_school_for_manager(user, school_id):
    """A school of the beheerder's board: 403 for non-beheerders, 404 outside their boards."""
    from meldcode.models import School

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
    from meldcode.models import Membership

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
    from meldcode.models import Membership

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
    from meldcode.models import User

    def holders(role, **where):
        return (User.objects.filter(is_active=True, memberships__role=role,
                                    memberships__status=MembershipStatus.CONFIRMED, **where)
                .exclude(pk=membership.user_id).distinct().order_by("pk"))

    if membership.role not in ROLES_NEEDING_CONFIRMATION:
        return User.objects.none()
    if membership.role in SCHOOL_ROLES:
        directie = holders(Role.DIRECTIE, memberships__school_id=membership.school_id)
        if directie.exists():
            return directie
    return holders(Role.BESTUUR, memberships__board_id=membership.board_id,
                   memberships__school__isnull=True)


def confirms_anything(user) -> bool:
    """Whether the user holds a role that confirms other people's roles."""
    return has_role(user, Role.DIRECTIE, Role.BESTUUR)


def get_membership_for_confirmer(user, membership_id):
    """A role at the confirmer's school (directie) or board (bestuur): 403 for anyone who
    confirms no roles, 404 outside their school or board. The service decides the rest."""
    from meldcode.models import Membership

    if not confirms_anything(user):
        raise PermissionDenied
    scope = (Q(school_id__in=school_ids_with(user, Role.DIRECTIE))
             | Q(board_id__in=board_ids_with(user, Role.BESTUUR)))
    try:
        return (Membership.objects.select_related("user", "school", "board")
                .get(scope, pk=membership_id))
    except (Membership.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc

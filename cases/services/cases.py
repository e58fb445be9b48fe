"""Services for opening cases and managing the case team (one function per action)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit
from cases import permissions
from cases.deadlines import case_event
from cases.errors import DomainError
from cases.models import Case, CaseUserObjectPermission, Notification, Phase, Route, Student
from cases.notifications import notify
from cases.selectors.cases import school_coordinators
from meldcode.models import Membership, MembershipStatus, Role, User


@dataclass(frozen=True)
class CaseOpenResult:
    case: Case
    created: bool
    visible: bool
    # Not on the team, but may write observations into the existing case (write-only).
    contribute: bool = False


def _team_permission(codename: str = permissions.TEAM_PERMISSION) -> Permission:
    return Permission.objects.get(content_type__app_label="cases", codename=codename)


def acting_role(actor, school) -> str:
    """The roles the actor holds at the school, for the audit record (from the policy's
    per-request role cache, no extra query)."""
    return ",".join(sorted(permissions.roles_at(actor, school)))


@transaction.atomic
def case_open(*, actor, student: Student) -> CaseOpenResult:
    """Open a case for a pupil, or lead to the open one (one open stappenplan case per
    pupil; an open meldplicht case does not count, the pupil's own care goes on)."""
    student = Student.objects.select_for_update().select_related("school").get(pk=student.pk)
    permissions.require(actor, "case.open", school=student.school)
    existing = (
        Case.objects.select_related("school", "school__board")
        .filter(student=student, route=Route.STAPPENPLAN)
        .exclude(phase=Phase.GESLOTEN)
        .first()
    )
    if existing is not None:
        actions = permissions.case_actions(actor, existing)
        visible = "view" in actions
        contribute = False
        if not visible:
            contribute = _grant_contribution(actor, existing, actions)
            notify(recipients=school_coordinators(student.school),
                   kind=Notification.Kind.CASE_EXISTS, case=existing, actor=actor)
            audit("case.open_refused_existing", actor=actor, subject=existing,
                  actor_role=acting_role(actor, student.school),
                  data={"contribute": contribute})
        return CaseOpenResult(case=existing, created=False, visible=visible,
                              contribute=contribute)

    now = timezone.now()
    case = Case.objects.create(
        school=student.school, student=student, opened_by=actor, opened_at=now,
        phase_changed_at=now,
    )
    if student.school_id in permissions.school_ids_with(actor, *permissions.GRANTABLE_ROLES):
        CaseUserObjectPermission.objects.create(
            content_object=case, user=actor, permission=_team_permission(), granted_by=actor
        )
    audit("case.opened", actor=actor, subject=case, actor_role=acting_role(actor, case.school),
          data={"phase": case.phase})
    case_event("phase.entered", case=case, actor=actor, phase=case.phase)
    notify(recipients=school_coordinators(case.school), kind=Notification.Kind.CASE_OPENED,
           case=case, actor=actor)
    return CaseOpenResult(case=case, created=True, visible=True)


def _grant_contribution(actor, case: Case, actions) -> bool:
    """A teacher or OKA of the school who is not on the team may still write their
    observation into the open stappenplan case, without reading it (000 stap 1 "noteer
    wat u observeert"). A meldplicht case stays closed to them."""
    if "observation.add" in actions:
        return True
    if case.route != Route.STAPPENPLAN or case.school_id not in permissions.school_ids_with(
            actor, *permissions.GRANTABLE_ROLES):
        return False
    CaseUserObjectPermission.objects.create(
        content_object=case, user=actor,
        permission=_team_permission(permissions.CONTRIBUTE_PERMISSION), granted_by=actor)
    audit("case.contributor.added", actor=actor, subject=case,
          actor_role=acting_role(actor, case.school))
    return True


def team_candidates(case):
    """Staff of the case's school who may be added to its team (teachers and OKA)."""
    on_team = CaseUserObjectPermission.objects.filter(
        content_object=case, permission__codename=permissions.TEAM_PERMISSION).values("user_id")
    return (
        permissions.role_holders(*permissions.GRANTABLE_ROLES, school_id=case.school_id)
        .exclude(pk__in=on_team)
        .distinct()
        .order_by("last_name", "first_name")
    )


def _require_team_manager(actor, case) -> None:
    if "manage_team" not in permissions.case_actions(actor, case):
        raise PermissionDenied


@transaction.atomic
def case_team_add(*, actor, case: Case, member) -> None:
    case = Case.objects.select_for_update(of=("self",)).select_related("school").get(pk=case.pk)
    _require_team_manager(actor, case)
    if not team_candidates(case).filter(pk=member.pk).exists():
        raise DomainError(
            _("Alleen leerkrachten en ouder- en kindadviseurs van deze school die nog niet "
              "in het team zitten, kunnen worden toegevoegd.")
        )
    grant_team_place(actor=actor, case=case, member=member)


def grant_team_place(*, actor, case: Case, member) -> None:
    """Give a teacher or OKA a place on the team (inside the caller's transaction)."""
    CaseUserObjectPermission.objects.create(
        content_object=case, user=member, permission=_team_permission(), granted_by=actor
    )
    audit("case.team.added", actor=actor, subject=case, actor_role=acting_role(actor, case.school),
          data={"member": member.pk})
    notify(recipients=[member], kind=Notification.Kind.TEAM_ADDED, case=case, actor=actor)


@transaction.atomic
def case_team_remove(*, actor, case: Case, member) -> None:
    case = Case.objects.select_for_update(of=("self",)).select_related("school").get(pk=case.pk)
    _require_team_manager(actor, case)
    if member.pk == case.opened_by_id:
        raise DomainError(_("Wie de zorg meldde, blijft in het casusteam."))
    deleted, _rows = CaseUserObjectPermission.objects.filter(
        content_object=case, user=member
    ).delete()
    if not deleted:
        raise DomainError(_("Deze persoon zit niet in het casusteam."))
    audit("case.team.removed", actor=actor, subject=case,
          actor_role=acting_role(actor, case.school), data={"member": member.pk})


@dataclass(frozen=True)
class RoleConfirmation:
    """One role a team member acts in, and who confirmed it (None: the role existed before
    roles were confirmed, or was confirmed at the command line)."""

    membership_id: int
    role: str
    confirmed_by: object | None
    confirmed_at: object | None


@dataclass(frozen=True)
class TeamMember:
    user: object
    roles: tuple[str, ...]
    removable: bool
    confirmations: tuple[RoleConfirmation, ...] = ()


def case_team(case) -> list[TeamMember]:
    """Everyone who sees the case, with their roles and whether the AF may remove them.

    Stappenplan: the school's AF and directie (by role) plus granted teachers and OKA.
    Meldplicht: only the reporter, the school's directie and the board's bestuur.
    """
    granted = set(
        CaseUserObjectPermission.objects.filter(
            content_object=case, permission__codename=permissions.TEAM_PERMISSION
        ).values_list("user_id", flat=True)
    )
    if case.route == Route.MELDPLICHT:
        who = (Q(school_id=case.school_id, role=Role.DIRECTIE)
               | Q(school__isnull=True, board_id=case.school.board_id, role=Role.BESTUUR)
               | Q(school_id=case.school_id, user_id=case.opened_by_id))
        granted = set()
    else:
        who = Q(school_id=case.school_id) & (
            Q(role__in=list(permissions.ALWAYS_ON_TEAM))
            | Q(user_id__in=granted, role__in=list(permissions.GRANTABLE_ROLES))
        )
    # Only confirmed roles put someone on the team (as in the permission policy).
    memberships = (Membership.objects
                   .filter(who, user__is_active=True, status=MembershipStatus.CONFIRMED)
                   .select_related("user", "decided_by")
                   .order_by("user__last_name", "user__first_name", "pk"))
    by_user: dict[int, list] = {}
    for membership in memberships:
        by_user.setdefault(membership.user_id, []).append(membership)
    return [
        TeamMember(
            user=held[0].user,
            roles=tuple(m.get_role_display() for m in held),
            removable=user_id in granted and user_id != case.opened_by_id,
            confirmations=tuple(RoleConfirmation(membership_id=m.pk,
                                                 role=m.get_role_display(),
                                                 confirmed_by=m.decided_by,
                                                 confirmed_at=m.decided_at if m.decided_by_id
                                                 else None)
                                for m in held),
        )
        for user_id, held in by_user.items()
    ]


def case_team_users(case):
    """The team as a User queryset (for form choices)."""
    return User.objects.filter(pk__in=[m.user.pk for m in case_team(case)]).order_by(
        "last_name", "first_name")

"""Services for tasks (deadlines) and the board's deadline policy (one function per action)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit
from cases import permissions
from cases.deadlines import RECORD_DEADLINES
from cases.errors import DomainError
from cases.models import DeadlinePolicy, Task
from meldcode.models import Board, Role

# Deadlines the school shares: when one AF ticks it off, the copies of the other AFs go too.
# The teacher's watching is personal to every teacher.
PERSONAL_KINDS = frozenset({"leerkracht_volgen"})


def may_manage(user, task: Task) -> bool:
    """AF and directie of the task's school oversee all its tasks (of cases they can see)."""
    return permissions.can(user, "task.manage", school=task.case.school)


def may_act_on(user, task: Task) -> bool:
    return task.owner_id == user.pk or may_manage(user, task)


def _locked(task: Task) -> Task:
    return (Task.objects.select_for_update(of=("self",))
            .select_related("case", "case__school").get(pk=task.pk))


def _require_visible(user, task: Task) -> None:
    if not permissions.visible_cases(user).filter(pk=task.case_id).exists():
        raise PermissionDenied


def needs_reason(task: Task) -> bool:
    """A meldcode deadline whose step has not been recorded: ticking it off is an override."""
    return task.kind in RECORD_DEADLINES and task.met_at is None


@transaction.atomic
def task_complete(*, actor, task: Task, reason: str = "") -> Task:
    """Tick a task off. A task that stands for a meldcode deadline asks for a reason: it
    leaves the list as overridden, and the deadline stays unmet until its record exists."""
    task = _locked(task)
    _require_visible(actor, task)
    if not may_act_on(actor, task):
        raise PermissionDenied
    if not task.is_open:
        raise DomainError(_("Deze taak is al afgerond."))
    reason = reason.strip()
    override = needs_reason(task)
    if override and not reason:
        raise DomainError(_(
            "Deze taak is een termijn uit de meldcode: die is pas gehaald met %(step)s. Zet "
            "die stap, of geef een reden waarom u de taak zonder die stap afrondt.")
            % {"step": RECORD_DEADLINES[task.kind]})
    now = timezone.now()
    task.completed_at, task.completed_by = now, actor
    task.auto_completed, task.completion_reason = False, "override" if override else ""
    task.override_reason = reason[:500] if override else ""
    task.save(update_fields=["completed_at", "completed_by", "auto_completed",
                             "completion_reason", "override_reason"])
    siblings = 0
    if task.kind not in PERSONAL_KINDS:
        siblings = Task.objects.filter(
            case_id=task.case_id, kind=task.kind, completed_at__isnull=True
        ).update(completed_at=now, completed_by=actor, auto_completed=True,
                 completion_reason="colleague", override_reason=task.override_reason)
    # The reason is typed text: it stays on the task, the trail names only the override.
    audit("task.overridden" if override else "task.completed", actor=actor, subject=task,
          case=task.case, data={"kind": task.kind, "owner": task.owner_id,
                                "shared_copies": siblings})
    return task


@transaction.atomic
def task_reopen(*, actor, task: Task) -> Task:
    task = _locked(task)
    _require_visible(actor, task)
    if not may_act_on(actor, task):
        raise PermissionDenied
    if task.is_open:
        raise DomainError(_("Deze taak staat nog open."))
    if Task.objects.filter(case_id=task.case_id, kind=task.kind, owner_id=task.owner_id,
                           completed_at__isnull=True).exists():
        raise DomainError(_("Er staat al een open taak van deze soort voor deze persoon."))
    task.completed_at = task.completed_by = None
    task.auto_completed, task.completion_reason, task.override_reason = False, "", ""
    task.save(update_fields=["completed_at", "completed_by", "auto_completed",
                             "completion_reason", "override_reason"])
    audit("task.reopened", actor=actor, subject=task, case=task.case,
          data={"kind": task.kind, "owner": task.owner_id})
    return task


@transaction.atomic
def task_reassign(*, actor, task: Task, owner) -> Task:
    task = _locked(task)
    _require_visible(actor, task)
    if not may_manage(actor, task):
        raise PermissionDenied
    if not task.is_open:
        raise DomainError(_("Een afgeronde taak kan niet meer worden toegewezen."))
    if not owner.is_active or "view" not in permissions.case_actions(owner, task.case):
        raise DomainError(_("Wijs de taak toe aan iemand uit het casusteam."))
    if owner.pk == task.owner_id:
        raise DomainError(_("Deze persoon is al eigenaar van de taak."))
    if Task.objects.filter(case_id=task.case_id, kind=task.kind, owner=owner,
                           completed_at__isnull=True).exists():
        raise DomainError(_("Deze persoon heeft al een open taak van deze soort."))
    previous = task.owner_id
    task.owner = owner
    task.last_reminded_on = None
    task.save(update_fields=["owner", "last_reminded_on"])
    audit("task.reassigned", actor=actor, subject=task, case=task.case,
          data={"kind": task.kind, "from": previous, "to": owner.pk})
    return task


def managed_boards(user):
    if not permissions.can(user, "deadline_policy.manage"):
        return Board.objects.none()
    return Board.objects.filter(pk__in=permissions.board_ids_with(user, Role.BEHEERDER))


def apply_policy_values(policy, values: dict) -> dict:
    """Set the board policy's EDITABLE_FIELDS from `values`; return what changed (for the
    audit event). Shared by the deadline and the retention policies."""
    changed = {}
    for name in policy.EDITABLE_FIELDS:
        if name in values and getattr(policy, name) != values[name]:
            changed[name] = values[name]
            setattr(policy, name, values[name])
    return changed


@transaction.atomic
def deadline_policy_update(*, actor, board, values: dict) -> DeadlinePolicy:
    """Set a board's deadlines (beheerder of that board); values are already validated."""
    if not managed_boards(actor).filter(pk=board.pk).exists():
        raise PermissionDenied
    policy, _created = DeadlinePolicy.objects.select_for_update().get_or_create(board=board)
    changed = apply_policy_values(policy, values)
    policy.full_clean()
    policy.save()
    if changed:
        audit("deadline_policy.updated", actor=actor, subject=policy, data=changed)
    return policy

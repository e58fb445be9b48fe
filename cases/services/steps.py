"""The step machinery every stappenplan service shares (cases/services/workflow.py,
classification.py, meldplicht.py and the decisions app): lock the case and check its row of
the table in cases/workflow.py, audit in the same transaction, move the case to the row's
target phase, and the common checks of what was typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit
from cases import dates, workflow
from cases.deadlines import case_event
from cases.errors import DomainError
from cases.models import Case, Phase, PhaseDecision, PhaseTransition, Student
from cases.notifications import tell_reporter


@dataclass
class Step:
    """A case locked for one action, with the table row that allows it."""

    case: Case
    row: workflow.Transition
    now: datetime
    roles: str

    @property
    def today(self) -> date:
        return timezone.localtime(self.now).date()


def step_begin(actor, case: Case, action: str, *, lock_student: bool = False) -> Step:
    """Lock the case and check the table row of `action`; a refusal raises
    `TransitionNotAllowed` with the Dutch sentence of what is missing."""
    if lock_student:
        # Reopening races with opening a new case for the same pupil: lock the pupil first.
        Student.objects.select_for_update().get(pk=case.student_id)
    case = (Case.objects.select_for_update(of=("self",))
            .select_related("school", "school__board", "student").get(pk=case.pk))
    now = timezone.now()
    roles = workflow.user_roles(actor, case)
    row = workflow.check(actor, case, action, roles=roles, now=now)
    return Step(case=case, row=row, now=now, roles=",".join(sorted(roles)))


def step_audit(code: str, step: Step, actor, subject=None, **data) -> None:
    """The audit event of a step, in the actor's roles on the case (same transaction)."""
    audit(code, actor=actor, subject=subject or step.case, case=step.case,
          actor_role=step.roles, data=data)


def step_move(step: Step, actor) -> None:
    """Move the case to the row's target phase (if it has one) and report the events."""
    case, to = step.case, step.row.to
    if to is None or to == case.phase:
        return
    old = case.phase
    first_move = not PhaseTransition.objects.filter(case=case).exists()
    PhaseTransition.objects.create(case=case, action=step.row.action, from_phase=old,
                                   to_phase=to, recorded_by=actor, recorded_at=step.now)
    case.phase = to
    case.phase_changed_at = step.now
    case.closed_at = step.now if to == Phase.GESLOTEN else None
    case.save(update_fields=["phase", "phase_changed_at", "closed_at"])
    step_audit("case.phase.changed", step, actor, action=step.row.action,
               **{"from": old, "to": to})
    case_event("phase.left", case=case, actor=actor, phase=old)
    case_event("phase.entered", case=case, actor=actor, phase=to)
    if to == Phase.MONITOREN:
        case_event("monitoring.started", case=case, actor=actor, started_on=step.today)
    # The teacher who reported hears that the concern was taken up, and when it closes.
    tell_reporter(case=case, to_phase=to, first_move=first_move, actor=actor)


def step_decide(step: Step, actor, note: str) -> PhaseDecision:
    """A decision with its argumentation that moves the case as the row says."""
    require_value(note, _("Onderbouw het besluit."))
    decision = PhaseDecision.objects.create(
        case=step.case, from_phase=step.case.phase, to_phase=step.row.to, note=note,
        recorded_by=actor, recorded_at=step.now)
    step_audit("case.decision.recorded", step, actor, decision, action=step.row.action,
               to=step.row.to)
    step_move(step, actor)
    return decision


def require_value(value, message: str) -> None:
    """Refuse an empty value (None, or text of only spaces) with the Dutch `message`."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise DomainError(message)


def require_happened_on(step: Step, day: date, what: str) -> None:
    """A day on which something about the pupil happened: not in the future, not before
    the pupil was born (the ranges of cases/dates.py)."""
    dates.check_past_day(day, what=what, born=step.case.student.date_of_birth,
                         today=step.today)

"""Which closed dossiers and work notes have reached the end of their term (3.8).

- A dossier: `dossier_years` after the later of the pupil leaving the school and the case
  closing. While the pupil is still at the school (no `left_on`), it stays.
- A case closed because the suspicion was unfounded (its last move to "gesloten" was
  `conclude_unfounded`): `unfounded_months` after closing, whatever the pupil does.
- Work notes: `worknote_days` after closing; at once when closed as unfounded (000
  "Afsluiting").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Subquery

from cases.models import Case, Phase, PhaseTransition, WorkNote
from meldcode.workdays import add_months, as_local_date
from retention.models import DestructionItem, LegalHold, RecordClass, RetentionPolicy

UNFOUNDED_ACTION = "conclude_unfounded"


@dataclass(frozen=True)
class Due:
    case: Case
    record_class: str
    closed_on: date
    left_on: date | None
    due_on: date


def _closed_cases():
    closing_action = (PhaseTransition.objects
                      .filter(case=OuterRef("pk"), to_phase=Phase.GESLOTEN)
                      .order_by("-recorded_at").values("action")[:1])
    return (Case.objects.filter(phase=Phase.GESLOTEN, closed_at__isnull=False)
            .annotate(closing_action=Subquery(closing_action))
            .select_related("student", "school__board"))


def _policies(cases) -> dict:
    boards = {case.school.board_id: case.school.board for case in cases}
    stored = {p.board_id: p for p in RetentionPolicy.objects.filter(board_id__in=boards)}
    return {board_id: stored.get(board_id) or RetentionPolicy(board=board)
            for board_id, board in boards.items()}


def is_unfounded(case) -> bool:
    return getattr(case, "closing_action", None) == UNFOUNDED_ACTION


def due_on(case, policy: RetentionPolicy) -> tuple[str, date | None]:
    """The record class of a closed case and the day its term ends (None: not yet known,
    the pupil is still at the school)."""
    closed_on = as_local_date(case.closed_at)
    if is_unfounded(case):
        return RecordClass.UNFOUNDED, add_months(closed_on, policy.unfounded_months)
    left_on = case.student.left_on
    if left_on is None:
        return RecordClass.DOSSIER, None
    return RecordClass.DOSSIER, add_months(max(closed_on, left_on), 12 * policy.dossier_years)


def due_dossiers(today: date) -> list[Due]:
    """Closed dossiers past their term that are not on the list yet (nor destroyed)."""
    listed = DestructionItem.objects.filter(status__in=DestructionItem.ACTIVE)
    cases = list(_closed_cases().exclude(pk__in=listed.values("case_id")).order_by("closed_at"))
    policies = _policies(cases)
    found = []
    for case in cases:
        record_class, day = due_on(case, policies[case.school.board_id])
        if day is not None and day <= today:
            found.append(Due(case=case, record_class=record_class,
                             closed_on=as_local_date(case.closed_at),
                             left_on=case.student.left_on, due_on=day))
    return found


def due_work_notes(today: date) -> dict:
    """Case → its work notes whose term ended, for closed cases without a legal hold."""
    held = DestructionItem.objects.filter(status=DestructionItem.Status.HELD)
    with_notes = WorkNote.objects.values("case_id")
    cases = list(_closed_cases().filter(pk__in=with_notes)
                 .exclude(pk__in=held.values("case_id"))
                 .annotate(note_count=Count("work_notes")))
    policies = _policies(cases)
    due = {}
    for case in cases:
        closed_on = as_local_date(case.closed_at)
        days = 0 if is_unfounded(case) else policies[case.school.board_id].worknote_days
        if closed_on.toordinal() + days <= today.toordinal():
            due[case] = case.note_count
    return due


def reopened_items():
    """Listed items whose case was reopened (or is gone) since: no longer due."""
    closed = Case.objects.filter(phase=Phase.GESLOTEN).values("pk")
    return (DestructionItem.objects.filter(status=DestructionItem.Status.DUE)
            .exclude(case_id__in=closed))


def holds_to_review(today: date):
    """Held items without an active hold that still runs: every hold was lifted or has
    reached its review date, so the item is due again."""
    running = LegalHold.objects.filter(item=OuterRef("pk"), lifted_at__isnull=True,
                                       review_on__gt=today)
    return (DestructionItem.objects.filter(status=DestructionItem.Status.HELD)
            .exclude(Exists(running)))

"""The daily retention run (`manage.py apply_retention`): put dossiers whose term ended on
the vernietigingslijst, take reopened ones off, bring held ones back at their review
date, and destroy work notes whose term ended. A dossier itself is destroyed only after
two people confirmed (services/destruction.py); work notes are the author's own and
nobody else may read them to confirm, so they go by the board's rule alone.

Idempotent: a second run on the same day finds nothing new and writes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone

from audit.services import audit
from cases.services.worknotes import work_notes_destroy
from retention.models import DestructionItem
from retention.selectors import schedule


@dataclass
class RunReport:
    listed: list = field(default_factory=list)      # Due
    withdrawn: list = field(default_factory=list)   # DestructionItem
    reviewed: list = field(default_factory=list)    # DestructionItem, hold ended
    work_notes: dict = field(default_factory=dict)  # Case → count
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.listed or self.withdrawn or self.reviewed or self.work_notes)


def retention_plan(today: date) -> RunReport:
    """What a run would do today, without doing it."""
    return RunReport(listed=schedule.due_dossiers(today),
                     withdrawn=list(schedule.reopened_items().select_related("school")),
                     reviewed=list(schedule.holds_to_review(today).select_related("school")),
                     work_notes=schedule.due_work_notes(today), dry_run=True)


@transaction.atomic
def retention_apply(*, today: date) -> RunReport:
    report = retention_plan(today)
    report.dry_run = False
    per_school = defaultdict(int)
    for due in report.listed:
        DestructionItem.objects.create(
            case_id=due.case.pk, school=due.case.school, record_class=due.record_class,
            closed_on=due.closed_on, left_on=due.left_on, due_on=due.due_on)
        per_school[due.case.school] += 1
    for school, count in per_school.items():
        audit("retention.listed", school=school, data={"count": count})
    for item in report.withdrawn:
        item.status = DestructionItem.Status.WITHDRAWN
        item.save(update_fields=["status"])
        audit("retention.withdrawn", subject=item, school=item.school,
              data={"record_class": item.record_class})
    for item in report.reviewed:
        # Due again: the confirmations start over, the people may have changed.
        item.status = DestructionItem.Status.DUE
        item.first_confirmed_by = None
        item.first_confirmed_at = None
        item.listed_at = timezone.now()
        item.save(update_fields=["status", "first_confirmed_by", "first_confirmed_at",
                                 "listed_at"])
        audit("retention.hold_expired", subject=item, school=item.school,
              data={"record_class": item.record_class})
    for case in report.work_notes:
        report.work_notes[case] = work_notes_destroy(case=case,
                                                     unfounded=schedule.is_unfounded(case))
    return report

"""The directie records the yearly evaluation of the meldcode at its school."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit
from inspection.models import SchoolYearEvaluation
from meldcode.errors import DomainError
from meldcode.models import Role, School
from meldcode.permissions import can, roles_at
from meldcode.workdays import school_year_of


@transaction.atomic
def evaluation_save(*, actor, school: School, school_year: int, evaluation: str,
                    actions: str) -> SchoolYearEvaluation:
    if not can(actor, "evaluation.edit", school=school) or Role.DIRECTIE not in roles_at(
            actor, school):
        raise DomainError(_("Alleen de directie van de school legt de jaarevaluatie vast."))
    if school_year > school_year_of(timezone.localdate()):
        raise DomainError(_("Dat schooljaar is nog niet begonnen."))
    record = (SchoolYearEvaluation.objects.select_for_update()
              .filter(school=school, school_year=school_year).first())
    if record is None:
        record = SchoolYearEvaluation(school=school, school_year=school_year)
    record.evaluation, record.actions = evaluation.strip(), actions.strip()
    record.updated_by, record.updated_at = actor, timezone.now()
    record.save()
    # The text is the directie's own about the procedure; the trail records only that
    # it was written, not what it says.
    audit("evaluation.saved", actor=actor, subject=record, school=school,
          actor_role=Role.DIRECTIE, data={"school_year": school_year})
    return record

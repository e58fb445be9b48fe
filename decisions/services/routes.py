"""The melding outside the weighing: the acute route (a telephone melding recorded
afterwards, acknowledged by directie) and new unsafety during monitoring (norm C)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit
from cases import workflow
from cases.deadlines import case_event
from cases.errors import DomainError
from cases.models import Case, Phase
from cases.services.steps import Step, step_audit, step_begin, step_move
from cases.services.workflow import acute_report_record
from decisions.models import Report, ReportSending
from decisions.services.reports import report_draft_create
from decisions.services.weighing import _consulted_user


@transaction.atomic
def acute_melding_record(*, actor, case: Case, called_at: datetime, called_by,
                         vt_contact: str, reason: str, vt_reference: str = "",
                         police_called: bool = False, police_called_at: datetime | None = None,
                         police_reference: str = "") -> Report:
    """Acute danger: Veilig Thuis was called at once. The acute report of the stappenplan
    becomes a melding with norm A by telephone, already made; directie acknowledges it the
    next working day instead of approving it beforehand."""
    acute = acute_report_record(actor=actor, case=case, called_at=called_at,
                                   called_by=called_by, vt_contact=vt_contact, reason=reason,
                                   vt_reference=vt_reference, police_called=police_called,
                                   police_called_at=police_called_at,
                                   police_reference=police_reference)
    locked = Case.objects.select_related("school", "student").get(pk=case.pk)
    roles = ",".join(sorted(workflow.user_roles(actor, locked)))
    step = Step(case=locked, row=None, now=acute.recorded_at, roles=roles)
    report = report_draft_create(step=step, actor=actor, norm=Report.Norm.A,
                                 acute_report=acute, origin_note=reason)
    sending = ReportSending.objects.create(
        report=report, sent_at=called_at, channel=ReportSending.Channel.PHONE,
        vt_contact=vt_contact, vt_reference=vt_reference, recorded_by=actor,
        recorded_at=acute.recorded_at)
    audit("report.sent", actor=actor, subject=sending, case=locked, actor_role=roles,
          data={"report": str(report.pk), "channel": sending.channel, "norm": "A",
                "acute": True})
    case_event("melding.acute", case=locked, actor=actor, made_on=called_at)
    return report


@transaction.atomic
def recurrence_report(*, actor, case: Case, consulted, note: str) -> Report:
    """During monitoring the unsafety does not stop or returns: a melding with norm C,
    decided by directie after consulting the AF/OKA."""
    step = step_begin(actor, case, "report_recurrence")
    _consulted_user(step, consulted, actor)
    if not note or not note.strip():
        raise DomainError(_("Beschrijf de nieuwe onveiligheid."))
    report = report_draft_create(step=step, actor=actor, norm=Report.Norm.C,
                                 origin_note=note)
    step.case.phase_decisions.create(from_phase=step.case.phase, to_phase=Phase.MELDING,
                                     note=note, recorded_by=actor, recorded_at=step.now)
    step_audit("weighing.recurrence", step, actor, report, consulted=consulted.pk)
    step_move(step, actor)
    return report

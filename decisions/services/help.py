"""Services of the help route (stap 5a): the help plan, its result at the termijn
(afweging 5) and closing the help into monitoring."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from cases import dates
from cases.deadlines import case_event
from cases.errors import DomainError
from cases.services.steps import require_value, step_audit, step_begin, step_move
from decisions.models import HelpPlan, HelpResult, HelpTask, WeighingDecision
from decisions.selectors import weighing as sel
from decisions.services.weighing import record_result_answer
from meldcode.models import Role
from meldcode.workdays import day_label

# The casemanager comes from the school's second line, never a teacher (004 "Hulp inzetten").
CASEMANAGER_ROLES = (Role.AANDACHTSFUNCTIONARIS, Role.OKA, Role.DIRECTIE)


def open_plan(case):
    return (HelpPlan.objects.filter(case=case, result__isnull=True)
            .select_related("casemanager").order_by("-recorded_at").first())


@transaction.atomic
def help_plan_record(*, actor, case, help_description: str, provided_by: str, casemanager,
                     termijn: date, expected_results: str, accepted: bool,
                     parents_informed: str, tasks) -> HelpPlan:
    step = step_begin(actor, case, "record_help_plan")
    weighing = sel.current_weighing(step.case)
    path = sel.path_of(weighing) if weighing else None
    decided = weighing is not None and any(
        d.step == WeighingDecision.Step.DECISION and d.outcome == "help"
        for d in sel.decisions_of(weighing))
    if path is None or path.help is None or not decided:
        raise DomainError(_("Een hulpplan volgt op het besluit 'hulp in gang zetten' "
                            "(afweging 4)."))
    if open_plan(step.case) is not None:
        raise DomainError(_("Er loopt al een hulpplan; beoordeel eerst het resultaat."))
    for value, message in ((help_description, _("Beschrijf welke hulp er komt.")),
                           (provided_by, _("Vul in door wie de hulp wordt geboden.")),
                           (expected_results, _("Vul de afgesproken resultaten in.")),
                           (parents_informed, _("Leg vast hoe de ouders zijn geïnformeerd en "
                                                "betrokken."))):
        require_value(value, message)
    if not accepted:
        raise DomainError(_("Hulp in gang zetten kan alleen als de betrokkenen de hulp "
                            "aanvaarden (afweging 4)."))
    if casemanager is None or not casemanager.memberships.filter(
            school_id=step.case.school_id, role__in=CASEMANAGER_ROLES).exists():
        raise DomainError(_("De casemanager is iemand uit de tweedelijnsondersteuning van de "
                            "school (aandachtsfunctionaris, OKA of directie), geen "
                            "leerkracht."))
    dates.check_coming_day(termijn, what=_("De termijn"), today=step.today)
    tasks = [(who.strip(), task.strip()) for who, task in tasks if who.strip() or task.strip()]
    if not tasks or any(not who or not task for who, task in tasks):
        raise DomainError(_("Leg voor elke betrokkene vast wie wat doet."))
    plan = HelpPlan.objects.create(
        case=step.case, answer=path.help, help_description=help_description,
        provided_by=provided_by, casemanager=casemanager, termijn=termijn,
        expected_results=expected_results, accepted=accepted,
        parents_informed=parents_informed, recorded_by=actor, recorded_at=step.now)
    HelpTask.objects.bulk_create([HelpTask(plan=plan, who=who, task=task, position=i)
                                  for i, (who, task) in enumerate(tasks)])
    step_audit("help.plan_recorded", step, actor, plan, termijn=termijn.isoformat(),
               casemanager=casemanager.pk)
    case_event("help.started", case=step.case, actor=actor, termijn=termijn,
               casemanager=casemanager)
    return plan


@transaction.atomic
def help_evaluate(*, actor, case, reached: bool, argumentation: str,
                  monitoring_agreements: str = "", nazorg: str = "",
                  parents_contact_checked: str = "", vt_contact: str = "",
                  nazorg_review_on: date | None = None) -> HelpResult:
    """Afweging 5: the result at the termijn. Not reached (or unsafety returns, which may
    be earlier) → a melding with norm C for directie to decide."""
    step = step_begin(actor, case, "evaluate_help")
    plan = open_plan(step.case)
    if plan is None:
        raise DomainError(_("Er loopt geen hulpplan."))
    if reached:
        if step.today < plan.termijn:
            raise DomainError(_("Het resultaat beoordeelt u op of na de termijn (%(date)s); "
                                "eerder alleen als de onveiligheid niet stopt.")
                              % {"date": day_label(plan.termijn)})
        require_value(monitoring_agreements, _("Leg de afspraken over het monitoren vast."))
        require_value(nazorg, _("Leg het nazorgtraject vast, met termijnen en verwachtingen."))
        if nazorg_review_on is not None:
            dates.check_coming_day(nazorg_review_on, what=_("De eerste termijn van de nazorg"),
                                   today=step.today)
    else:
        nazorg_review_on = None  # no nazorg without results: a melding follows
    weighing = sel.current_weighing(step.case)
    answer = record_result_answer(step=step, actor=actor, weighing=weighing, reached=reached,
                                  argumentation=argumentation, vt_contact=vt_contact)
    result = HelpResult.objects.create(
        plan=plan, answer=answer, reached=reached, monitoring_agreements=monitoring_agreements,
        nazorg=nazorg, nazorg_review_on=nazorg_review_on,
        parents_contact_checked=parents_contact_checked, recorded_by=actor,
        recorded_at=step.now)
    step_audit("help.evaluated", step, actor, result, reached=reached)
    case_event("help.evaluated", case=step.case, actor=actor, nazorg_review_on=nazorg_review_on,
               casemanager=plan.casemanager, no_nazorg_review=nazorg_review_on is None)
    return result


@transaction.atomic
def help_close(*, actor, case, note: str):
    """Results reached: close the help with its monitoring agreements → monitoren."""
    step = step_begin(actor, case, "close_help")
    require_value(note, _("Licht het afsluiten van de hulp toe."))
    decision = step.case.phase_decisions.create(
        from_phase=step.case.phase, to_phase=step.row.to, note=note, recorded_by=actor,
        recorded_at=step.now)
    step_audit("help.closed", step, actor, decision)
    step_move(step, actor)
    return decision

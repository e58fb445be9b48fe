"""Records of the stappenplan beside the main line: the kind of abuse (a record per
revision, at steps 2 and 4), the plan van aanpak (step 2) and the nazorg offered to staff
(step 6)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from cases.deadlines import case_event, plan_item_task
from cases.errors import DomainError
from cases.models import AbuseClassification, ActionPlanItem, Case, NazorgOffer, Notification
from cases.models.workflow import AbuseForm, SpecificForm
from cases.notifications import notify
from cases.selectors.cases import school_coordinators, school_directie
from cases.selectors.classification import classification_warnings, latest_classification
from cases.services.steps import require_happened_on, require_value, step_audit, step_begin
from cases.services.workflow import school_staff


@transaction.atomic
def classification_record(*, actor, case: Case, abuse_forms, specific_forms,
                          note: str = "") -> list[str]:
    """The kind of abuse as assessed now (steps 2 and 4): a new record per revision.

    A specific form (VGV, eergerelateerd geweld, huwelijksdwang, seksuele uitbuiting) that
    was not named before alerts the AF and directie urgently (000 aanbevelingen stap 3:
    "met spoed contact op met het AMK"). Returns the warnings to show."""
    step = step_begin(actor, case, "record_classification")
    abuse_forms, specific_forms = list(abuse_forms), list(specific_forms)
    if not (set(abuse_forms) <= set(AbuseForm.values)
            and set(specific_forms) <= set(SpecificForm.values)):
        raise DomainError(_("Kies alleen vormen uit de lijst."))
    if not (abuse_forms or specific_forms):
        raise DomainError(_("Kies ten minste één vorm van kindermishandeling."))
    previous = latest_classification(step.case)
    before = set(previous.specific_forms) if previous else set()
    record = AbuseClassification.objects.create(
        case=step.case, phase=step.case.phase, forms=abuse_forms,
        specific_forms=specific_forms, note=note, recorded_by=actor, recorded_at=step.now)
    step_audit("case.classification.recorded", step, actor, record, phase=record.phase,
               forms=abuse_forms, specific_forms=specific_forms)
    if set(specific_forms) - before:
        notify(recipients=[*school_coordinators(step.case.school),
                           *school_directie(step.case.school)],
               kind=Notification.Kind.SPECIFIC_FORM, case=step.case, actor=actor)
    return classification_warnings(record)


@transaction.atomic
def nazorg_record(*, actor, case: Case, offered_to: str, offered_on) -> NazorgOffer:
    """Nazorg was offered to the staff involved: only to whom and when."""
    step = step_begin(actor, case, "record_nazorg")
    require_value(offered_to, _("Vul in aan wie nazorg is aangeboden."))
    require_value(offered_on, _("Vul in wanneer nazorg is aangeboden."))
    require_happened_on(step, offered_on, _("De datum van het aanbod"))
    offer = NazorgOffer.objects.create(case=step.case, offered_to=offered_to.strip(),
                                       offered_on=offered_on, recorded_by=actor,
                                       recorded_at=step.now)
    step_audit("case.nazorg.recorded", step, actor, offer)
    case_event("nazorg.offered", case=step.case, actor=actor)
    return offer


@transaction.atomic
def plan_record(*, actor, case: Case, items) -> list[ActionPlanItem]:
    """The plan van aanpak met taakverdeling (000 fase 2): `items` are (what, who, by
    when); blank lines are skipped. Each line becomes a task for its owner."""
    step = step_begin(actor, case, "record_plan")
    staff = school_staff(step.case)
    lines = [(what.strip(), who, due) for what, who, due in items
             if (what or "").strip() or who is not None or due is not None]
    if not lines:
        raise DomainError(_("Vul ten minste één actiepunt in: wat, wie en wanneer."))
    for what, who, due in lines:
        if not what or who is None or due is None:
            raise DomainError(_("Vul bij elk actiepunt in wat er gebeurt, wie het doet en "
                                "wanneer."))
        if not staff.filter(pk=who.pk).exists():
            raise DomainError(_("Een actiepunt is voor een medewerker van deze school."))
        if due < step.today:
            raise DomainError(_("De datum van een actiepunt ligt niet in het verleden."))
    created = []
    for what, who, due in lines:
        item = ActionPlanItem.objects.create(case=step.case, description=what, owner=who,
                                             due_on=due, recorded_by=actor,
                                             recorded_at=step.now)
        plan_item_task(case=step.case, item=item, actor=actor)
        created.append(item)
    step_audit("case.plan.recorded", step, actor, items=len(created))
    return created

"""Services of steps 4-5: answering the afwegingskader, directie's confirmations and
decisions, redoing a weighing, and the extra observation period.

Each locks the case and asks the workflow table (through `cases.services.workflow.begin`)
whether the actor may act now; the decisions' guards are the weighing's computed outcome
(see decisions/selectors/weighing.py and the fact provider registered at ready()).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from cases import dates, workflow
from cases.deadlines import case_event
from cases.errors import DomainError
from cases.models import Consultation, Phase
from cases.services.steps import require_value, step_audit, step_begin, step_move
from cases.services.workflow import school_staff
from decisions.models import (
    Answer,
    Leads,
    ObservationPeriod,
    Weighing,
    WeighingDecision,
)
from decisions.selectors import weighing as sel
from decisions.services.reports import report_draft_create
from meldcode.models import Role

# Who may answer which question (004 handelingsprotocol; DOMAIN "Who answers"): questions
# 1-2 the AF, OKA or directie (directie confirms them), questions 3-5 the AF or OKA.
ANSWERERS = {1: {Role.AANDACHTSFUNCTIONARIS, Role.OKA, Role.DIRECTIE},
             2: {Role.AANDACHTSFUNCTIONARIS, Role.OKA, Role.DIRECTIE}}
HELPERS = {Role.AANDACHTSFUNCTIONARIS, Role.OKA}
CONSULTED_ROLES = (Role.AANDACHTSFUNCTIONARIS, Role.OKA)
DECISION_ACTIONS = {"close": "decide_close", "help": "decide_help", "melding": "decide_report"}


def _roles(step) -> set:
    return set(step.roles.split(",")) if step.roles else set()


def _weighing_for(step, actor) -> Weighing:
    weighing = sel.current_weighing(step.case)
    if weighing is None:
        framework = sel.current_framework()
        if framework is None:
            raise DomainError(_("Er is geen afwegingskader geladen."))
        weighing = Weighing.objects.create(case=step.case, framework=framework,
                                           started_by=actor, started_at=step.now)
        step_audit("weighing.started", step, actor, weighing,
                   framework=f"{framework.code}/{framework.version}")
    return weighing


def _consulted_user(step, consulted, decided_by):
    if consulted is None:
        raise DomainError(_("Kies de aandachtsfunctionaris of OKA met wie is overlegd."))
    if consulted.pk == decided_by.pk:
        raise DomainError(_("De directie besluit na overleg met een ander: kies de "
                            "aandachtsfunctionaris of OKA met wie is overlegd."))
    if not consulted.memberships.filter(school_id=step.case.school_id,
                                        role__in=CONSULTED_ROLES).exists():
        raise DomainError(_("Kies een aandachtsfunctionaris of OKA van deze school."))
    return consulted


@transaction.atomic
def answer_record(*, actor, case, number: int, option_code: str, argumentation: str,
                  is_doubt: bool = False, vt_contact: str = "",
                  authority_informed_on: date | None = None, authority_informed_by: str = "",
                  consultations=()) -> Answer:
    """One answer of the afwegingskader, the next question of the path only."""
    step = step_begin(actor, case, "weigh")
    weighing = _weighing_for(step, actor)
    path = sel.path_of(weighing)
    question = path.next_question
    if question is None:
        raise DomainError(_("Alle afwegingen van deze weging zijn beantwoord."))
    if question.number != number:
        raise DomainError(_("Beantwoord eerst afweging %(n)s.") % {"n": question.number})
    allowed = ANSWERERS.get(number, HELPERS)
    if not _roles(step) & allowed:
        raise DomainError(_("Afweging %(n)s beantwoordt de aandachtsfunctionaris of de "
                            "OKA.") % {"n": number})
    decisions = sel.decisions_of(weighing)
    if number > 1 and not sel.step4_confirmed(decisions):
        raise DomainError(_("De directie bevestigt eerst de conclusie van stap 4 (afweging "
                            "1)."))
    option = next((o for o in question.options.all() if o.code == option_code), None)
    if option is None:
        raise DomainError(_("Kies een antwoord."))
    require_value(argumentation, _("Onderbouw het antwoord: de argumentatie is verplicht."))
    if is_doubt and not option.includes_doubt:
        raise DomainError(_("Twijfel hoort bij het antwoord 'ja of twijfel'."))
    if number == 1 and option.leads == Leads.NEXT:
        if authority_informed_on is None or not authority_informed_by.strip():
            raise DomainError(_("Leg vast sinds wanneer en door wie het bevoegd gezag op de "
                                "hoogte is van het sterke vermoeden."))
        dates.check_past_day(authority_informed_on, what=_("Die datum"),
                             born=step.case.student.date_of_birth, today=step.today)
    facts = workflow.load_facts(step.case, step.now)
    if option.leads in (Leads.NEXT, Leads.HELP) and number in (3, 4) \
            and facts.exemption_unresolved:
        raise DomainError(_("Het gesprek met de ouders is overgeslagen: dat staat een melding "
                            "toe, geen hulp. Leg eerst een gesprek met de ouders vast."))
    if path.with_vt:
        require_value(vt_contact, _("Deze afweging wordt met Veilig Thuis doorlopen: vul de "
                                    "contactpersoon bij Veilig Thuis in."))
    if number == 5:
        raise DomainError(_("Afweging 5 beoordeelt u met het resultaat van het hulpplan."))
    linked = list(consultations)
    if linked and Consultation.objects.filter(pk__in=[c.pk for c in linked]).exclude(
            case=step.case).exists():
        raise DomainError(_("Koppel alleen consultaties van deze casus."))
    answer = Answer.objects.create(
        weighing=weighing, question=question, option=option, is_doubt=is_doubt,
        argumentation=argumentation, answered_by=actor, answered_at=step.now,
        together_with_vt=path.with_vt, vt_contact=vt_contact if path.with_vt else "",
        authority_informed_on=authority_informed_on if number == 1 else None,
        authority_informed_by=authority_informed_by if number == 1 else "")
    answer.consultations.set(linked)
    step_audit("weighing.answered", step, actor, answer, question=number,
               option=option.code, doubt=is_doubt, with_vt=path.with_vt)
    return answer


def record_result_answer(*, step, actor, weighing, reached: bool, argumentation: str,
                         vt_contact: str = "") -> Answer:
    """Question 5, recorded by the help evaluation (decisions/services/help.py)."""
    path = sel.path_of(weighing)
    question = path.next_question
    if question is None or question.number != 5:
        raise DomainError(_("Afweging 5 komt na het besluit over de hulp (afweging 4)."))
    option = next(o for o in question.options.all()
                  if o.leads == (Leads.CLOSE_HELP if reached else Leads.MELDING))
    require_value(argumentation, _("Onderbouw het resultaat."))
    answer = Answer.objects.create(
        weighing=weighing, question=question, option=option, argumentation=argumentation,
        answered_by=actor, answered_at=step.now, together_with_vt=path.with_vt,
        vt_contact=vt_contact if path.with_vt else "")
    step_audit("weighing.answered", step, actor, answer, question=5, option=option.code,
               doubt=False, with_vt=path.with_vt)
    return answer


@transaction.atomic
def conclusion_confirm(*, actor, case, consulted, note: str) -> WeighingDecision:
    """Directie confirms the step-4 conclusion (afweging 1) after consulting the AF/OKA."""
    step = step_begin(actor, case, "confirm_conclusion")
    weighing = sel.current_weighing(step.case)
    path = sel.path_of(weighing) if weighing else None
    if path is None or not path.steps:
        raise DomainError(_("Beantwoord eerst afweging 1."))
    decisions = sel.decisions_of(weighing)
    if sel.step4_confirmed(decisions):
        raise DomainError(_("De conclusie van stap 4 is al bevestigd."))
    _consulted_user(step, consulted, actor)
    require_value(note, _("Licht de conclusie toe."))
    first = path.steps[0]
    outcome = "geen_vermoeden" if first.option.leads == Leads.CLOSE else "sterk_vermoeden"
    decision = WeighingDecision.objects.create(
        weighing=weighing, step=WeighingDecision.Step.CONCLUSION, outcome=outcome,
        decided_by=actor, consulted=consulted, note=note, decided_at=step.now)
    step_audit("weighing.conclusion_confirmed", step, actor, decision, outcome=outcome,
               consulted=consulted.pk)
    return decision


@transaction.atomic
def decision_confirm(*, actor, case, outcome: str, consulted, note: str) -> WeighingDecision:
    """Directie's step-5 decision after consulting the AF/OKA: close, help or a melding, as
    the weighing's outcome calls for (the table's guard). A melding decision creates the
    melding's draft in the same transaction, so the melding phase always has a record."""
    if outcome not in DECISION_ACTIONS:
        raise DomainError(_("Kies een besluit."))
    step = step_begin(actor, case, DECISION_ACTIONS[outcome])
    weighing = sel.current_weighing(step.case)
    decisions = sel.decisions_of(weighing)
    if not sel.step4_confirmed(decisions):
        raise DomainError(_("Bevestig eerst de conclusie van stap 4."))
    _consulted_user(step, consulted, actor)
    require_value(note, _("Onderbouw het besluit."))
    path = sel.path_of(weighing)
    norm = ""
    if outcome == "melding":
        answer, norm = sel.next_melding(weighing, path)
        report_draft_create(step=step, actor=actor, norm=norm, answer=answer)
    decision = WeighingDecision.objects.create(
        weighing=weighing, step=WeighingDecision.Step.DECISION, outcome=outcome, norm=norm,
        decided_by=actor, consulted=consulted, note=note, decided_at=step.now)
    step_audit("weighing.decided", step, actor, decision, outcome=outcome, norm=norm,
               consulted=consulted.pk)
    if outcome == "close":
        step.case.phase_decisions.create(from_phase=step.case.phase, to_phase=Phase.GESLOTEN,
                                         note=note, recorded_by=actor, recorded_at=step.now)
    step_move(step, actor)
    return decision


@transaction.atomic
def weighing_redo(*, actor, case, reason: str) -> Weighing:
    """Weigh again in the same cycle: a new weighing; the old one stays, superseded."""
    step = step_begin(actor, case, "redo_weighing")
    require_value(reason, _("Geef de reden om opnieuw te wegen."))
    old = sel.current_weighing(step.case)
    if old is None:
        raise DomainError(_("Er is nog geen weging om opnieuw te doen."))
    framework = sel.current_framework(old.framework.code) or old.framework
    weighing = Weighing.objects.create(case=step.case, framework=framework, started_by=actor,
                                       started_at=step.now, supersedes=old,
                                       redo_reason=reason)
    step_audit("weighing.redone", step, actor, weighing, supersedes=str(old.pk))
    return weighing


@transaction.atomic
def observation_period_record(*, actor, case, observer, what: str,
                              until: date) -> ObservationPeriod:
    """Doubt at step 4: who observes what until when; the case goes back to step 3."""
    step = step_begin(actor, case, "extra_observation")
    require_value(what, _("Beschrijf wat er wordt geobserveerd."))
    if until is None or until <= step.today:
        raise DomainError(_("De einddatum van de observatieperiode ligt na vandaag."))
    if not school_staff(step.case).filter(pk=observer.pk).exists():
        raise DomainError(_("Kies een medewerker van deze school die observeert."))
    period = ObservationPeriod.objects.create(case=step.case, observer=observer, what=what,
                                              until=until, recorded_by=actor,
                                              recorded_at=step.now)
    step_audit("weighing.observation_period", step, actor, period,
               until=until.isoformat())
    step_move(step, actor)
    case_event("time_limit.set", case=step.case, actor=actor, phase=Phase.GESPREK, due=until)
    return period

"""Services of the stappenplan: one function per action of the table in cases/workflow.py.

Each locks the case, re-reads its state, asks the table (`workflow.check`) whether the actor
may do this now, writes the record and the move, and audits both in the same transaction
(the step machinery of cases/services/steps.py).
Deadline consequences are reported to `cases.deadlines.case_event`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import dates, permissions, workflow
from cases.deadlines import case_event, deadline_policy
from cases.errors import DomainError
from cases.models import (
    AcuteReport,
    Case,
    CaseReopening,
    Consultation,
    Conversation,
    ConversationCarer,
    ConversationExemption,
    DepartureDuty,
    Evaluation,
    Notification,
    Phase,
    PhaseConclusion,
    PhaseDecision,
    PhaseTransition,
    Route,
    StudentDeparture,
)
from cases.models.workflow import OutsiderFunction
from cases.notifications import notify
from cases.selectors.classification import classification_warnings, latest_classification
from cases.selectors.pupils import own_teachers
from cases.selectors.warnings import (
    conversation_warnings,
    unprepared_disclosure,
    zorgteam_roles,
)
from cases.services.cases import grant_team_place, team_candidates
from cases.services.consent import consultation_consent
from cases.services.pupils import conversation_carer_links
from cases.services.steps import (
    require_happened_on,
    require_value,
    step_audit,
    step_begin,
    step_decide,
    step_move,
)
from cases.services.worknotes import work_notes_destroy
from meldcode.models import Role

CONCLUSION_ACTIONS = {
    PhaseConclusion.Outcome.ONGEGROND: "conclude_unfounded",
    PhaseConclusion.Outcome.GEEN_BEVESTIGING: "conclude_no_confirmation",
    PhaseConclusion.Outcome.TWIJFEL_BEVESTIGING: "conclude_doubt",
}


def review_months(case: Case) -> int:
    """How far ahead a review date may lie: the meldcode allows at most two months; a board
    may have set a shorter term."""
    return deadline_policy(case).review_months


def school_staff(case: Case):
    """Active staff of the case's school (teachers, OKA, AF, directie)."""
    return permissions.role_holders(Role.LEERKRACHT, Role.OKA, Role.AANDACHTSFUNCTIONARIS,
                                    Role.DIRECTIE, school_id=case.school_id)


# --- Steps 1-3 ---------------------------------------------------------------------------


@transaction.atomic
def conclusion_record(*, actor, case: Case, outcome: str, argumentation: str,
                      review_date: date | None = None) -> PhaseConclusion:
    """The conclusion at the end of step 1, 2 or 3; moves the case as the table says."""
    if outcome not in CONCLUSION_ACTIONS:
        raise DomainError(_("Kies een conclusie."))
    step = step_begin(actor, case, CONCLUSION_ACTIONS[outcome])
    require_value(argumentation, _("Onderbouw de conclusie."))
    if outcome == PhaseConclusion.Outcome.GEEN_BEVESTIGING:
        require_value(review_date, _("Kies de datum waarop de aantekeningen opnieuw worden "
                                     "bekeken."))
        dates.check_coming_day(review_date, what=_("De datum om opnieuw te bekijken"),
                               months=review_months(step.case), today=step.today)
    else:
        review_date = None
    conclusion = PhaseConclusion.objects.create(
        case=step.case, phase=step.case.phase, outcome=outcome, argumentation=argumentation,
        review_date=review_date, recorded_by=actor, recorded_at=step.now)
    step_audit("case.conclusion.recorded", step, actor, conclusion, phase=conclusion.phase,
               outcome=outcome)
    case_event("conclusion.recorded", case=step.case, actor=actor, phase=conclusion.phase,
               conclusion=outcome, review_date=review_date)
    step_move(step, actor)
    if outcome == PhaseConclusion.Outcome.ONGEGROND and step.case.phase == Phase.GESLOTEN:
        # 000 "Afsluiting": when the suspicion proved unfounded the work notes go at once.
        work_notes_destroy(case=step.case, unfounded=True)
    return conclusion


def _outsiders(outsiders) -> list[dict]:
    """Named outsiders as {"name", "function"}; a name without a function is refused."""
    cleaned = []
    for name, function in outsiders:
        name = (name or "").strip()
        if not name and not function:
            continue
        if not name:
            raise DomainError(_("Vul de naam in van elke deelnemer van buiten de school."))
        if function not in OutsiderFunction.values:
            raise DomainError(_("Kies de functie van %(name)s.") % {"name": name})
        cleaned.append({"name": name, "function": function})
    return cleaned


@transaction.atomic
def consultation_record(*, actor, case: Case, kind: str, held_on: date, advice: str,
                        participants: str = "", staff_participants=(), outsiders=(),
                        anonymous: bool | None = None, kind_other: str = "",
                        action_points: str = "",
                        time_limit: date | None = None) -> Consultation:
    """Collegiale consultatie (step 2), optionally with the time limit for this phase.

    `staff_participants` are users of the school, `outsiders` (name, function) pairs;
    `participants` is a free remark for what neither says. Advice from Veilig Thuis is
    asked anonymously unless said otherwise (004 stap 2); contact outside the school on the
    pupil's name needs the parents' consent (cases/services/consent.py)."""
    step = step_begin(actor, case, "record_consultation")
    if kind not in Consultation.Kind.values:
        raise DomainError(_("Kies met wie is overlegd."))
    if kind == Consultation.Kind.ANDERS:
        require_value(kind_other, _("Vul in met wie is overlegd."))
    staff = list(staff_participants)
    if staff and school_staff(step.case).filter(pk__in=[p.pk for p in staff]).count() != len(
            {p.pk for p in staff}):
        raise DomainError(_("Deelnemers van school zijn medewerkers van deze school."))
    named = _outsiders(outsiders)
    if not (staff or named or participants.strip()):
        raise DomainError(_("Vul de deelnemers in: medewerkers van school, of anderen met "
                            "hun functie."))
    require_value(advice, _("Vul het advies in."))
    require_happened_on(step, held_on, _("De datum van de consultatie"))
    if time_limit is not None:
        dates.check_coming_day(time_limit, what=_("De tijdslimiet"), today=step.today)
    if anonymous is None:
        anonymous = kind == Consultation.Kind.VEILIG_THUIS
    consent = consultation_consent(case=step.case, kind=kind, kind_other=kind_other,
                                   outsiders=named, anonymous=anonymous, held_on=held_on)
    consultation = Consultation.objects.create(
        case=step.case, kind=kind, kind_other=kind_other, participants=participants,
        outsiders=named, held_on=held_on, anonymous=anonymous, advice=advice,
        action_points=action_points, time_limit=time_limit, recorded_by=actor,
        recorded_at=step.now)
    consultation.staff_participants.set(staff)
    step_audit("case.consultation.recorded", step, actor, consultation, kind=kind,
               anonymous=anonymous, staff=len(staff), outsiders=len(named),
               consent=str(consent.pk) if consent else None)
    case_event("consultation.recorded", case=step.case, actor=actor, kind=kind)
    if time_limit is not None:
        case_event("time_limit.set", case=step.case, actor=actor, phase=step.case.phase,
                   due=time_limit)
    return consultation


@dataclass
class ConversationResult:
    conversation: Conversation
    # Advice that does not block (seed 000: preferably two for parents, one for the pupil).
    warnings: list[str] = field(default_factory=list)


@transaction.atomic
def conversation_record(*, actor, case: Case, held_on: date, school_participants,
                        facts_described: str, reaction: str, summary: str,
                        with_parents: bool = True, with_pupil: bool = False,
                        other_participants: str = "", purpose_explained: bool = False,
                        reaction_invited: bool = False, interpretation: str = "",
                        report_signed: bool = False, carers=()) -> ConversationResult:
    """A conversation with the parents and/or the pupil, in the six parts of seed 000.

    `carers` is a list of (carer, presence, reason): which of the pupil's carers took part,
    were invited, or were not invited. Every carer with gezag is accounted for, and one who
    was not invited gets a reason (P-9: both parents with gezag are invited unless safety
    prevents it)."""
    step = step_begin(actor, case, "record_conversation")
    if not (with_parents or with_pupil):
        raise DomainError(_("Kies met wie het gesprek was: de ouders, de leerling of beiden."))
    people = list(school_participants)
    if not people:
        raise DomainError(_("Kies wie namens school aan het gesprek deelnam."))
    staff = set(school_staff(step.case).filter(pk__in=[p.pk for p in people])
                .values_list("pk", flat=True))
    if len(staff) != len(people):
        raise DomainError(_("Namens school kunnen alleen medewerkers van deze school "
                            "deelnemen."))
    for value, message in ((facts_described, _("Beschrijf de feiten en waarnemingen.")),
                           (reaction, _("Vul de reactie in.")),
                           (summary, _("Vul de samenvatting en afspraken in."))):
        require_value(value, message)
    if interpretation.strip() and not reaction_invited:
        raise DomainError(_("Geef pas een interpretatie nadat de ouders zijn uitgenodigd om "
                            "te reageren."))
    require_happened_on(step, held_on, _("De datum van het gesprek"))
    links = conversation_carer_links(step.case, carers, with_parents=with_parents)
    conversation = Conversation.objects.create(
        case=step.case, phase=step.case.phase, held_on=held_on, with_parents=with_parents,
        with_pupil=with_pupil, other_participants=other_participants,
        purpose_explained=purpose_explained, facts_described=facts_described,
        reaction_invited=reaction_invited, reaction=reaction, interpretation=interpretation,
        summary=summary, report_signed=report_signed, recorded_by=actor, recorded_at=step.now)
    conversation.school_participants.set(people)
    for link in links:
        link.conversation = conversation
    ConversationCarer.objects.bulk_create(links)
    unprepared = with_parents and unprepared_disclosure(step.case)
    step_audit("case.conversation.recorded", step, actor, conversation, phase=conversation.phase,
               with_parents=with_parents, with_pupil=with_pupil, school_count=len(people),
               carers=len([x for x in links if x.presence == ConversationCarer.Presence.TOOK_PART]),
               unprepared_disclosure=unprepared)
    return ConversationResult(conversation, conversation_warnings(
        with_parents=with_parents, with_pupil=with_pupil, school_count=len(people),
        zorgteam_present=bool(zorgteam_roles(step.case, people)),
        unprepared_disclosure=unprepared)
        + (classification_warnings(latest_classification(step.case)) if with_parents else []))


@transaction.atomic
def conversation_exemption_record(*, actor, case: Case, reason: str,
                                  explanation: str) -> ConversationExemption:
    """The recorded reason to skip the conversation with the parents."""
    step = step_begin(actor, case, "record_exemption")
    if reason not in ConversationExemption.Reason.values:
        raise DomainError(_("Kies een reden."))
    require_value(explanation, _("Licht de reden toe."))
    exemption = ConversationExemption.objects.create(
        case=step.case, reason=reason, explanation=explanation, recorded_by=actor,
        recorded_at=step.now)
    step_audit("case.conversation_exemption.recorded", step, actor, exemption, reason=reason)
    return exemption


def coordinator_candidates(case: Case):
    """Members of the zorgteam (AF, OKA, directie) of the school, never one of the pupil's
    own teachers today (a teacher of the pupil's group this school year, also an AF who
    teaches it): 000 stap 2 "een lid van het zorgteam … nooit … de leerkracht van de
    betreffende leerling"."""
    own = own_teachers(case.student).values("pk")
    return (permissions.role_holders(*workflow.ZORGTEAM, school_id=case.school_id)
            .exclude(pk__in=own).order_by("last_name", "first_name"))


@transaction.atomic
def coordinator_set(*, actor, case: Case, coordinator) -> None:
    step = step_begin(actor, case, "set_coordinator")
    if own_teachers(step.case.student).filter(pk=coordinator.pk).exists():
        raise DomainError(_("De coördinator is nooit een eigen leerkracht van de leerling."))
    if not coordinator_candidates(step.case).filter(pk=coordinator.pk).exists():
        raise DomainError(_("Kies een lid van het zorgteam van deze school als coördinator: "
                            "de aandachtsfunctionaris, de OKA of de directie."))
    step.case.coordinator = coordinator
    step.case.save(update_fields=["coordinator"])
    # The coordinator must see the case: a teacher or OKA gets a place on its team.
    if team_candidates(step.case).filter(pk=coordinator.pk).exists():
        grant_team_place(actor=actor, case=step.case, member=coordinator)
    step_audit("case.coordinator.set", step, actor, coordinator=coordinator.pk)
    case_event("coordinator.changed", case=step.case, actor=actor, coordinator=coordinator)


# --- Steps 4-6 ---------------------------------------------------------------------------


@transaction.atomic
def weighing_start(*, actor, case: Case) -> None:
    """From step 3 to wegen en beslissen (only AF or directie)."""
    step = step_begin(actor, case, "start_weighing")
    step_move(step, actor)


@transaction.atomic
def evaluation_record(*, actor, case: Case, held_on: date, participants: str, outcome: str,
                      monitoring_agreements: str) -> Evaluation:
    step = step_begin(actor, case, "record_evaluation")
    require_value(participants, _("Vul in met wie is geëvalueerd."))
    require_value(outcome, _("Vul de uitkomst in."))
    require_value(monitoring_agreements, _("Vul de afspraken over het volgen van de leerling in."))
    require_happened_on(step, held_on, _("De datum van de evaluatie"))
    evaluation = Evaluation.objects.create(
        case=step.case, held_on=held_on, participants=participants, outcome=outcome,
        monitoring_agreements=monitoring_agreements, recorded_by=actor, recorded_at=step.now)
    step_audit("case.evaluation.recorded", step, actor, evaluation)
    case_event("evaluation.recorded", case=step.case, actor=actor, evaluated_on=held_on)
    return evaluation


@transaction.atomic
def monitoring_start(*, actor, case: Case, note: str) -> PhaseDecision:
    """After the melding (and any help beside it): follow the pupil (step 6)."""
    step = step_begin(actor, case, "decide_monitoring")
    return step_decide(step, actor, note)


@transaction.atomic
def case_close(*, actor, case: Case, note: str) -> PhaseDecision:
    """Close after the weighing or after monitoring (evaluation and follow period first)."""
    step = step_begin(actor, case, "close")
    return step_decide(step, actor, note)


@transaction.atomic
def case_reopen(*, actor, case: Case, reason: str) -> CaseReopening:
    """New signals after closing: back to step 2, unless another case is open already."""
    step = step_begin(actor, case, "reopen", lock_student=True)
    require_value(reason, _("Beschrijf de nieuwe signalen."))
    reopening = CaseReopening.objects.create(case=step.case, reason=reason, recorded_by=actor,
                                             recorded_at=step.now)
    step_audit("case.reopened", step, actor, reopening)
    step_move(step, actor)
    return reopening


@transaction.atomic
def departure_record(*, actor, case: Case, left_on: date,
                     new_school: str = "") -> StudentDeparture:
    """The pupil left during the follow period: first the departure itself (date, new
    school if known); the duties that follow are tasks, each done by its own record."""
    step = step_begin(actor, case, "record_departure")
    require_happened_on(step, left_on, _("De vertrekdatum"))
    departure = StudentDeparture.objects.create(
        case=step.case, left_on=left_on, new_school=new_school.strip(), recorded_by=actor,
        recorded_at=step.now)
    since = workflow.cycle_start(step.case)
    vt_involved = (PhaseTransition.objects.filter(case=step.case, recorded_at__gte=since,
                                                  to_phase=Phase.MELDING).exists()
                   or Consultation.objects.filter(case=step.case,
                                                  kind=Consultation.Kind.VEILIG_THUIS)
                   .exists())
    step_audit("case.departure.recorded", step, actor, departure,
               new_school=bool(departure.new_school), vt_involved=vt_involved)
    case_event("student.departed", case=step.case, actor=actor, left_on=left_on,
               new_school=bool(departure.new_school), vt_involved=vt_involved)
    return departure


@transaction.atomic
def departure_duty_record(*, actor, case: Case, duty: str, done_on: date,
                          notes: str = "") -> DepartureDuty:
    """One duty after the departure, done on a date; it completes its task."""
    step = step_begin(actor, case, "record_departure_duty")
    if not StudentDeparture.objects.filter(case=step.case).exists():
        raise DomainError(_("Leg eerst het vertrek van de leerling vast."))
    if duty not in DepartureDuty.Duty.values:
        raise DomainError(_("Kies wat er is gedaan."))
    require_happened_on(step, done_on, _("De datum"))
    if duty == DepartureDuty.Duty.HANDOVER:
        require_value(notes, _("Beschrijf de overdracht van de zorg."))
    record = DepartureDuty.objects.create(case=step.case, duty=duty, done_on=done_on,
                                          notes=notes, recorded_by=actor,
                                          recorded_at=step.now)
    step_audit("case.departure_duty.recorded", step, actor, record, duty=duty)
    case_event("departure.duty_done", case=step.case, actor=actor, duty=duty)
    return record


# --- Routes outside the normal order ----------------------------------------------------


def _directie(case: Case):
    return permissions.role_holders(Role.DIRECTIE, school_id=case.school_id)


@transaction.atomic
def acute_report_record(*, actor, case: Case, called_at: datetime, called_by, vt_contact: str,
                        reason: str, vt_reference: str = "", police_called: bool = False,
                        police_called_at: datetime | None = None,
                        police_reference: str = "") -> AcuteReport:
    """Acute danger: Veilig Thuis was called at once; recorded afterwards from any phase.
    Whether the police (112) was called, when, and its reference are part of the record."""
    step = step_begin(actor, case, "acute_report", lock_student=True)
    require_value(reason, _("Beschrijf waarom er direct gevaar is."))
    require_value(vt_contact, _("Vul de contactpersoon bij Veilig Thuis in."))
    called_at = dates.check_past_moment(called_at, what=_("Het telefoongesprek"),
                                        born=step.case.student.date_of_birth, now=step.now)
    if police_called:
        require_value(police_called_at, _("Vul in wanneer de politie (112) is gebeld."))
        police_called_at = dates.check_past_moment(
            police_called_at, what=_("Het gesprek met de politie"),
            born=step.case.student.date_of_birth, now=step.now)
    elif police_called_at is not None or police_reference.strip():
        raise DomainError(_("Vink aan dat de politie (112) is gebeld, of laat het tijdstip "
                            "en het kenmerk van de politie leeg."))
    if not (school_staff(step.case).filter(pk=called_by.pk).exists()
            or (step.case.route == Route.MELDPLICHT and "view" in permissions.case_actions(
                called_by, step.case))):
        raise DomainError(_("Kies de medewerker van deze school die belde."))
    if step.case.phase == Phase.GESLOTEN:
        # Danger after closing starts a new cycle: earlier records do not count for it.
        CaseReopening.objects.create(case=step.case, reason=reason, recorded_by=actor,
                                     recorded_at=step.now)
    report = AcuteReport.objects.create(
        case=step.case, phase_before=step.case.phase, called_at=called_at,
        called_by=called_by, vt_contact=vt_contact, vt_reference=vt_reference, reason=reason,
        police_called=police_called, police_called_at=police_called_at,
        police_reference=police_reference.strip(), recorded_by=actor, recorded_at=step.now)
    step_audit("case.acute_report.recorded", step, actor, report, phase_before=report.phase_before,
               police_called=police_called)
    step_move(step, actor)
    case_event("melding.made", case=step.case, actor=actor, norm="A",
               made_on=timezone.localtime(called_at).date())
    # Those who see the case hear of it (on the meldplicht route never a suspect).
    informed = [u for u in _directie(step.case)
                if "view" in permissions.case_actions(u, step.case)]
    notify(recipients=informed, kind=Notification.Kind.ACUTE, case=step.case,
           actor=actor)
    return report

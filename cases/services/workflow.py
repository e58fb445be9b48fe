"""Services of the stappenplan: one function per action of the table in cases/workflow.py.

Each locks the case, re-reads its state, asks the table (`workflow.check`) whether the actor
may do this now, writes the record and the move, and audits both in the same transaction.
Deadline consequences are reported to `cases.deadlines.case_event`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit
from cases import dates, permissions, workflow
from cases.deadlines import case_event, hand_to
from cases.errors import DomainError
from cases.models import (
    AcuteReport,
    Case,
    CaseReopening,
    Consultation,
    Conversation,
    ConversationCarer,
    ConversationExemption,
    DeadlinePolicy,
    Evaluation,
    MeldplichtRecord,
    Notification,
    Phase,
    PhaseConclusion,
    PhaseDecision,
    PhaseTransition,
    Route,
    Student,
    StudentDeparture,
)
from cases.notifications import notify
from cases.selectors.pupils import own_teachers
from cases.services.cases import grant_team_place, team_candidates
from cases.services.pupils import conversation_carer_links
from meldcode.models import Role

CONCLUSION_ACTIONS = {
    PhaseConclusion.Outcome.ONGEGROND: "conclude_unfounded",
    PhaseConclusion.Outcome.GEEN_BEVESTIGING: "conclude_no_confirmation",
    PhaseConclusion.Outcome.TWIJFEL_BEVESTIGING: "conclude_doubt",
}


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


def begin(actor, case: Case, action: str, *, lock_student: bool = False) -> Step:
    """Lock the case and check the table row of `action` (also for the decisions app)."""
    return _begin(actor, case, action, lock_student=lock_student)


def _begin(actor, case: Case, action: str, *, lock_student: bool = False) -> Step:
    if lock_student:
        # Reopening races with opening a new case for the same pupil: lock the pupil first.
        Student.objects.select_for_update().get(pk=case.student_id)
    case = (Case.objects.select_for_update(of=("self",))
            .select_related("school", "school__board", "student").get(pk=case.pk))
    now = timezone.now()
    roles = workflow.user_roles(actor, case)
    row = workflow.check(actor, case, action, roles=roles, now=now)
    return Step(case=case, row=row, now=now, roles=",".join(sorted(roles)))


def step_audit(code: str, step: Step, actor, subject=None, **data):
    _audit(code, step, actor, subject, **data)


def step_move(step: Step, actor) -> None:
    _move(step, actor)


def _audit(code: str, step: Step, actor, subject=None, **data):
    audit(code, actor=actor, subject=subject or step.case, case=step.case,
          actor_role=step.roles, data=data)


def _move(step: Step, actor) -> None:
    """Move the case to the row's target phase (if it has one) and report the events."""
    case, to = step.case, step.row.to
    if to is None or to == case.phase:
        return
    old = case.phase
    PhaseTransition.objects.create(case=case, action=step.row.action, from_phase=old,
                                   to_phase=to, recorded_by=actor, recorded_at=step.now)
    case.phase = to
    case.phase_changed_at = step.now
    case.closed_at = step.now if to == Phase.GESLOTEN else None
    case.save(update_fields=["phase", "phase_changed_at", "closed_at"])
    _audit("case.phase.changed", step, actor, action=step.row.action, **{"from": old, "to": to})
    case_event("phase.left", case=case, actor=actor, phase=old)
    case_event("phase.entered", case=case, actor=actor, phase=to)
    if to == Phase.MONITOREN:
        case_event("monitoring.started", case=case, actor=actor, started_on=step.today)


def _required(value, message):
    if value is None or (isinstance(value, str) and not value.strip()):
        raise DomainError(message)


def _happened_on(step: Step, day: date, what: str) -> None:
    """A day on which something about the pupil happened (range: cases/dates.py)."""
    dates.check_past_day(day, what=what, born=step.case.student.date_of_birth,
                         today=step.today)


def review_months(case: Case) -> int:
    """How far ahead a review date may lie: the meldcode allows at most two months; a board
    may have set a shorter term."""
    return DeadlinePolicy.for_board(case.school.board).review_months


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
    step = _begin(actor, case, CONCLUSION_ACTIONS[outcome])
    _required(argumentation, _("Onderbouw de conclusie."))
    if outcome == PhaseConclusion.Outcome.GEEN_BEVESTIGING:
        _required(review_date, _("Kies de datum waarop de aantekeningen opnieuw worden "
                                 "bekeken."))
        dates.check_coming_day(review_date, what=_("De datum om opnieuw te bekijken"),
                               months=review_months(step.case), today=step.today)
    else:
        review_date = None
    conclusion = PhaseConclusion.objects.create(
        case=step.case, phase=step.case.phase, outcome=outcome, argumentation=argumentation,
        review_date=review_date, recorded_by=actor, recorded_at=step.now)
    _audit("case.conclusion.recorded", step, actor, conclusion, phase=conclusion.phase,
           outcome=outcome)
    case_event("conclusion.recorded", case=step.case, actor=actor, phase=conclusion.phase,
               conclusion=outcome, review_date=review_date)
    _move(step, actor)
    return conclusion


@transaction.atomic
def consultation_record(*, actor, case: Case, kind: str, participants: str, held_on: date,
                        advice: str, anonymous: bool = False, kind_other: str = "",
                        action_points: str = "",
                        time_limit: date | None = None) -> Consultation:
    """Collegiale consultatie (step 2), optionally with the time limit for this phase."""
    step = _begin(actor, case, "record_consultation")
    if kind not in Consultation.Kind.values:
        raise DomainError(_("Kies met wie is overlegd."))
    if kind == Consultation.Kind.ANDERS:
        _required(kind_other, _("Vul in met wie is overlegd."))
    _required(participants, _("Vul de deelnemers in."))
    _required(advice, _("Vul het advies in."))
    _happened_on(step, held_on, _("De datum van de consultatie"))
    if time_limit is not None:
        dates.check_coming_day(time_limit, what=_("De tijdslimiet"), today=step.today)
    consultation = Consultation.objects.create(
        case=step.case, kind=kind, kind_other=kind_other, participants=participants,
        held_on=held_on, anonymous=anonymous, advice=advice, action_points=action_points,
        time_limit=time_limit, recorded_by=actor, recorded_at=step.now)
    _audit("case.consultation.recorded", step, actor, consultation, kind=kind,
           anonymous=anonymous)
    if time_limit is not None:
        case_event("time_limit.set", case=step.case, actor=actor, phase=step.case.phase,
                   due=time_limit)
    return consultation


@dataclass
class ConversationResult:
    conversation: Conversation
    # Advice that does not block (seed 000: preferably two for parents, one for the pupil).
    warnings: list[str] = field(default_factory=list)


def conversation_warnings(*, with_parents: bool, with_pupil: bool, school_count: int):
    warnings = []
    if with_parents and school_count < 2:
        warnings.append(_("Een gesprek met ouders voert u bij voorkeur met twee mensen "
                          "namens school."))
    if with_pupil and not with_parents and school_count > 1:
        warnings.append(_("Een gesprek met de leerling voert u bij voorkeur met één persoon."))
    return warnings


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
    step = _begin(actor, case, "record_conversation")
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
        _required(value, message)
    if interpretation.strip() and not reaction_invited:
        raise DomainError(_("Geef pas een interpretatie nadat de ouders zijn uitgenodigd om "
                            "te reageren."))
    _happened_on(step, held_on, _("De datum van het gesprek"))
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
    _audit("case.conversation.recorded", step, actor, conversation, phase=conversation.phase,
           with_parents=with_parents, with_pupil=with_pupil, school_count=len(people),
           carers=len([x for x in links if x.presence == ConversationCarer.Presence.TOOK_PART]))
    return ConversationResult(conversation, conversation_warnings(
        with_parents=with_parents, with_pupil=with_pupil, school_count=len(people)))


@transaction.atomic
def conversation_exemption_record(*, actor, case: Case, reason: str,
                                  explanation: str) -> ConversationExemption:
    """The recorded reason to skip the conversation with the parents."""
    step = _begin(actor, case, "record_exemption")
    if reason not in ConversationExemption.Reason.values:
        raise DomainError(_("Kies een reden."))
    _required(explanation, _("Licht de reden toe."))
    exemption = ConversationExemption.objects.create(
        case=step.case, reason=reason, explanation=explanation, recorded_by=actor,
        recorded_at=step.now)
    _audit("case.conversation_exemption.recorded", step, actor, exemption, reason=reason)
    return exemption


def coordinator_candidates(case: Case):
    """Staff of the school who may coordinate: never one of the pupil's own teachers today
    (a teacher of the pupil's group this school year, also an AF who teaches it)."""
    own = own_teachers(case.student).values("pk")
    return school_staff(case).exclude(pk__in=own).order_by("last_name", "first_name")


@transaction.atomic
def coordinator_set(*, actor, case: Case, coordinator) -> None:
    step = _begin(actor, case, "set_coordinator")
    if own_teachers(step.case.student).filter(pk=coordinator.pk).exists():
        raise DomainError(_("De coördinator is nooit een eigen leerkracht van de leerling."))
    if not coordinator_candidates(step.case).filter(pk=coordinator.pk).exists():
        raise DomainError(_("Kies een medewerker van deze school als coördinator."))
    step.case.coordinator = coordinator
    step.case.save(update_fields=["coordinator"])
    # The coordinator must see the case: a teacher or OKA gets a place on its team.
    if team_candidates(step.case).filter(pk=coordinator.pk).exists():
        grant_team_place(actor=actor, case=step.case, member=coordinator)
    _audit("case.coordinator.set", step, actor, coordinator=coordinator.pk)
    case_event("coordinator.changed", case=step.case, actor=actor, coordinator=coordinator)


# --- Steps 4-6 ---------------------------------------------------------------------------


@transaction.atomic
def weighing_start(*, actor, case: Case) -> None:
    """From step 3 to wegen en beslissen (only AF or directie)."""
    step = _begin(actor, case, "start_weighing")
    _move(step, actor)


def _decide(step: Step, actor, note: str) -> PhaseDecision:
    _required(note, _("Onderbouw het besluit."))
    decision = PhaseDecision.objects.create(
        case=step.case, from_phase=step.case.phase, to_phase=step.row.to, note=note,
        recorded_by=actor, recorded_at=step.now)
    _audit("case.decision.recorded", step, actor, decision, action=step.row.action,
           to=step.row.to)
    _move(step, actor)
    return decision


@transaction.atomic
def evaluation_record(*, actor, case: Case, held_on: date, participants: str, outcome: str,
                      monitoring_agreements: str) -> Evaluation:
    step = _begin(actor, case, "record_evaluation")
    _required(participants, _("Vul in met wie is geëvalueerd."))
    _required(outcome, _("Vul de uitkomst in."))
    _required(monitoring_agreements, _("Vul de afspraken over het volgen van de leerling in."))
    _happened_on(step, held_on, _("De datum van de evaluatie"))
    evaluation = Evaluation.objects.create(
        case=step.case, held_on=held_on, participants=participants, outcome=outcome,
        monitoring_agreements=monitoring_agreements, recorded_by=actor, recorded_at=step.now)
    _audit("case.evaluation.recorded", step, actor, evaluation)
    case_event("evaluation.recorded", case=step.case, actor=actor, evaluated_on=held_on)
    return evaluation


@transaction.atomic
def monitoring_start(*, actor, case: Case, note: str) -> PhaseDecision:
    """After the melding (and any help beside it): follow the pupil (step 6)."""
    step = _begin(actor, case, "decide_monitoring")
    return _decide(step, actor, note)


@transaction.atomic
def case_close(*, actor, case: Case, note: str) -> PhaseDecision:
    """Close after the weighing or after monitoring (evaluation and follow period first)."""
    step = _begin(actor, case, "close")
    return _decide(step, actor, note)


@transaction.atomic
def case_reopen(*, actor, case: Case, reason: str) -> CaseReopening:
    """New signals after closing: back to step 2, unless another case is open already."""
    step = _begin(actor, case, "reopen", lock_student=True)
    _required(reason, _("Beschrijf de nieuwe signalen."))
    reopening = CaseReopening.objects.create(case=step.case, reason=reason, recorded_by=actor,
                                             recorded_at=step.now)
    _audit("case.reopened", step, actor, reopening)
    _move(step, actor)
    return reopening


@transaction.atomic
def departure_record(*, actor, case: Case, left_on: date, new_school: str,
                     care_handover_on: date, care_handover_notes: str, vt_informed_on: date,
                     parents_informed_on: date) -> StudentDeparture:
    """The pupil left during the follow period: new school, hand-over, VT and parents."""
    step = _begin(actor, case, "record_departure")
    _required(new_school, _("Vul de nieuwe school in."))
    _required(care_handover_notes, _("Beschrijf de overdracht van de zorg."))
    for day, what in ((left_on, _("De vertrekdatum")),
                      (care_handover_on, _("De datum van de overdracht")),
                      (vt_informed_on, _("De datum waarop Veilig Thuis is ingelicht")),
                      (parents_informed_on, _("De datum waarop de ouders zijn ingelicht"))):
        _happened_on(step, day, what)
    departure = StudentDeparture.objects.create(
        case=step.case, left_on=left_on, new_school=new_school,
        care_handover_on=care_handover_on, care_handover_notes=care_handover_notes,
        vt_informed_on=vt_informed_on, parents_informed_on=parents_informed_on,
        recorded_by=actor, recorded_at=step.now)
    _audit("case.departure.recorded", step, actor, departure)
    case_event("student.departed", case=step.case, actor=actor, left_on=left_on)
    return departure


# --- Routes outside the normal order ----------------------------------------------------


def _directie(case: Case):
    return permissions.role_holders(Role.DIRECTIE, school_id=case.school_id)


@transaction.atomic
def acute_report_record(*, actor, case: Case, called_at: datetime, called_by, vt_contact: str,
                        reason: str, vt_reference: str = "") -> AcuteReport:
    """Acute danger: Veilig Thuis was called at once; recorded afterwards from any phase."""
    step = _begin(actor, case, "acute_report", lock_student=True)
    _required(reason, _("Beschrijf waarom er direct gevaar is."))
    _required(vt_contact, _("Vul de contactpersoon bij Veilig Thuis in."))
    called_at = dates.check_past_moment(called_at, what=_("Het telefoongesprek"),
                                        born=step.case.student.date_of_birth, now=step.now)
    if not school_staff(step.case).filter(pk=called_by.pk).exists():
        raise DomainError(_("Kies de medewerker van deze school die belde."))
    if step.case.phase == Phase.GESLOTEN:
        # Danger after closing starts a new cycle: earlier records do not count for it.
        CaseReopening.objects.create(case=step.case, reason=reason, recorded_by=actor,
                                     recorded_at=step.now)
    report = AcuteReport.objects.create(
        case=step.case, phase_before=step.case.phase, called_at=called_at,
        called_by=called_by, vt_contact=vt_contact, vt_reference=vt_reference, reason=reason,
        recorded_by=actor, recorded_at=step.now)
    _audit("case.acute_report.recorded", step, actor, report, phase_before=report.phase_before)
    _move(step, actor)
    case_event("melding.made", case=step.case, actor=actor, norm="A",
               made_on=timezone.localtime(called_at).date())
    notify(recipients=_directie(step.case), kind=Notification.Kind.ACUTE, case=step.case,
           actor=actor)
    return report


@transaction.atomic
def meldplicht_switch(*, actor, case: Case, reason: str) -> MeldplichtRecord:
    """A staff member is suspected: from now on only the reporter, directie and bestuur."""
    step = _begin(actor, case, "switch_meldplicht")
    _required(reason, _("Vul de reden in."))
    record = MeldplichtRecord.objects.create(
        case=step.case, phase_before=step.case.phase, reason=reason, recorded_by=actor,
        recorded_at=step.now)
    step.case.route = Route.MELDPLICHT
    # The coordinator (AF, OKA or teacher) no longer sees the case.
    step.case.coordinator = None
    step.case.save(update_fields=["route", "coordinator"])
    _audit("case.meldplicht.switched", step, actor, record, phase=step.case.phase)
    _hand_tasks_to_directie(step.case, actor)
    board = permissions.role_holders(Role.BESTUUR, board_id=step.case.school.board_id)
    notify(recipients=[*_directie(step.case), *board], kind=Notification.Kind.MELDPLICHT,
           case=step.case, actor=actor)
    return record


def _hand_tasks_to_directie(case: Case, actor) -> None:
    """Open deadlines of people who lost sight of the case go to the directie, so none of
    them silently goes unwatched; several AFs' copies of one deadline are merged."""
    directie = list(_directie(case).order_by("pk"))
    if not directie:
        return
    open_tasks = (case.tasks.select_for_update(of=("self",)).filter(completed_at__isnull=True)
                  .select_related("owner"))
    unseen = [task for task in open_tasks
              if "view" not in permissions.case_actions(task.owner, case)]
    hand_to(case, unseen, directie, event="route.meldplicht", actor=actor)


@transaction.atomic
def meldplicht_record(*, actor, case: Case, inspector_contact_on: date, inspector_notes: str,
                      aangifte: bool, aangifte_on: date,
                      aangifte_reasoning: str) -> MeldplichtRecord:
    """The bestuur's contact with the vertrouwensinspecteur and its decision on aangifte."""
    step = _begin(actor, case, "record_meldplicht")
    if aangifte is None:
        raise DomainError(_("Kies of er aangifte is gedaan."))
    _required(inspector_notes, _("Vul de aantekeningen van het contact in."))
    _required(aangifte_reasoning, _("Onderbouw het besluit over aangifte."))
    _happened_on(step, inspector_contact_on, _("De datum van het contact"))
    _happened_on(step, aangifte_on, _("De datum van het besluit"))
    record = MeldplichtRecord.objects.select_for_update().get(case=step.case)
    record.inspector_contact_on = inspector_contact_on
    record.inspector_notes = inspector_notes
    record.aangifte = aangifte
    record.aangifte_on = aangifte_on
    record.aangifte_reasoning = aangifte_reasoning
    record.board_recorded_by = actor
    record.board_recorded_at = step.now
    record.save(update_fields=["inspector_contact_on", "inspector_notes", "aangifte",
                               "aangifte_on", "aangifte_reasoning", "board_recorded_by",
                               "board_recorded_at"])
    _audit("case.meldplicht.recorded", step, actor, record, aangifte=aangifte)
    return record


@transaction.atomic
def meldplicht_close(*, actor, case: Case, note: str) -> PhaseDecision:
    step = _begin(actor, case, "close_meldplicht")
    return _decide(step, actor, note)


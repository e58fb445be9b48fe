"""Random sequences of stappenplan actions, by random people, with time passing between them.

Whatever the sequence, two promises of the meldcode hold on the recorded history:
- no case is closed after help or a melding without at least six months of monitoring
  (and an evaluation), unless the pupil left and the care was handed over;
- no case reaches step 3 without a zorgteam / ZBO consultation and a plan van aanpak met
  taakverdeling in the cycle (004 stap 2, 000 fase 2);
- no case leaves step 3 the normal way without a conversation with the parents or a
  recorded reason to skip it (only the acute route skips every step);
- no conversation with the parents after a disclosure goes without the warning, until the
  AF or Veilig Thuis was consulted (004 bijlage 3, disclosure), and none warns otherwise.
Refused actions raise a DomainError and must leave nothing behind.
"""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from cases.errors import DomainError
from cases.models import (
    ActionPlanItem,
    CaseReopening,
    Consultation,
    Conversation,
    ConversationExemption,
    DepartureDuty,
    Evaluation,
    Observation,
    Phase,
    PhaseTransition,
)
from cases.selectors.warnings import DISCLOSURE_WARNING
from cases.services import classification
from cases.services import workflow as wf
from cases.workflow import add_months
from decisions.selectors.weighing import current_weighing, path_of
from decisions.services import weighing as weighing_services
from meldcode.models import Role
from tests.factories import (
    CaseFactory,
    ObservationFactory,
    SchoolFactory,
    StudentFactory,
    make_report,
    member,
)

ACTIONS = ["observation", "disclosure", "consult_zorgteam", "plan", "consult_af", "consult_vt",
           "conversation_parents", "conversation_pupil", "exemption", "doubt",
           "no_confirmation", "unfounded",
           "weigh", "answer", "confirm", "help", "report", "send", "monitor", "evaluate",
           "close", "acute", "reopen", "depart", "handover"]
WHO = st.sampled_from(["af", "af", "af", "directie", "teacher"])
DAYS = st.sampled_from([0, 1, 30, 200])
STEP = st.tuples(st.sampled_from(ACTIONS), WHO, DAYS)
# Pure noise rarely gets past step 1, so a sequence is a school's usual path with steps
# randomly left out, done by the wrong person, or with random actions in between.
USUAL_PATH = ["observation", "disclosure", "doubt", "consult_zorgteam", "plan", "doubt",
              "conversation_parents", "doubt", "weigh", "answer", "confirm", "answer",
              "report", "send", "monitor", "evaluate", "close", "reopen"]
SEGMENT = st.tuples(st.sampled_from([True] * 5 + [False]), WHO, DAYS,
                    st.lists(STEP, max_size=1))
PLAN = st.lists(SEGMENT, min_size=len(USUAL_PATH), max_size=len(USUAL_PATH))


def _sequence(plan):
    steps = []
    for action, (keep, who, days, noise) in zip(USUAL_PATH, plan, strict=True):
        if keep:
            steps.append((action, who, days))
        steps.extend(noise)
    return steps


@pytest.fixture
def world(db):
    school = SchoolFactory()
    return {
        "school": school,
        "af": member(Role.AANDACHTSFUNCTIONARIS, school),
        "directie": member(Role.DIRECTIE, school),
        "teacher": member(Role.LEERKRACHT, school),
    }


def _answer_next(actor, case, today):
    """Answer the weighing's next question with B (strong suspicion, unsafe, help...)."""
    weighing = current_weighing(case)
    path = path_of(weighing) if weighing else None
    number = path.next_question.number if path and path.next_question else 1
    weighing_services.answer_record(
        actor=actor, case=case, number=number, option_code="B", argumentation="a",
        vt_contact="VT", authority_informed_on=today, authority_informed_by="Directeur")


def _run(action, actor, case, today, af, directie):
    text = {"argumentation": "Onderbouwing"}
    calls = {
        "observation": lambda: ObservationFactory(case=case, author=case.opened_by),
        "disclosure": lambda: ObservationFactory(
            case=case, author=case.opened_by, origin=Observation.Origin.DISCLOSURE,
            disclosure_notified_at=timezone.now()),
        "consult_zorgteam": lambda: wf.consultation_record(
            actor=actor, case=case, kind="zorgteam", participants="Zorgteam", held_on=today,
            advice="Advies"),
        "plan": lambda: classification.plan_record(
            actor=actor, case=case, items=[("Gesprek met de ouders voorbereiden", af,
                                            today + timedelta(days=7))]),
        "consult_af": lambda: wf.consultation_record(
            actor=actor, case=case, kind="af", participants="AF", held_on=today,
            advice="Advies"),
        "consult_vt": lambda: wf.consultation_record(
            actor=actor, case=case, kind="veilig_thuis", participants="VT", held_on=today,
            advice="Advies", anonymous=True),
        "conversation_parents": lambda: wf.conversation_record(
            actor=actor, case=case, held_on=today, school_participants=[actor],
            facts_described="f", reaction="r", summary="s"),
        "conversation_pupil": lambda: wf.conversation_record(
            actor=actor, case=case, held_on=today, with_parents=False, with_pupil=True,
            school_participants=[actor], facts_described="f", reaction="r", summary="s"),
        "exemption": lambda: wf.conversation_exemption_record(
            actor=actor, case=case, reason="contact_verbreken", explanation="e"),
        "doubt": lambda: wf.conclusion_record(actor=actor, case=case,
                                              outcome="twijfel_bevestiging", **text),
        "no_confirmation": lambda: wf.conclusion_record(
            actor=actor, case=case, outcome="geen_bevestiging",
            review_date=today + timedelta(days=30), **text),
        "unfounded": lambda: wf.conclusion_record(actor=actor, case=case, outcome="ongegrond",
                                                  **text),
        "weigh": lambda: wf.weighing_start(actor=actor, case=case),
        "answer": lambda: _answer_next(actor, case, today),
        "confirm": lambda: weighing_services.conclusion_confirm(
            actor=actor, case=case, consulted=af, note="n"),
        "help": lambda: weighing_services.decision_confirm(
            actor=actor, case=case, outcome="help", consulted=af, note="n"),
        "report": lambda: weighing_services.decision_confirm(
            actor=actor, case=case, outcome="melding", consulted=af, note="n"),
        "send": lambda: [make_report(r, drafter=af, directie=directie)
                         for r in case.reports.filter(sending__isnull=True)],
        "monitor": lambda: wf.monitoring_start(actor=actor, case=case, note="n"),
        "evaluate": lambda: wf.evaluation_record(
            actor=actor, case=case, held_on=today, participants="p", outcome="o",
            monitoring_agreements="m"),
        "close": lambda: wf.case_close(actor=actor, case=case, note="n"),
        "acute": lambda: wf.acute_report_record(
            actor=actor, case=case, called_at=timezone.now(), called_by=actor,
            vt_contact="VT", reason="Direct gevaar"),
        "reopen": lambda: wf.case_reopen(actor=actor, case=case, reason="Nieuwe signalen"),
        "depart": lambda: wf.departure_record(actor=actor, case=case, left_on=today,
                                              new_school="De Linde"),
        "handover": lambda: wf.departure_duty_record(
            actor=actor, case=case, duty="overdracht", done_on=today,
            notes="Overgedragen aan de IB-er"),
    }
    return calls[action]()


def check_history(case, warned=None):
    """The promises, checked on what was recorded. `warned` maps each conversation to
    whether the disclosure warning was shown when it was recorded."""
    transitions = list(PhaseTransition.objects.filter(case=case).order_by("recorded_at", "pk"))
    reopened = list(CaseReopening.objects.filter(case=case).values_list("recorded_at",
                                                                        flat=True))

    def cycle_start(moment):
        return max([case.opened_at, *[r for r in reopened if r <= moment]])

    for i, t in enumerate(transitions):
        start = cycle_start(t.recorded_at)
        before = [u for u in transitions[:i] if u.recorded_at >= start]
        if t.action == "close":
            assert Evaluation.objects.filter(case=case, recorded_at__gte=start,
                                             recorded_at__lte=t.recorded_at).exists()
            handed_over = DepartureDuty.objects.filter(
                case=case, duty="overdracht", recorded_at__gte=start,
                recorded_at__lte=t.recorded_at).exists()
            # No close during the follow period, unless the care was handed over.
            if any(u.to_phase in (Phase.HULP, Phase.MELDING) for u in before) and not handed_over:
                assert before[-1].to_phase == Phase.MONITOREN
                entered = timezone.localtime(before[-1].recorded_at).date()
                closed = timezone.localtime(t.recorded_at).date()
                assert add_months(entered, 6) <= closed
                # And the evaluation at the end of the follow period (C-11).
                assert Evaluation.objects.filter(
                    case=case, recorded_at__gte=before[-1].recorded_at,
                    held_on__gte=add_months(entered, 6),
                    recorded_at__lte=t.recorded_at).exists()
        if t.from_phase == Phase.CONSULTATIE and t.to_phase == Phase.GESPREK:
            # No path to step 3 without a zorgteam / ZBO consultation in the cycle.
            assert Consultation.objects.filter(
                case=case, kind="zorgteam", recorded_at__gte=start,
                recorded_at__lte=t.recorded_at).exists()
            # And the plan van aanpak met taakverdeling of that cycle.
            assert ActionPlanItem.objects.filter(
                case=case, recorded_at__gte=start, recorded_at__lte=t.recorded_at).exists()
        if t.from_phase == Phase.GESPREK and t.action != "acute_report":
            window = {"case": case, "recorded_at__gte": start,
                      "recorded_at__lte": t.recorded_at}
            assert (Conversation.objects.filter(phase=Phase.GESPREK, with_parents=True,
                                                **window).exists()
                    or ConversationExemption.objects.filter(**window).exists())
    for talk in Conversation.objects.filter(case=case, with_parents=True):
        start = cycle_start(talk.recorded_at)
        first = (Observation.objects.filter(
            case=case, origin=Observation.Origin.DISCLOSURE,
            disclosure_notified_at__gte=start, disclosure_notified_at__lte=talk.recorded_at)
            .order_by("disclosure_notified_at").values_list("disclosure_notified_at",
                                                            flat=True).first())
        unprepared = first is not None and not Consultation.objects.filter(
            case=case, kind__in=["af", "veilig_thuis"], recorded_at__gte=first,
            recorded_at__lte=talk.recorded_at).exists()
        assert (warned or {}).get(talk.pk, False) == unprepared, talk


@settings(max_examples=50, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(plan=PLAN)
def test_random_sequences_keep_the_promises(world, plan):
    student = StudentFactory(school=world["school"])
    case = CaseFactory(student=student, opened_by=world["teacher"])
    clock = [timezone.now()]
    warned = {}
    with mock.patch("django.utils.timezone.now", side_effect=lambda: clock[0]):
        for action, who, days in _sequence(plan):
            clock[0] += timedelta(days=days, minutes=5)
            count = PhaseTransition.objects.filter(case=case).count()
            try:
                result = _run(action, world[who], case, timezone.localdate(), world["af"],
                              world["directie"])
                if action == "conversation_parents":
                    warned[result.conversation.pk] = (str(DISCLOSURE_WARNING)
                                                      in result.warnings)
            except DomainError:
                assert PhaseTransition.objects.filter(case=case).count() == count
            case.refresh_from_db()
    check_history(case, warned)
    moves = set(PhaseTransition.objects.filter(case=case).values_list("action", "to_phase"))
    if ("close", Phase.GESLOTEN) in moves and {m[1] for m in moves} & {Phase.HULP,
                                                                     Phase.MELDING}:
        event("closed after help or a melding")
    if any(m[0] in ("start_weighing",) for m in moves):
        event("left step 3 to weighing")


def test_the_check_catches_step_three_without_the_zorgteam(world):
    case = CaseFactory(student__school=world["school"], opened_by=world["teacher"])
    af = world["af"]
    now = timezone.now()
    Consultation.objects.create(case=case, kind="af", participants="AF", held_on=now.date(),
                                advice="a", recorded_by=af, recorded_at=now)
    PhaseTransition.objects.create(case=case, action="conclude_doubt",
                                   from_phase=Phase.CONSULTATIE, to_phase=Phase.GESPREK,
                                   recorded_by=af, recorded_at=now + timedelta(minutes=1))
    with pytest.raises(AssertionError):
        check_history(case)


def test_the_check_catches_step_three_without_a_plan_van_aanpak(world):
    case = CaseFactory(student__school=world["school"], opened_by=world["teacher"])
    af = world["af"]
    now = timezone.now()
    Consultation.objects.create(case=case, kind="zorgteam", participants="Zorgteam",
                                held_on=now.date(), advice="a", recorded_by=af, recorded_at=now)
    PhaseTransition.objects.create(case=case, action="conclude_doubt",
                                   from_phase=Phase.CONSULTATIE, to_phase=Phase.GESPREK,
                                   recorded_by=af, recorded_at=now + timedelta(minutes=1))
    with pytest.raises(AssertionError):
        check_history(case)


def test_the_check_catches_a_close_without_monitoring_or_handover(world):
    """The checker itself is not vacuous: a history that breaks the promise fails it."""
    case = CaseFactory(student__school=world["school"], opened_by=world["teacher"])
    af = world["af"]
    now = timezone.now()
    Evaluation.objects.create(case=case, held_on=now.date(), participants="p", outcome="o",
                              monitoring_agreements="m", recorded_by=af, recorded_at=now)
    for k, (frm, to, action) in enumerate([(Phase.WEGEN, Phase.MELDING, "decide_report"),
                                           (Phase.MELDING, Phase.MONITOREN, "decide_monitoring"),
                                           (Phase.MONITOREN, Phase.GESLOTEN, "close")]):
        PhaseTransition.objects.create(case=case, action=action, from_phase=frm, to_phase=to,
                                       recorded_by=af,
                                       recorded_at=now + timedelta(days=30 * k, minutes=1))
    with pytest.raises(AssertionError):
        check_history(case)


def test_the_check_catches_a_parent_talk_after_a_disclosure_without_the_warning(world):
    case = CaseFactory(student__school=world["school"], opened_by=world["teacher"])
    ObservationFactory(case=case, author=world["teacher"], origin=Observation.Origin.DISCLOSURE,
                       disclosure_notified_at=timezone.now())
    result = wf.conversation_record(actor=world["af"], case=case,
                                    held_on=timezone.localdate(),
                                    school_participants=[world["af"]], facts_described="f",
                                    reaction="r", summary="s")
    check_history(case, {result.conversation.pk: True})
    with pytest.raises(AssertionError):
        check_history(case, {result.conversation.pk: False})

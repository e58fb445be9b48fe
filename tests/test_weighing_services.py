"""Steps 4-5 through the services: answers one at a time, directie's confirmations with the
AF/OKA named, the outcome computed from the answers driving the case (C-1, C-3, C-7, C-9)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.errors import DomainError, TransitionNotAllowed
from cases.models import ConversationExemption, Phase, Task, TaskKind
from cases.services import workflow as wf
from decisions.models import Answer, Report, Weighing
from decisions.selectors.weighing import current_weighing, path_of
from decisions.services import help as help_services
from decisions.services import weighing as services
from tests.factories import CaseFactory, decide, walk_to, weigh
from tests.test_afwegingskader import _newer_version

TODAY = timezone.localdate


@pytest.fixture
def weighing_case(personas):
    return walk_to(personas.case, Phase.WEGEN, actor=personas.af)


def _answer(p, case, number, code, **extra):
    kwargs = {"argumentation": "Omdat de signalen aanhouden.", **extra}
    if number == 1 and code == "B":
        kwargs.setdefault("authority_informed_on", TODAY())
        kwargs.setdefault("authority_informed_by", "De directeur")
    return services.answer_record(actor=extra.pop("actor", p.af), case=case, number=number,
                                  option_code=code, **{k: v for k, v in kwargs.items()
                                                       if k != "actor"})


def test_norm_a_path_moves_to_melding_with_a_draft(personas, weighing_case):
    case = weighing_case
    weigh(case, {1: "B", 2: "B"}, answerer=personas.af, directie=personas.directie)
    decision = decide(case, "melding", directie=personas.directie, consulted=personas.af)
    case.refresh_from_db()
    assert case.phase == Phase.MELDING
    assert (decision.decided_by, decision.consulted, decision.norm) == (
        personas.directie, personas.af, "A")
    [report] = Report.objects.filter(case=case)
    assert report.norm == "A" and report.state == Report.State.CONCEPT
    # C-8: the melding phase is only reached with a melding record.
    assert report.answer.question.number == 2


def test_doubt_at_question_2_is_a_melding_with_norm_a(personas, weighing_case):
    weigh(weighing_case, {1: "B", 2: "B"}, answerer=personas.af, directie=personas.directie,
          doubt=True)
    path = path_of(current_weighing(weighing_case))
    assert path.steps[1].answer.is_doubt
    assert [norm for _a, norm in path.meldingen] == ["A"]
    assert path.next_question.number == 3 and path.with_vt


def test_answers_come_one_at_a_time_in_the_path_order(personas, weighing_case):
    with pytest.raises(DomainError, match="Beantwoord eerst afweging 1"):
        _answer(personas, weighing_case, 2, "A")
    _answer(personas, weighing_case, 1, "B")
    # Directie confirms step 4 before afweging 2 (C-1).
    with pytest.raises(DomainError, match="bevestigt eerst de conclusie van stap 4"):
        _answer(personas, weighing_case, 2, "A")


def test_argumentation_and_the_bevoegd_gezag_are_required(personas, weighing_case):
    with pytest.raises(DomainError, match="argumentatie is verplicht"):
        _answer(personas, weighing_case, 1, "B", argumentation=" ")
    with pytest.raises(DomainError, match="bevoegd gezag"):
        _answer(personas, weighing_case, 1, "B", authority_informed_by="")
    assert not Answer.objects.exists()


def test_directie_never_decides_alone(personas, weighing_case):
    _answer(personas, weighing_case, 1, "B")
    with pytest.raises(DomainError, match="na overleg met een ander"):
        services.conclusion_confirm(actor=personas.directie, case=weighing_case,
                                    consulted=personas.directie, note="Alleen.")
    with pytest.raises(DomainError, match="aandachtsfunctionaris of OKA van deze school"):
        services.conclusion_confirm(actor=personas.directie, case=weighing_case,
                                    consulted=personas.teacher_on_case, note="Leerkracht.")
    # The AF cannot confirm at all: only directie (C-1).
    with pytest.raises(TransitionNotAllowed, match="Alleen de directie"):
        services.conclusion_confirm(actor=personas.af, case=weighing_case,
                                    consulted=personas.oka, note="AF alleen.")


def test_a_teacher_takes_no_part_in_the_weighing(personas, weighing_case):
    with pytest.raises(TransitionNotAllowed):
        _answer(personas, weighing_case, 1, "B", actor=personas.teacher_on_case)


def test_question_1_a_closes_without_follow_period(personas, weighing_case):
    weigh(weighing_case, {1: "A"}, answerer=personas.af, directie=personas.directie)
    with pytest.raises(TransitionNotAllowed, match="geen hulp"):
        decide(weighing_case, "help", directie=personas.directie, consulted=personas.af)
    decide(weighing_case, "close", directie=personas.directie, consulted=personas.af)
    weighing_case.refresh_from_db()
    assert weighing_case.phase == Phase.GESLOTEN


def test_no_help_after_an_exemption_from_the_parents_conversation(personas):
    # C-3: the exemption permits a melding, not help.
    case = walk_to(personas.case, Phase.GESPREK, actor=personas.af)
    wf.conversation_exemption_record(actor=personas.af, case=case,
                                     reason=ConversationExemption.Reason.CHILD_SAFETY,
                                     explanation="Dreiging thuis.")
    wf.conclusion_record(actor=personas.af, case=case, outcome="twijfel_bevestiging",
                         argumentation="Zorg blijft; ouders niet benaderd.")
    wf.weighing_start(actor=personas.af, case=case)
    weigh(case, {1: "B", 2: "A"}, answerer=personas.af, directie=personas.directie)
    with pytest.raises(DomainError, match="staat een melding toe, geen hulp"):
        _answer(personas, case, 3, "B")
    _answer(personas, case, 3, "A")
    decide(case, "melding", directie=personas.directie, consulted=personas.af)
    case.refresh_from_db()
    assert case.phase == Phase.MELDING
    assert case.reports.get().norm == "B"


def test_redoing_a_weighing_keeps_the_old_one(personas, weighing_case):
    weigh(weighing_case, {1: "B", 2: "A"}, answerer=personas.af, directie=personas.directie)
    old = current_weighing(weighing_case)
    new = services.weighing_redo(actor=personas.af, case=weighing_case,
                                 reason="Nieuwe informatie van de jeugdarts.")
    assert current_weighing(weighing_case) == new and new.supersedes == old
    assert old.answers.count() == 2 and not path_of(new).steps
    with pytest.raises(Exception):  # noqa: B017 - the database refuses, whatever the driver
        Weighing.objects.filter(pk=old.pk).update(redo_reason="x")


def test_doubt_at_step_4_is_an_extra_observation_period_in_step_3(personas, weighing_case):
    until = TODAY() + timedelta(days=21)
    services.observation_period_record(actor=personas.af, case=weighing_case,
                                       observer=personas.teacher_on_case,
                                       what="Hoe komt hij 's ochtends binnen?", until=until)
    weighing_case.refresh_from_db()
    assert weighing_case.phase == Phase.GESPREK
    assert Task.objects.filter(case=weighing_case, kind=TaskKind.PHASE_LIMIT, due_on=until,
                               completed_at__isnull=True).exists()


def _to_help(personas):
    case = walk_to(personas.case, Phase.HULP, actor=personas.af)
    return case


def _plan(personas, case, **extra):
    values = {"help_description": "Opvoedondersteuning via het wijkteam.",
              "provided_by": "Wijkteam Noord (ketenpartner)", "casemanager": personas.af,
              "termijn": TODAY() + timedelta(days=42),
              "expected_results": "Geen nieuwe blauwe plekken; ouders volgen de cursus.",
              "accepted": True, "parents_informed": "Directie en AF spraken met beide ouders.",
              "tasks": [("OKA", "Gesprekken met moeder"), ("AF", "Contact met wijkteam")]}
    values.update(extra)
    return help_services.help_plan_record(actor=personas.af, case=case, **values)


def test_help_plan_rules(personas):
    case = _to_help(personas)
    with pytest.raises(DomainError, match="geen leerkracht"):
        _plan(personas, case, casemanager=personas.teacher_on_case)
    with pytest.raises(DomainError, match="wie wat doet"):
        _plan(personas, case, tasks=[("", "")])
    with pytest.raises(DomainError, match="termijn moet na vandaag liggen"):
        _plan(personas, case, termijn=TODAY())
    plan = _plan(personas, case)
    kinds = set(Task.objects.filter(case=case, completed_at__isnull=True)
                .values_list("kind", flat=True))
    assert {TaskKind.HELP_EFFECT, TaskKind.HELP_PARENTS_CONTACT} <= kinds
    assert plan.tasks.count() == 2


def test_help_not_reached_leads_to_a_melding_with_norm_c(personas):
    case = _to_help(personas)
    _plan(personas, case)
    with pytest.raises(DomainError, match="op of na de termijn"):
        help_services.help_evaluate(actor=personas.af, case=case, reached=True,
                                    argumentation="Gaat goed.", monitoring_agreements="x",
                                    nazorg="y")
    help_services.help_evaluate(actor=personas.af, case=case, reached=False,
                                argumentation="Opnieuw letsel gezien.")
    decide(case, "melding", directie=personas.directie, consulted=personas.af)
    case.refresh_from_db()
    assert case.phase == Phase.MELDING
    assert case.reports.get().norm == "C"


def test_help_reached_closes_into_monitoring_and_the_case_after_six_months(personas, monkeypatch):
    case = _to_help(personas)
    plan = _plan(personas, case)
    later = timezone.now() + timedelta(days=43)
    monkeypatch.setattr(timezone, "now", lambda: later)
    with pytest.raises(DomainError, match="nazorgtraject"):
        help_services.help_evaluate(actor=personas.af, case=case, reached=True,
                                    argumentation="Resultaten bereikt.",
                                    monitoring_agreements="Maandelijks bespreken.", nazorg="")
    help_services.help_evaluate(actor=personas.af, case=case, reached=True,
                                argumentation="Resultaten bereikt.",
                                monitoring_agreements="Maandelijks bespreken.",
                                nazorg="Drie maanden nazorg door het wijkteam.")
    help_services.help_close(actor=personas.af, case=case, note="Hulp afgerond.")
    case.refresh_from_db()
    assert case.phase == Phase.MONITOREN and plan.result.reached
    with pytest.raises(TransitionNotAllowed, match="ten minste 6 maanden"):
        wf.evaluation_record(actor=personas.af, case=case, held_on=later.date(),
                             participants="Zorgteam", outcome="Goed.",
                             monitoring_agreements="Blijven volgen.")
        wf.case_close(actor=personas.af, case=case, note="Klaar.")
    # Six months of monitoring later, with the evaluation at its end: closed.
    end = later + timedelta(days=185)
    monkeypatch.setattr(timezone, "now", lambda: end)
    wf.evaluation_record(actor=personas.af, case=case, held_on=timezone.localdate(),
                         participants="Zorgteam en ouders", outcome="Veilig gebleven.",
                         monitoring_agreements="Leerkracht blijft alert.")
    wf.case_close(actor=personas.af, case=case, note="Half jaar gevolgd, veilig.")
    case.refresh_from_db()
    assert case.phase == Phase.GESLOTEN


def test_a_melding_and_help_both_run(personas):
    # C-7: after the norm-A melding the next afwegingen go with Veilig Thuis and help can
    # start beside the melding; monitoring waits for both.
    case = walk_to(personas.case, Phase.MELDING, actor=personas.af)
    with pytest.raises(DomainError, match="contactpersoon bij Veilig Thuis"):
        _answer(personas, case, 3, "B")
    _answer(personas, case, 3, "B", vt_contact="Mevr. de Wit")
    _answer(personas, case, 4, "B", vt_contact="Mevr. de Wit")
    assert all(a.together_with_vt for a in Answer.objects.filter(question__number__in=[3, 4]))
    decide(case, "help", directie=personas.directie, consulted=personas.af)
    case.refresh_from_db()
    assert case.phase == Phase.MELDING
    _plan(personas, case)
    with pytest.raises(TransitionNotAllowed, match="melding bij Veilig Thuis is gedaan"):
        wf.monitoring_start(actor=personas.af, case=case, note="Volgen.")


def test_a_weighing_keeps_its_version_when_a_newer_one_is_loaded(personas, weighing_case):
    """A new framework version never changes an earlier weighing: it goes on with the
    questions and norms it was started with; a new weighing takes the newer version."""
    weigh(weighing_case, {1: "B", 2: "A", 3: "B"}, answerer=personas.af,
          directie=personas.directie)
    newer = _newer_version()  # in 2027 question 4 "no" implies norm C instead of B
    answer = _answer(personas, weighing_case, 4, "A")
    weighing = current_weighing(weighing_case)
    assert weighing.framework.version == 2019 and answer.question.framework == weighing.framework
    assert answer.option.norm == "B"
    assert [(a.question.number, a.option.code) for a in weighing.answers.all()] == [
        (1, "B"), (2, "A"), (3, "B"), (4, "A")]
    redone = services.weighing_redo(actor=personas.af, case=weighing_case,
                                    reason="Nieuwe versie van het afwegingskader.")
    assert redone.framework == newer and weighing.framework.version == 2019


def test_the_consultations_an_answer_rests_on_are_linked(personas, weighing_case):
    """The consultations of Veilig Thuis or the jeugdgezondheidszorg made for the weighing
    are linked to the answer; one of another case is refused."""
    vt = wf.consultation_record(actor=personas.af, case=weighing_case, kind="veilig_thuis",
                                participants="Veilig Thuis", held_on=TODAY(),
                                advice="Sterk vermoeden; weeg verder.", anonymous=True)
    other_case = CaseFactory(student__school=personas.school, opened_by=personas.af)
    walk_to(other_case, Phase.CONSULTATIE, actor=personas.af)
    elsewhere = wf.consultation_record(actor=personas.af, case=other_case, kind="zorgteam",
                                       participants="Zorgteam", held_on=TODAY(), advice="a")
    with pytest.raises(DomainError, match="Koppel alleen consultaties van deze casus."):
        _answer(personas, weighing_case, 1, "B", consultations=[vt, elsewhere])
    answer = _answer(personas, weighing_case, 1, "B", consultations=[vt])
    assert list(answer.consultations.all()) == [vt]


def test_the_first_nazorg_term_is_a_task_for_the_casemanager_and_the_af(personas, monkeypatch):
    case = _to_help(personas)
    plan = _plan(personas, case)
    later = timezone.now() + timedelta(days=43)
    monkeypatch.setattr(timezone, "now", lambda: later)
    review_on = later.date() + timedelta(days=30)
    with pytest.raises(DomainError, match="eerste termijn van de nazorg"):
        help_services.help_evaluate(actor=personas.af, case=case, reached=True,
                                    argumentation="Resultaten bereikt.",
                                    monitoring_agreements="Maandelijks bespreken.",
                                    nazorg="Drie maanden nazorg door het wijkteam.",
                                    nazorg_review_on=later.date() - timedelta(days=1))
    result = help_services.help_evaluate(
        actor=personas.af, case=case, reached=True, argumentation="Resultaten bereikt.",
        monitoring_agreements="Maandelijks bespreken.",
        nazorg="Drie maanden nazorg door het wijkteam.", nazorg_review_on=review_on)
    assert result.nazorg_review_on == review_on
    tasks = Task.objects.filter(case=case, kind=TaskKind.NAZORG_REVIEW, completed_at__isnull=True)
    assert {t.due_on for t in tasks} == {review_on}
    assert plan.casemanager in {t.owner for t in tasks}
    # The effect and parents-contact tasks of the help are done by the result.
    assert not Task.objects.filter(case=case, completed_at__isnull=True, kind__in=(
        TaskKind.HELP_EFFECT, TaskKind.HELP_PARENTS_CONTACT)).exists()


def test_no_nazorg_task_without_a_term(personas, monkeypatch):
    case = _to_help(personas)
    _plan(personas, case)
    later = timezone.now() + timedelta(days=43)
    monkeypatch.setattr(timezone, "now", lambda: later)
    help_services.help_evaluate(actor=personas.af, case=case, reached=True,
                                argumentation="Resultaten bereikt.",
                                monitoring_agreements="Maandelijks bespreken.",
                                nazorg="Drie maanden nazorg door het wijkteam.")
    assert not Task.objects.filter(case=case, kind=TaskKind.NAZORG_REVIEW).exists()

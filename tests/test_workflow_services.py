"""The stappenplan services: records, guards, audit events and deadline events."""

from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from cases import permissions
from cases.errors import DomainError, TransitionNotAllowed
from cases.models import (
    Case,
    Conversation,
    DeadlinePolicy,
    MeldplichtRecord,
    Phase,
    PhaseConclusion,
    PhaseTransition,
    Route,
)
from cases.selectors.chronology import chronology
from cases.services import workflow as wf
from cases.services.cases import case_team
from cases.services.workflow import coordinator_set
from cases.views.workflow import PAGES
from cases.workflow import TABLE
from tests.factories import CaseFactory, ObservationFactory, make_report, walk_to

pytestmark = pytest.mark.django_db


def _codes(case):
    return list(AuditEvent.objects.filter(case_id=case.pk).order_by("pk")
                .values_list("action", flat=True))


def test_walk_from_step_one_to_weighing_is_audited(personas):
    case = walk_to(personas.case, Phase.WEGEN, actor=personas.af)
    assert case.phase == Phase.WEGEN
    assert list(PhaseTransition.objects.filter(case=case).values_list("to_phase", flat=True)) \
        == [Phase.CONSULTATIE, Phase.GESPREK, Phase.WEGEN]
    codes = _codes(case)
    assert codes.count("case.phase.changed") == 3
    assert codes.count("case.conclusion.recorded") == 3
    assert "case.consultation.recorded" in codes
    assert "case.conversation.recorded" in codes
    event = AuditEvent.objects.filter(case_id=case.pk, action="case.phase.changed").last()
    assert event.data == {"action": "start_weighing", "from": "gesprek", "to": "wegen"}
    assert event.actor == personas.af and event.actor_role == "aandachtsfunctionaris"


def test_a_refused_action_raises_and_changes_nothing(personas):
    case = personas.case
    with pytest.raises(TransitionNotAllowed, match="Leg eerst een observatie vast"):
        wf.conclusion_record(actor=personas.af, case=case, outcome="twijfel_bevestiging",
                             argumentation="Zorgen")
    case.refresh_from_db()
    assert case.phase == Phase.SIGNALEREN
    assert not PhaseConclusion.objects.exists()
    assert _codes(case) == []


def test_a_draft_observation_does_not_count(personas):
    ObservationFactory(case=personas.case, status="concept", submitted_at=None)
    with pytest.raises(TransitionNotAllowed, match="Leg eerst een observatie vast"):
        wf.conclusion_record(actor=personas.af, case=personas.case,
                             outcome="twijfel_bevestiging", argumentation="Zorgen")


def test_only_af_or_directie_move_to_weighing(personas):
    case = walk_to(personas.case, Phase.GESPREK, actor=personas.af)
    wf.conversation_record(actor=personas.af, case=case, held_on=timezone.localdate(),
                           school_participants=[personas.af, personas.oka],
                           facts_described="f", reaction="r", summary="s")
    from tests.factories import grant_team
    grant_team(case, personas.oka)
    wf.conclusion_record(actor=personas.oka, case=case, outcome="twijfel_bevestiging",
                         argumentation="De zorg blijft")
    with pytest.raises(TransitionNotAllowed,
                       match="Alleen de aandachtsfunctionaris of de directie mag dit doen."):
        wf.weighing_start(actor=personas.oka, case=case)
    wf.weighing_start(actor=personas.directie, case=case)
    case.refresh_from_db()
    assert case.phase == Phase.WEGEN


def test_step_three_cannot_be_left_without_conversation_or_exemption(personas):
    case = walk_to(personas.case, Phase.GESPREK, actor=personas.af)
    with pytest.raises(TransitionNotAllowed, match="Leg eerst een gesprek met de ouders vast"):
        wf.conclusion_record(actor=personas.af, case=case, outcome="twijfel_bevestiging",
                             argumentation="x")
    # A talk with only the pupil is not the talk with the parents.
    wf.conversation_record(actor=personas.af, case=case, held_on=timezone.localdate(),
                           with_parents=False, with_pupil=True,
                           school_participants=[personas.af], facts_described="f",
                           reaction="r", summary="s")
    with pytest.raises(TransitionNotAllowed, match="Leg eerst een gesprek met de ouders vast"):
        wf.conclusion_record(actor=personas.af, case=case, outcome="ongegrond",
                             argumentation="x")
    wf.conversation_exemption_record(actor=personas.directie, case=case,
                                     reason="veiligheid_kind", explanation="Dreiging thuis")
    wf.conclusion_record(actor=personas.af, case=case, outcome="twijfel_bevestiging",
                         argumentation="x")
    wf.weighing_start(actor=personas.af, case=case)
    case.refresh_from_db()
    assert case.phase == Phase.WEGEN
    assert "case.conversation_exemption.recorded" in _codes(case)


def test_review_date_at_most_two_months_ahead(personas):
    ObservationFactory(case=personas.case)
    today = timezone.localdate()
    with pytest.raises(DomainError, match="uiterlijk twee maanden vooruit"):
        wf.conclusion_record(actor=personas.teacher_on_case, case=personas.case,
                             outcome="geen_bevestiging", argumentation="Nog onduidelijk",
                             review_date=today + timedelta(days=70))
    with pytest.raises(DomainError, match="Kies de datum"):
        wf.conclusion_record(actor=personas.teacher_on_case, case=personas.case,
                             outcome="geen_bevestiging", argumentation="Nog onduidelijk")
    with pytest.raises(DomainError, match="Onderbouw de conclusie"):
        wf.conclusion_record(actor=personas.teacher_on_case, case=personas.case,
                             outcome="geen_bevestiging", argumentation=" ",
                             review_date=today + timedelta(days=30))
    with mock.patch("cases.services.workflow.case_event") as event:
        c = wf.conclusion_record(actor=personas.teacher_on_case, case=personas.case,
                                 outcome="geen_bevestiging", argumentation="Nog onduidelijk",
                                 review_date=today + timedelta(days=30))
    assert c.phase == Phase.SIGNALEREN and c.review_date == today + timedelta(days=30)
    event.assert_called_once_with("conclusion.recorded", case=mock.ANY,
                                  actor=personas.teacher_on_case, phase="signaleren",
                                  conclusion="geen_bevestiging", review_date=c.review_date)
    personas.case.refresh_from_db()
    assert personas.case.phase == Phase.SIGNALEREN


def test_unfounded_closes_the_case(personas):
    ObservationFactory(case=personas.case)
    with pytest.raises(TransitionNotAllowed, match="Alleen de aandachtsfunctionaris"):
        wf.conclusion_record(actor=personas.teacher_on_case, case=personas.case,
                             outcome="ongegrond", argumentation="Andere oorzaak")
    wf.conclusion_record(actor=personas.af, case=personas.case, outcome="ongegrond",
                         argumentation="Andere oorzaak: verhuizing")
    personas.case.refresh_from_db()
    assert personas.case.phase == Phase.GESLOTEN and personas.case.closed_at is not None


def test_coordinator_is_never_an_own_teacher(personas):
    with pytest.raises(DomainError, match="nooit een eigen leerkracht"):
        wf.coordinator_set(actor=personas.af, case=personas.case,
                           coordinator=personas.teacher_on_case)
    assert personas.teacher_on_case not in wf.coordinator_candidates(personas.case)
    with pytest.raises(TransitionNotAllowed):
        wf.coordinator_set(actor=personas.teacher_on_case, case=personas.case,
                           coordinator=personas.oka)
    with pytest.raises(DomainError, match="lid van het zorgteam van deze school"):
        wf.coordinator_set(actor=personas.af, case=personas.case,
                           coordinator=personas.teacher_other_school)
    wf.coordinator_set(actor=personas.af, case=personas.case, coordinator=personas.oka)
    personas.case.refresh_from_db()
    assert personas.case.coordinator == personas.oka
    assert AuditEvent.objects.get(action="case.coordinator.set").data == {
        "coordinator": personas.oka.pk}


def test_coordinator_is_a_zorgteam_member_never_a_teacher(personas):
    """000 stap 2: "een lid van het zorgteam"; another class teacher is no candidate."""
    candidates = set(wf.coordinator_candidates(personas.case))
    assert {personas.af, personas.oka, personas.directie} <= candidates
    assert personas.teacher_not_on_case not in candidates
    with pytest.raises(DomainError, match="lid van het zorgteam"):
        wf.coordinator_set(actor=personas.af, case=personas.case,
                           coordinator=personas.teacher_not_on_case)


def test_conversation_warns_but_does_not_block(personas):
    case = walk_to(personas.case, Phase.GESPREK, actor=personas.af)
    result = wf.conversation_record(actor=personas.af, case=case, held_on=timezone.localdate(),
                                    school_participants=[personas.af], facts_described="f",
                                    reaction="r", summary="s")
    assert result.warnings == ["Een gesprek met ouders voert u bij voorkeur met twee mensen "
                               "namens school."]
    result = wf.conversation_record(actor=personas.af, case=case, held_on=timezone.localdate(),
                                    with_parents=False, with_pupil=True,
                                    school_participants=[personas.af, personas.oka],
                                    facts_described="f", reaction="r", summary="s")
    assert result.warnings == ["Een gesprek met de leerling voert u bij voorkeur met één "
                               "persoon."]
    assert Conversation.objects.filter(case=case).count() == 2
    with pytest.raises(DomainError, match="pas een interpretatie"):
        wf.conversation_record(actor=personas.af, case=case, held_on=timezone.localdate(),
                               school_participants=[personas.af], facts_described="f",
                               reaction="r", summary="s", interpretation="Vermoedelijk...")


def test_consultation_time_limit_is_reported_to_deadlines(personas):
    case = walk_to(personas.case, Phase.CONSULTATIE, actor=personas.af)
    due = timezone.localdate() + timedelta(days=21)
    with mock.patch("cases.services.workflow.case_event") as event:
        wf.consultation_record(actor=personas.af, case=case, kind="veilig_thuis",
                               participants="AF", held_on=timezone.localdate(),
                               anonymous=True, advice="Gesprek voeren", time_limit=due)
    assert event.call_args_list == [
        mock.call("consultation.recorded", case=mock.ANY, actor=personas.af,
                  kind="veilig_thuis"),
        mock.call("time_limit.set", case=mock.ANY, actor=personas.af, phase="consultatie",
                  due=due)]
    # Veilig Thuis advice is not the consultation with the zorgteam.
    with pytest.raises(TransitionNotAllowed, match="eerst in het zorgteam"):
        wf.conclusion_record(actor=personas.af, case=case, outcome="twijfel_bevestiging",
                             argumentation="x")


def test_phase_events_reach_the_deadlines_seam(personas):
    ObservationFactory(case=personas.case)
    event = mock.Mock()
    # The record's own event comes from the service, the phase events from the move.
    with (mock.patch("cases.services.workflow.case_event", event),
          mock.patch("cases.services.steps.case_event", event)):
        wf.conclusion_record(actor=personas.af, case=personas.case,
                             outcome="twijfel_bevestiging", argumentation="x")
    names = [c.args[0] for c in event.call_args_list]
    assert names == ["conclusion.recorded", "phase.left", "phase.entered"]
    assert event.call_args_list[2].kwargs["phase"] == Phase.CONSULTATIE


def _monitoring_after_melding(personas, event=None):
    case = walk_to(personas.case, Phase.MELDING, actor=personas.af)
    for report in case.reports.all():
        make_report(report, drafter=personas.af, directie=personas.directie)
    return case


def _evaluate(personas, case, day):
    wf.evaluation_record(actor=personas.af, case=case, held_on=day, participants="Zorgteam",
                         outcome="Goed", monitoring_agreements="4 mnd")


def test_closing_after_a_melding_needs_six_months_and_the_evaluation_at_the_end(personas):
    case = _monitoring_after_melding(personas)
    with mock.patch("cases.services.steps.case_event") as event:
        wf.monitoring_start(actor=personas.af, case=case, note="Melding gedaan")
    assert ("monitoring.started",) in [c.args for c in event.call_args_list]
    with pytest.raises(TransitionNotAllowed, match="Leg eerst een evaluatie vast."):
        wf.case_close(actor=personas.af, case=case, note="Klaar")
    _evaluate(personas, case, timezone.localdate())
    with pytest.raises(TransitionNotAllowed, match="ten minste 6 maanden"):
        wf.case_close(actor=personas.af, case=case, note="Klaar")
    later = timezone.now() + timedelta(days=190)
    with mock.patch("django.utils.timezone.now", return_value=later):
        # C-11: the evaluation of the start does not count; the one at the end does.
        with pytest.raises(TransitionNotAllowed, match="einde van de volgperiode"):
            wf.case_close(actor=personas.af, case=case, note="Klaar")
        _evaluate(personas, case, timezone.localtime(later).date())
        wf.case_close(actor=personas.af, case=case, note="Zes maanden gevolgd")
    case.refresh_from_db()
    assert case.phase == Phase.GESLOTEN and case.closed_at == later


def test_closing_waits_for_a_longer_follow_period_of_the_board(personas):
    DeadlinePolicy.objects.create(board=personas.school.board, follow_months=9)
    case = _monitoring_after_melding(personas)
    wf.monitoring_start(actor=personas.af, case=case, note="Melding gedaan")
    seven_months = timezone.now() + timedelta(days=215)
    with (mock.patch("django.utils.timezone.now", return_value=seven_months),
          pytest.raises(TransitionNotAllowed, match="ten minste 9 maanden; sluiten kan vanaf")):
        _evaluate(personas, case, timezone.localtime(seven_months).date())
        wf.case_close(actor=personas.af, case=case, note="Te vroeg")
    nine_months = timezone.now() + timedelta(days=280)
    with mock.patch("django.utils.timezone.now", return_value=nine_months):
        _evaluate(personas, case, timezone.localtime(nine_months).date())
        wf.case_close(actor=personas.af, case=case, note="Volgperiode van het bestuur voorbij")
    case.refresh_from_db()
    assert case.phase == Phase.GESLOTEN


def test_departure_is_recorded_first_then_its_duties(personas):
    """C-14: the departure first; each duty is a task completed by its own dated record."""
    case = walk_to(personas.case, Phase.MONITOREN, actor=personas.af)
    today = timezone.localdate()
    with pytest.raises(DomainError, match="Leg eerst het vertrek"):
        wf.departure_duty_record(actor=personas.af, case=case, duty="ouders", done_on=today)
    with mock.patch("cases.services.workflow.case_event") as event:
        wf.departure_record(actor=personas.af, case=case, left_on=today, new_school="De Ark")
    event.assert_called_once_with("student.departed", case=mock.ANY, actor=personas.af,
                                  left_on=today, new_school=True, vt_involved=True)
    assert "case.departure.recorded" in _codes(case)
    with pytest.raises(DomainError, match="toekomst"):
        wf.departure_record(actor=personas.af, case=case, left_on=today + timedelta(days=3))
    with pytest.raises(DomainError, match="Beschrijf de overdracht"):
        wf.departure_duty_record(actor=personas.af, case=case, duty="overdracht",
                                 done_on=today)


def test_chronology_lists_the_records_in_constant_queries(personas, django_assert_num_queries):
    case = walk_to(personas.case, Phase.WEGEN, actor=personas.af)
    kinds = ["conclusion", "consultation", "conversation", "exemption", "acute_report",
             "evaluation"]
    # One query per kind, and for the people who took part: the carers and the school's
    # staff in the conversations, the school's staff in the consultations.
    with django_assert_num_queries(9):
        entries = chronology(case, kinds=kinds)
    assert [e.kind for e in entries].count("conclusion") == 3
    for _ in range(3):
        wf.consultation_record(actor=personas.af, case=case, kind="af", participants="AF",
                               held_on=timezone.localdate(), advice="a")
    with django_assert_num_queries(9):
        chronology(case, kinds=kinds)


def test_case_page_shows_what_can_be_done_and_what_is_missing(client, personas,
                                                              django_assert_max_num_queries):
    other = [CaseFactory(student__school=personas.school) for _ in range(5)]
    assert other
    client.force_login(personas.af)
    url = reverse("case_detail", kwargs={"case_id": personas.case.pk})
    with django_assert_max_num_queries(40):
        response = client.get(url)
    html = response.content.decode()
    assert "Wat kunt u nu doen?" in html
    assert "Leg eerst een observatie vast en dien die in." in html
    assert reverse("case_workflow_form", args=[personas.case.pk, "set_coordinator"]) in html
    client.force_login(personas.teacher_on_case)
    html = client.get(url).content.decode()
    assert reverse("case_workflow_form", args=[personas.case.pk, "set_coordinator"]) not in html


def test_post_with_a_missing_step_shows_the_message_and_keeps_input(client, personas):
    client.force_login(personas.af)
    url = reverse("case_workflow_action", args=[personas.case.pk, "conclude_doubt"])
    response = client.post(url, {"argumentation": "Mijn onderbouwing"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Leg eerst een observatie vast en dien die in." in html
    assert "Mijn onderbouwing" in html
    personas.case.refresh_from_db()
    assert personas.case.phase == Phase.SIGNALEREN


def test_post_through_the_page_moves_the_case(client, personas):
    ObservationFactory(case=personas.case)
    client.force_login(personas.af)
    url = reverse("case_workflow_action", args=[personas.case.pk, "conclude_doubt"])
    response = client.post(url, {"argumentation": "Meerdere signalen"})
    assert response.status_code == 302
    personas.case.refresh_from_db()
    assert personas.case.phase == Phase.CONSULTATIE


@pytest.mark.parametrize("action", sorted(PAGES))
def test_every_action_page_renders_and_keeps_invalid_input(client, personas, action):
    row = next(row for row in TABLE.values() if row.action == action)
    Case.objects.filter(pk=personas.case.pk).update(phase=row.frm,
                                                    route=row.route or Route.STAPPENPLAN)
    user = personas.bestuur if row.route == Route.MELDPLICHT else personas.af
    if action == "record_meldplicht":
        MeldplichtRecord.objects.create(case=personas.case, phase_before=row.frm, reason="r",
                                        recorded_by=personas.af)
    client.force_login(user)
    response = client.get(reverse("case_workflow_form", args=[personas.case.pk, action]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>" in html and ("<form" in html or "Dit kan nu nog niet." in html)
    if action == "start_weighing":
        return  # no fields: posting it runs the action
    response = client.post(reverse("case_workflow_action", args=[personas.case.pk, action]),
                           {"note": "", "reason": "", "new_school": "De Ark"})
    assert response.status_code == 200
    assert "field__error" in response.content.decode() or "error-summary" in \
        response.content.decode()


def test_new_coordinator_takes_over_open_coordinator_tasks(personas):
    from tests.factories import TaskFactory

    task = TaskFactory(case=personas.case, owner=personas.af, kind="fase1_termijn")
    coordinator_set(actor=personas.af, case=personas.case, coordinator=personas.oka)
    task.refresh_from_db()
    assert task.owner == personas.oka
    assert task.completed_at is None


def test_coordinator_gets_a_place_on_the_team(personas):
    assert "view" not in permissions.case_actions(personas.oka, personas.case)
    coordinator_set(actor=personas.af, case=personas.case, coordinator=personas.oka)
    assert "view" in permissions.case_actions(personas.oka, personas.case)
    assert personas.oka in {m.user for m in case_team(personas.case)}


def test_an_action_without_a_guard_does_not_read_the_guard_facts(personas):
    ObservationFactory(case=personas.case)
    wf.conclusion_record(actor=personas.af, case=personas.case,
                         outcome="twijfel_bevestiging", argumentation="x")
    with mock.patch("cases.workflow.load_facts") as load_facts:
        wf.consultation_record(actor=personas.af, case=personas.case, kind="af",
                               participants="AF en leerkracht", held_on=timezone.localdate(),
                               advice="Ouders uitnodigen")
    load_facts.assert_not_called()

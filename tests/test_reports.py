"""The melding to Veilig Thuis: four eyes in the service, no sending without approval and
without the parents informed (or an exception), the 12+ rule on a birthday, the database
freezing an approved melding, the acute route, and the VT tasks."""

from datetime import date, timedelta

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone

from cases.errors import DomainError
from cases.models import Phase, Task, TaskKind
from cases.services import workflow as wf
from decisions.models import Report, ReportFact, ReportShare
from decisions.services import reports as services
from decisions.services.routes import acute_melding_record, recurrence_report
from meldcode.models import Role
from tests.factories import add_role, decide, submitted_observation, walk_to, weigh

DB_REFUSES = DatabaseError


def _norm_b_draft(p):
    case = walk_to(p.case, Phase.WEGEN, actor=p.af)
    weigh(case, {1: "B", 2: "A", 3: "A"}, answerer=p.af, directie=p.directie)
    decide(case, "melding", directie=p.directie, consulted=p.af)
    return case.reports.get()


@pytest.fixture
def draft(personas):
    return _norm_b_draft(personas)


def _talk(p, report, held_on=None, **extra):
    values = {"held_on": held_on or timezone.localdate(), "held_by": "AF en directie",
              "why_and_aim": "Uitgelegd waarom.", "reaction": "Boos.",
              "conclusion": "De bescherming geeft de doorslag."}
    values.update(extra)
    return services.report_conversation_record(actor=p.af, report=report, **values)


def _send(p, report, actor=None):
    return services.report_send(actor=actor or p.af, report=report, sent_at=timezone.now(),
                                channel="formulier", vt_contact="Dhr. Jansen",
                                vt_reference="VT-123")


def test_the_draft_is_prefilled_from_the_dossier(personas, draft):
    assert draft.norm == "B" and draft.state == Report.State.CONCEPT
    assert personas.case.student.full_name in draft.family
    assert draft.melder_contact.startswith(personas.school.name)


def test_a_fact_from_the_chronology_is_copied_and_stays_linked(personas, draft):
    observation = submitted_observation(
        personas.case, statements=[("feit", "Zei: papa slaat"), ("hypothese", "Angstig")],
        origin="verteld_door_ander", source_name="Oma", source_role="grootmoeder")
    fact = services.report_fact_add(actor=personas.af, report=draft, observation=observation)
    assert "Zei: papa slaat" in fact.text and "Angstig" not in fact.text
    assert (fact.source, fact.source_name, fact.observation) == (
        ReportFact.Source.THIRD, "Oma, grootmoeder", observation)
    with pytest.raises(DomainError, match="Noem de derde"):
        services.report_fact_add(actor=personas.af, report=draft, text="Gehoord", source="derde")


def test_four_eyes_in_the_service(personas, draft):
    services.report_fact_add(actor=personas.af, report=draft, text="Blauwe plek.")
    with pytest.raises(DomainError, match="nog niet ter goedkeuring"):
        services.report_approve(actor=personas.directie, report=draft, confirmed=True)
    services.report_submit(actor=personas.af, report=draft)
    # A person holding both roles drafted it: they never approve it themselves.
    add_role(personas.af, Role.DIRECTIE, school=personas.school)
    with pytest.raises(DomainError, match="Vier ogen"):
        services.report_approve(actor=personas.af, report=draft, confirmed=True)
    with pytest.raises(DomainError, match="Bevestig"):
        services.report_approve(actor=personas.directie, report=draft, confirmed=False)
    with pytest.raises(DomainError, match="Alleen de directie"):
        services.report_approve(actor=personas.oka, report=draft, confirmed=True)
    services.report_approve(actor=personas.directie, report=draft, confirmed=True)
    draft.refresh_from_db()
    assert (draft.drafted_by, draft.approved_by) == (personas.af, personas.directie)


def test_rejecting_needs_a_reason_and_returns_the_draft(personas, draft):
    services.report_fact_add(actor=personas.af, report=draft, text="Blauwe plek.")
    services.report_submit(actor=personas.af, report=draft)
    with pytest.raises(DomainError, match="reden"):
        services.report_reject(actor=personas.directie, report=draft, reason=" ")
    services.report_reject(actor=personas.directie, report=draft, reason="Feiten ontbreken.")
    draft.refresh_from_db()
    assert draft.state == Report.State.CONCEPT and draft.rejection_reason
    services.report_update(actor=personas.af, report=draft, other_information="Aangevuld.")


def test_no_sending_without_approval_or_open_melden(personas, draft):
    services.report_fact_add(actor=personas.af, report=draft, text="Blauwe plek.")
    with pytest.raises(DomainError, match="keurt de melding eerst goed"):
        _send(personas, draft)
    services.report_submit(actor=personas.af, report=draft)
    services.report_approve(actor=personas.directie, report=draft, confirmed=True)
    with pytest.raises(DomainError, match="Bespreek de melding eerst met de ouders"):
        _send(personas, draft)
    services.report_exemption_record(actor=personas.af, report=draft,
                                     reason="veiligheid_kind", explanation="Dreiging.")
    sending = _send(personas, draft)
    assert sending.vt_reference == "VT-123"
    [task] = Task.objects.filter(case=personas.case, kind=TaskKind.VT_DECISION)
    assert task.due_on > timezone.localdate()


@pytest.mark.parametrize(("held_on", "pupil_needed"), [
    (date(2026, 5, 16), False),  # the day before the twelfth birthday
    (date(2026, 5, 17), True),  # the birthday itself
])
def test_the_pupil_from_twelve_on_the_day_of_the_conversation(personas, draft, held_on,
                                                              pupil_needed):
    student = personas.case.student
    student.date_of_birth = date(2014, 5, 17)
    student.save(update_fields=["date_of_birth"])
    services.report_fact_add(actor=personas.af, report=draft, text="Blauwe plek.")
    services.report_submit(actor=personas.af, report=draft)
    services.report_approve(actor=personas.directie, report=draft, confirmed=True)
    _talk(personas, draft, held_on=held_on)
    if pupil_needed:
        with pytest.raises(DomainError, match="12 jaar of ouder"):
            _send(personas, draft)
        _talk(personas, draft, held_on=held_on, with_parents=False, with_pupil=True)
    _send(personas, draft)


def test_objections_must_be_weighed(personas, draft):
    with pytest.raises(DomainError, match="bezwaren"):
        _talk(personas, draft, objections="Vader is het er niet mee eens.")


def test_an_approved_melding_is_frozen_in_the_database(personas, draft):
    fact = services.report_fact_add(actor=personas.af, report=draft, text="Blauwe plek.")
    services.report_submit(actor=personas.af, report=draft)
    services.report_approve(actor=personas.directie, report=draft, confirmed=True)
    for attempt in (
        lambda: Report.objects.filter(pk=draft.pk).update(family="Anders"),
        lambda: Report.objects.filter(pk=draft.pk).delete(),
        lambda: ReportFact.objects.filter(pk=fact.pk).update(text="Anders"),
        lambda: ReportFact.objects.create(report=draft, text="Later erbij"),
    ):
        with pytest.raises(DB_REFUSES), transaction.atomic():
            attempt()
    with pytest.raises(DomainError, match="aanvulling"):
        services.report_update(actor=personas.af, report=draft, family="Anders")
    services.report_addendum_record(actor=personas.af, report=draft, text="Correctie: datum.")


def test_a_draft_can_still_change_in_the_database(personas, draft):
    Report.objects.filter(pk=draft.pk).update(family="Concept mag veranderen")


def test_norm_a_is_made_at_once_and_approved_afterwards(personas):
    case = walk_to(personas.case, Phase.MELDING, actor=personas.af)
    report = case.reports.get()
    _talk(personas, report)
    _send(personas, report)  # directie's decision on afweging 2 was the four-eyes moment
    services.report_fact_add(actor=personas.af, report=report, text="Aangevuld na het bellen.")
    services.report_submit(actor=personas.af, report=report)
    services.report_approve(actor=personas.directie, report=report, confirmed=True)
    report.refresh_from_db()
    assert report.state == Report.State.SENT


def test_the_acute_report_becomes_a_telephone_melding(personas):
    called = timezone.now() - timedelta(hours=1)
    report = acute_melding_record(actor=personas.af, case=personas.case, called_at=called,
                                  called_by=personas.af, vt_contact="Mevr. de Wit",
                                  reason="Kind durft niet naar huis.", vt_reference="VT-9")
    report.refresh_from_db()
    assert (report.norm, report.sending.channel, report.state) == ("A", "telefoon", "verzonden")
    kinds = {(t.kind, t.owner) for t in Task.objects.filter(case=personas.case,
                                                            completed_at__isnull=True)}
    # C-18: VT's decision is followed after the acute melding too; directie acknowledges.
    assert (TaskKind.VT_DECISION, personas.af) in kinds
    assert (TaskKind.ACUTE_ACKNOWLEDGE, personas.directie) in kinds
    services.report_fact_add(actor=personas.af, report=report, text="Kind vertelde over slaan.")
    services.report_submit(actor=personas.af, report=report)
    services.report_approve(actor=personas.directie, report=report, confirmed=True)
    assert not Task.objects.filter(case=personas.case, kind=TaskKind.ACUTE_ACKNOWLEDGE,
                                   completed_at__isnull=True).exists()


def test_new_unsafety_during_monitoring_is_a_melding_with_norm_c(personas):
    case = walk_to(personas.case, Phase.MONITOREN, actor=personas.af)
    report = recurrence_report(actor=personas.directie, case=case, consulted=personas.af,
                               note="Opnieuw letsel gezien.")
    case.refresh_from_db()
    assert case.phase == Phase.MELDING and report.norm == "C"


def test_vt_feedback_completes_the_decision_task_and_asks_for_the_next_step(personas):
    case = walk_to(personas.case, Phase.MONITOREN, actor=personas.af)
    report = case.reports.get()
    services.vt_feedback_record(actor=personas.af, report=report,
                                received_on=timezone.localdate(), decision="Onderzoek",
                                agreements="School blijft volgen.", parents_reaction="Rustig")
    open_kinds = set(Task.objects.filter(case=case, completed_at__isnull=True)
                     .values_list("kind", flat=True))
    assert TaskKind.VT_DECISION not in open_kinds and TaskKind.VT_FOLLOW_UP in open_kinds
    report.refresh_from_db()
    assert report.state == Report.State.FEEDBACK


def test_a_vt_advice_is_never_a_melding(personas):
    case = walk_to(personas.case, Phase.CONSULTATIE, actor=personas.af)
    wf.consultation_record(actor=personas.af, case=case, kind="veilig_thuis",
                           participants="VT", held_on=timezone.localdate(), advice="Advies",
                           anonymous=True)
    assert not Report.objects.filter(case=case).exists()



def test_sharing_the_text_is_the_afs_once_per_teacher_and_never_undone(personas, draft):
    with pytest.raises(DomainError, match="Alleen de aandachtsfunctionaris"):
        services.report_share(actor=personas.oka, report=draft,
                              member=personas.teacher_on_case)
    with pytest.raises(DomainError, match="alleen met een leerkracht in het casusteam"):
        services.report_share(actor=personas.af, report=draft,
                              member=personas.teacher_not_on_case)
    with pytest.raises(DomainError, match="alleen met een leerkracht in het casusteam"):
        services.report_share(actor=personas.af, report=draft, member=personas.directie)
    share = services.report_share(actor=personas.af, report=draft,
                                  member=personas.teacher_on_case)
    with pytest.raises(DomainError, match="al gedeeld"):
        services.report_share(actor=personas.af, report=draft,
                              member=personas.teacher_on_case)
    with pytest.raises(DatabaseError), transaction.atomic():
        ReportShare.objects.filter(pk=share.pk).delete()

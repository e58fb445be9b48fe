"""Routes outside the normal order: acute danger, meldplicht, reopening."""

from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from audit.models import AuditEvent
from cases import permissions, workflow
from cases.deadlines import case_event
from cases.errors import DomainError, TransitionNotAllowed
from cases.models import (
    Case,
    CaseReopening,
    DeadlinePolicy,
    Evaluation,
    MeldplichtRecord,
    Notification,
    Phase,
    Route,
    Task,
    TaskKind,
)
from cases.selectors.task_owners import coordinators
from cases.services import meldplicht as mp
from cases.services import workflow as wf
from cases.services.meldplicht import meldplicht_switch
from cases.services.workflow import (
    acute_report_record,
    conclusion_record,
    coordinator_set,
)
from cases.workflow import load_facts
from meldcode.models import Role
from tests.factories import CaseFactory, grant_team, member, walk_to

pytestmark = pytest.mark.django_db


def _acute(case, actor, **overrides):
    data = {"called_at": timezone.now() - timedelta(minutes=20), "called_by": actor,
            "vt_contact": "mevrouw De Wit", "vt_reference": "VT-123",
            "reason": "Kind vertelt dat vader vanavond weer gaat slaan."}
    data.update(overrides)
    return wf.acute_report_record(actor=actor, case=case, **data)


def _reach(case, phase, af):
    if phase in (Phase.SIGNALEREN, Phase.CONSULTATIE, Phase.GESPREK, Phase.WEGEN, Phase.HULP,
                 Phase.MELDING, Phase.MONITOREN):
        return walk_to(case, phase, actor=af)
    return walk_to(case, Phase.GESLOTEN, actor=af)


@pytest.mark.parametrize("phase", [p.value for p in Phase])
def test_acute_report_from_every_phase(personas, phase):
    case = _reach(personas.case, phase, personas.af)
    report = _acute(case, personas.af)
    case.refresh_from_db()
    assert case.phase == Phase.MELDING and case.closed_at is None
    assert report.phase_before == phase
    assert Notification.objects.filter(recipient=personas.directie, case=case,
                                       kind=Notification.Kind.ACUTE).exists()
    event = AuditEvent.objects.get(action="case.acute_report.recorded")
    assert event.data == {"phase_before": phase, "police_called": False}


def test_acute_report_needs_a_reason_and_af_or_directie(personas):
    with pytest.raises(TransitionNotAllowed, match="Alleen de aandachtsfunctionaris"):
        _acute(personas.case, personas.teacher_on_case)
    with pytest.raises(Exception, match="Beschrijf waarom er direct gevaar is."):
        _acute(personas.case, personas.directie, reason="  ")
    assert not AuditEvent.objects.filter(action="case.acute_report.recorded").exists()


def test_acute_from_a_closed_case_respects_one_open_case(personas):
    case = walk_to(personas.case, Phase.GESLOTEN, actor=personas.af)
    CaseFactory(student=case.student, opened_by=personas.teacher_on_case)
    with pytest.raises(TransitionNotAllowed, match="loopt al een andere casus"):
        _acute(case, personas.af)


def test_reopen_goes_back_to_step_two(personas):
    case = walk_to(personas.case, Phase.GESLOTEN, actor=personas.af)
    with pytest.raises(TransitionNotAllowed, match="Alleen de aandachtsfunctionaris"):
        wf.case_reopen(actor=personas.teacher_on_case, case=case, reason="Nieuwe signalen")
    wf.case_reopen(actor=personas.af, case=case, reason="Weer blauwe plekken")
    case.refresh_from_db()
    assert case.phase == Phase.CONSULTATIE and case.closed_at is None
    assert "case.reopened" in AuditEvent.objects.values_list("action", flat=True)
    # A new cycle: the old consultation does not count for leaving step 2 again.
    with pytest.raises(TransitionNotAllowed, match="eerst in het zorgteam"):
        wf.conclusion_record(actor=personas.af, case=case, outcome="twijfel_bevestiging",
                             argumentation="x")


def test_reopen_respects_one_open_case_per_pupil(personas):
    case = walk_to(personas.case, Phase.GESLOTEN, actor=personas.af)
    CaseFactory(student=case.student, opened_by=personas.teacher_on_case)
    with pytest.raises(TransitionNotAllowed, match="loopt al een andere casus"):
        wf.case_reopen(actor=personas.af, case=case, reason="Nieuwe signalen")
    case.refresh_from_db()
    assert case.phase == Phase.GESLOTEN
    # The database agrees, whatever the services do.
    with pytest.raises(IntegrityError):
        Case.objects.filter(pk=case.pk).update(phase=Phase.CONSULTATIE)


def test_meldplicht_switch_changes_who_sees_the_case(personas):
    case = personas.case
    teacher_on_team = member(Role.LEERKRACHT, personas.school)
    grant_team(case, teacher_on_team)
    grant_team(case, personas.oka)
    before = {u: "view" in permissions.case_actions(u, case)
              for u in (teacher_on_team, personas.oka, personas.af, personas.bestuur)}
    assert before == {teacher_on_team: True, personas.oka: True, personas.af: True,
                      personas.bestuur: False}
    with pytest.raises(Exception, match="Vul de reden in"):
        mp.meldplicht_switch(actor=personas.teacher_on_case, case=case, reason="")
    mp.meldplicht_switch(actor=personas.teacher_on_case, case=case,
                         reason="Stagiair wordt genoemd door de leerling.")
    case.refresh_from_db()
    assert case.route == Route.MELDPLICHT
    visible = {u: permissions.visible_cases(u).filter(pk=case.pk).exists()
               for u in (teacher_on_team, personas.oka, personas.af, personas.bestuur,
                         personas.directie, personas.teacher_on_case)}
    assert visible == {teacher_on_team: False, personas.oka: False, personas.af: False,
                       personas.bestuur: True, personas.directie: True,
                       personas.teacher_on_case: True}
    assert Notification.objects.filter(recipient=personas.bestuur,
                                       kind=Notification.Kind.MELDPLICHT).exists()
    assert AuditEvent.objects.filter(action="case.meldplicht.switched").exists()


def test_af_as_reporter_keeps_a_meldplicht_case(personas):
    case = CaseFactory(student__school=personas.school, opened_by=personas.af)
    mp.meldplicht_switch(actor=personas.af, case=case, reason="Medewerker verdacht")
    case.refresh_from_db()
    assert "view" in permissions.case_actions(personas.af, case)


def test_stappenplan_actions_are_gone_on_a_meldplicht_case(personas):
    case = walk_to(personas.case, Phase.CONSULTATIE, actor=personas.af)
    mp.meldplicht_switch(actor=personas.directie, case=case, reason="Gymleraar verdacht")
    case.refresh_from_db()
    with pytest.raises(TransitionNotAllowed, match="meldplicht van toepassing"):
        wf.consultation_record(actor=personas.directie, case=case, kind="zorgteam",
                               participants="x", held_on=timezone.localdate(), advice="y")
    assert [o.action for o in workflow.options(personas.bestuur, case) if o.allowed] == [
        "acute_report", "exclude_person", "record_meldplicht"]
    # Acute danger and the exclusion list remain; the stappenplan is gone for the directie.
    assert [o.action for o in workflow.options(personas.directie, case)
            if o.allowed] == ["acute_report", "exclude_person"]


def test_acute_danger_on_a_meldplicht_case(personas):
    """C-10.7: danger from a staff member is recorded on the meldplicht case itself."""
    case = personas.case
    mp.meldplicht_switch(actor=personas.af, case=case, reason="Stagiair verdacht")
    case.refresh_from_db()
    report = _acute(case, personas.bestuur, called_by=personas.bestuur, police_called=True,
                    police_called_at=timezone.now() - timedelta(minutes=40))
    case.refresh_from_db()
    assert case.route == Route.MELDPLICHT and case.phase == Phase.MELDING
    assert report.police_called
    with pytest.raises(TransitionNotAllowed):
        _acute(Case.objects.get(pk=case.pk), personas.af)


def test_bestuur_records_inspector_contact_and_aangifte_then_closes(personas):
    case = personas.case
    mp.meldplicht_switch(actor=personas.af, case=case, reason="Medewerker verdacht")
    case.refresh_from_db()
    with pytest.raises(TransitionNotAllowed, match="besluit over aangifte"):
        mp.meldplicht_close(actor=personas.bestuur, case=case, note="Afgerond")
    today = timezone.localdate()
    with pytest.raises(TransitionNotAllowed, match="Alleen het bestuur"):
        mp.meldplicht_record(actor=personas.directie, case=case, inspector_contact_on=today,
                             inspector_notes="n", aangifte=True, aangifte_on=today,
                             aangifte_reasoning="r")
    mp.meldplicht_record(actor=personas.bestuur, case=case, inspector_contact_on=today,
                         inspector_notes="Vertrouwensinspecteur adviseert aangifte",
                         redelijk_vermoeden=True, aangifte=True, aangifte_on=today,
                         aangifte_reasoning="Redelijk vermoeden van een zedenmisdrijf")
    record = MeldplichtRecord.objects.get(case=case)
    assert record.aangifte is True and record.board_recorded_by == personas.bestuur
    assert AuditEvent.objects.get(action="case.meldplicht.recorded").data == {
        "aangifte": True, "redelijk_vermoeden": True}
    with pytest.raises(TransitionNotAllowed, match="al vastgelegd"):
        mp.meldplicht_record(actor=personas.bestuur, case=case, inspector_contact_on=today,
                             inspector_notes="n", aangifte=False, aangifte_on=today,
                             aangifte_reasoning="r")
    mp.meldplicht_close(actor=personas.bestuur, case=case, note="Aangifte gedaan, afgerond")
    case.refresh_from_db()
    assert case.phase == Phase.GESLOTEN


def test_meldplicht_switch_hands_open_deadlines_to_the_directie(personas):
    from tests.factories import TaskFactory

    coordinator_set(actor=personas.af, case=personas.case, coordinator=personas.oka)
    af_task = TaskFactory(case=personas.case, owner=personas.af, kind=TaskKind.REVIEW)
    meldplicht_switch(actor=personas.af, case=personas.case, reason="Stagiair verdacht")
    case = Case.objects.get(pk=personas.case.pk)
    assert case.coordinator is None
    af_task.refresh_from_db()
    assert af_task.owner == personas.directie
    assert coordinators(case) == [personas.directie]


def test_acute_report_after_closing_starts_a_new_cycle(personas):
    from datetime import timedelta

    from django.utils import timezone

    Evaluation.objects.create(case=personas.case, held_on=timezone.localdate(),
                              participants="Zorgteam", outcome="Gaat goed",
                              monitoring_agreements="Leerkracht let op",
                              recorded_by=personas.af,
                              recorded_at=timezone.now() - timedelta(days=1))
    Case.objects.filter(pk=personas.case.pk).update(
        phase="gesloten", opened_at=timezone.now() - timedelta(days=30))
    case = Case.objects.get(pk=personas.case.pk)
    assert load_facts(case).evaluation
    acute_report_record(actor=personas.af, case=case, called_at=timezone.now(),
                        called_by=personas.af, vt_contact="Mw. de Wit", reason="Direct gevaar")
    assert CaseReopening.objects.filter(case=case).count() == 1
    # The evaluation of the closed cycle does not count for the new one.
    assert not load_facts(Case.objects.get(pk=case.pk)).evaluation


def test_review_date_follows_a_shorter_board_term(personas):
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import ObservationFactory

    DeadlinePolicy.objects.create(board=personas.school.board, review_months=1)
    ObservationFactory(case=personas.case)
    with pytest.raises(DomainError, match="uiterlijk één maand vooruit"):
        conclusion_record(actor=personas.af, case=personas.case, outcome="geen_bevestiging",
                          argumentation="Nog onvoldoende",
                          review_date=timezone.localdate() + timedelta(days=50))


def test_meldplicht_switch_at_a_school_with_two_afs_and_two_directie(personas):
    """Every AF holds a copy of each coordinator deadline; handing them all to the
    directie must leave one open task per kind per directie member, not crash on the
    one-open-task rule (the case would then stay visible to the normal team)."""
    second_af = member(Role.AANDACHTSFUNCTIONARIS, personas.school, username="af2")
    second_directie = member(Role.DIRECTIE, personas.school, username="directie2")
    case_event("phase.entered", case=personas.case, actor=personas.af, phase=Phase.SIGNALEREN)
    case_event("conclusion.recorded", case=personas.case, actor=personas.af,
               phase=Phase.SIGNALEREN, conclusion="geen_bevestiging",
               review_date=timezone.localdate() + timedelta(days=30))
    # The directie already watches the review deadline itself.
    Task.objects.create(case=personas.case, kind=TaskKind.REVIEW, phase=Phase.SIGNALEREN,
                        title="Opnieuw bekijken", due_on=timezone.localdate(),
                        owner=personas.directie, source_event="conclusion.recorded")
    open_tasks = Task.objects.filter(case=personas.case, completed_at__isnull=True)
    assert set(open_tasks.values_list("owner_id", "kind")) >= {
        (personas.af.pk, TaskKind.REVIEW), (second_af.pk, TaskKind.REVIEW)}

    mp.meldplicht_switch(actor=personas.af, case=personas.case, reason="Stagiair verdacht")

    case = Case.objects.get(pk=personas.case.pk)
    assert case.route == Route.MELDPLICHT
    assert not permissions.case_actions(second_af, case)
    # (The bestuur's own new deadline, the vertrouwensinspecteur, is not a handed-over one.)
    held = sorted(open_tasks.filter(kind=TaskKind.REVIEW).values_list("owner_id", "kind"))
    assert held == sorted((owner.pk, TaskKind.REVIEW)
                          for owner in (personas.directie, second_directie))
    # One AF's copy went to the second directie member, the other was merged.
    left = Task.objects.filter(case=case, kind=TaskKind.REVIEW,
                               owner__in=[personas.af, second_af]).get()
    assert left.auto_completed and left.completion_reason == "route.meldplicht"
    assert AuditEvent.objects.filter(action="task.reassigned",
                                     data__to=second_directie.pk).count() == 1


def test_meldplicht_switch_gives_every_directie_member_the_deadline(personas):
    from tests.factories import TaskFactory

    second_directie = member(Role.DIRECTIE, personas.school, username="directie2")
    TaskFactory(case=personas.case, owner=personas.af, kind=TaskKind.REVIEW)
    mp.meldplicht_switch(actor=personas.af, case=personas.case, reason="Stagiair verdacht")
    held = Task.objects.filter(case=personas.case, completed_at__isnull=True,
                               owner__memberships__role=Role.DIRECTIE)
    assert sorted(held.values_list("owner_id", flat=True)) == sorted(
        [personas.directie.pk, second_directie.pk])
    assert set(held.values_list("kind", flat=True)) == {TaskKind.REVIEW}

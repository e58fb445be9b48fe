"""Retention and destruction (C-19, 3.8): apply_retention lists what is due, two people
confirm, and the destruction removes exactly that dossier, its history and its files;
the guards still refuse every other DELETE and the audit chains still verify."""

from datetime import timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from audit.models import AccessLog, AuditEvent
from cases.errors import DomainError
from cases.models import (
    Attachment,
    Case,
    CaseUserObjectPermission,
    Observation,
    Phase,
    PhaseTransition,
    WorkNote,
)
from cases.services import workflow as wf
from cases.services.observations import attachment_add, observation_submit
from meldcode.models import Role
from meldcode.storage import EncryptedFileSystemStorage
from meldcode.workdays import add_months, local_today
from retention.models import DestructionItem, HoldReason, RetentionPolicy
from retention.services.destruction import case_rows, destruction_confirm
from retention.services.holds import legal_hold_lift, legal_hold_place
from tests.factories import (
    CaseFactory,
    ObservationFactory,
    StudentFactory,
    WorkNoteFactory,
    member,
    walk_to,
)
from tests.test_attachments import tiny_png

LONG_AGO = timezone.now() - timedelta(days=3 * 365)


@pytest.fixture(autouse=True)
def media(tmp_path, settings, monkeypatch):
    """The attachments of a test in a folder of their own, stored as in production."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    monkeypatch.setattr(Attachment._meta.get_field("file"), "storage",
                        EncryptedFileSystemStorage(location=tmp_path, base_url=None))
    return tmp_path


def _attach(case, teacher):
    draft = Observation.objects.create(case=case, author=teacher, place="Gang",
                                       situation="Viel", free_signals="Letsel")
    attachment = attachment_add(actor=teacher, observation=draft, upload=SimpleUploadedFile(
        "foto.png", tiny_png(), content_type="image/png"))
    observation_submit(actor=teacher, observation=draft)
    return attachment


def closed_dossier(case, *, af, teacher, left_on=None, closed_at=LONG_AGO):
    """A case with records in many tables (observation, attachment, conclusions,
    consultation, conversation, weighing, decision), work notes and history, closed."""
    _attach(case, teacher)
    WorkNoteFactory(case=case, author=teacher)
    walk_to(case, Phase.WEGEN, actor=af)
    walk_to(case, Phase.GESLOTEN, actor=af)
    Case.objects.filter(pk=case.pk).update(closed_at=closed_at)
    if left_on is not None:
        type(case.student).objects.filter(pk=case.student_id).update(left_on=left_on)
    case.refresh_from_db()
    return case


def unfounded_case(case, *, af, closed_at=LONG_AGO):
    wf.conclusion_record(actor=af, case=case, outcome="ongegrond",
                         argumentation="De blauwe plek kwam van de gymles.")
    Case.objects.filter(pk=case.pk).update(closed_at=closed_at)
    case.refresh_from_db()
    return case


def table_counts() -> dict:
    return {m._meta.label_lower: m._base_manager.count()
            for m in apps.get_models(include_auto_created=True)}


@pytest.fixture
def world(personas, media):
    p = personas
    due = closed_dossier(p.case, af=p.af, teacher=p.teacher_on_case,
                         left_on=(LONG_AGO - timedelta(days=30)).date())
    # Another pupil's closed case, left long ago too, but put on legal hold.
    held = closed_dossier(
        CaseFactory(student=StudentFactory(school=p.school), opened_by=p.teacher_on_case),
        af=p.af, teacher=p.teacher_on_case, left_on=LONG_AGO.date())
    # A third pupil still at the school: closed long ago, not due.
    staying = closed_dossier(
        CaseFactory(student=StudentFactory(school=p.school), opened_by=p.teacher_on_case),
        af=p.af, teacher=p.teacher_on_case)
    # A fourth pupil: an open case.
    open_case = CaseFactory(student=StudentFactory(school=p.school),
                            opened_by=p.teacher_on_case)
    WorkNoteFactory(case=open_case, author=p.teacher_on_case)
    return {"due": due, "held": held, "staying": staying, "open": open_case}


def run(*args) -> str:
    out = StringIO()
    call_command("apply_retention", *args, stdout=out)
    return out.getvalue()


def test_apply_retention_lists_exactly_the_expired_dossiers(world):
    output = run()
    items = {i.case_id: i for i in DestructionItem.objects.all()}
    assert set(items) == {world["due"].pk, world["held"].pk}
    assert world["due"].reference in output
    item = items[world["due"].pk]
    assert item.status == DestructionItem.Status.DUE and item.record_class == "dossier"
    # Two years after the later of leaving and closing (closing, here).
    assert item.due_on == add_months(timezone.localtime(LONG_AGO).date(), 24)
    assert item.left_on < item.closed_on
    # Work notes of closed cases went at closing (the default); the open case keeps its own.
    assert not WorkNote.objects.filter(case__phase=Phase.GESLOTEN).exists()
    assert WorkNote.objects.filter(case=world["open"]).count() == 1
    assert AuditEvent.objects.filter(action="worknote.destroyed").count() == 3


def test_a_dry_run_changes_nothing(world):
    before = table_counts()
    output = run("--dry-run")
    assert "[proef]" in output and world["due"].reference in output
    assert table_counts() == before


def test_a_second_run_does_nothing(world):
    run()
    before = table_counts()
    assert "niets te doen" in run()
    assert table_counts() == before


def test_two_different_people_destroy_exactly_the_expired_dossier(
        world, personas, media, django_capture_on_commit_callbacks):
    run()
    p = personas
    item = DestructionItem.objects.get(case_id=world["due"].pk)
    held_item = DestructionItem.objects.get(case_id=world["held"].pk)
    legal_hold_place(actor=p.directie, item=held_item, reason=HoldReason.VEILIG_THUIS,
                     explanation="VT-2024-118", review_on=local_today() + timedelta(days=90))
    due_pk = world["due"].pk
    doomed = case_rows(due_pk)
    files = list(Attachment.objects.filter(observation__case_id=due_pk)
                 .values_list("file", flat=True))
    assert files and all((media / name).exists() for name in files)
    kept_files = list(Attachment.objects.exclude(observation__case_id=due_pk)
                      .values_list("file", flat=True))
    before = table_counts()
    audit_before = AuditEvent.objects.count()
    access_before = AccessLog.objects.count()

    with pytest.raises(PermissionDenied):
        destruction_confirm(actor=p.teacher_on_case, item=item)
    with pytest.raises(PermissionDenied):
        destruction_confirm(actor=p.af_other_school, item=item)
    destruction_confirm(actor=p.af, item=item)
    assert Case.objects.filter(pk=due_pk).exists()
    with pytest.raises(DomainError):
        destruction_confirm(actor=p.af, item=item)  # the same person twice is not four eyes
    with django_capture_on_commit_callbacks(execute=True):
        destruction_confirm(actor=p.directie, item=item)

    after = table_counts()
    expected = {label: before[label] - len(doomed.get(apps.get_model(label), ()))
                for label in before}
    expected["retention.destructionitem"] = before["retention.destructionitem"]
    expected["retention.legalhold"] = before["retention.legalhold"]
    expected["audit.auditevent"] = before["audit.auditevent"] + 2
    assert after == expected
    # Nothing of the case is left, history included.
    assert not Case.objects.filter(pk=due_pk).exists()
    assert not Case.history.filter(id=due_pk).exists()
    assert not CaseUserObjectPermission.history.filter(content_object_id=due_pk).exists()
    assert not PhaseTransition.objects.filter(case_id=due_pk).exists()
    assert any("historical" in label and n for label, n in
               ((m._meta.label_lower, len(pks)) for m, pks in doomed.items()))
    assert not any((media / name).exists() for name in files)
    assert kept_files and all((media / name).exists() for name in kept_files)
    # The others stay whole, and the pupil record stays.
    for key in ("held", "staying", "open"):
        assert Case.objects.filter(pk=world[key].pk).exists()
    assert type(world["due"].student).objects.filter(pk=world["due"].student_id).exists()
    # The tombstone: counts, no content; the trail rows themselves are all still there.
    item.refresh_from_db()
    assert item.status == "vernietigd" and item.destroyed_by == p.directie
    assert item.counts["files"] == 1 and item.counts["rows"] > 20
    event = AuditEvent.objects.get(action="retention.case_destroyed")
    assert set(event.data) == {"record_class", "due_on", "first_confirmed_by", "rows",
                               "history_rows", "files"}
    assert AuditEvent.objects.count() == audit_before + 2
    assert AccessLog.objects.count() == access_before
    assert AuditEvent.objects.filter(case_id=due_pk).exists()
    call_command("verify_audit", stdout=StringIO())  # raises when a chain is broken


def test_a_plain_delete_is_still_refused_after_a_destruction(world, personas):
    run()
    item = DestructionItem.objects.get(case_id=world["due"].pk)
    destruction_confirm(actor=personas.af, item=item)
    destruction_confirm(actor=personas.directie, item=item)
    for table in ("cases_phasetransition", "cases_observation", "decisions_weighing",
                  "audit_auditevent"):
        with pytest.raises(DatabaseError), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {table}")
    with pytest.raises(DatabaseError), transaction.atomic():
        PhaseTransition.objects.filter(case=world["staying"]).delete()
    assert PhaseTransition.objects.filter(case=world["staying"]).exists()


def test_a_guard_that_does_not_know_the_gate_stops_the_destruction_whole(world, personas):
    run()
    item = DestructionItem.objects.get(case_id=world["due"].pk)
    before = table_counts()
    with connection.cursor() as cursor:
        cursor.execute("""
            CREATE FUNCTION test_refuse_delete() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION 'never deleted'; END; $$ LANGUAGE plpgsql;
            CREATE TRIGGER test_no_delete BEFORE DELETE ON cases_phasetransition
            FOR EACH ROW EXECUTE FUNCTION test_refuse_delete();""")
    destruction_confirm(actor=personas.af, item=item)
    with pytest.raises(DomainError, match="niets verwijderd"):
        destruction_confirm(actor=personas.directie, item=item)
    after = table_counts()
    after["audit.auditevent"] -= 1  # the first confirmation
    assert after == before
    item.refresh_from_db()
    assert item.status == "te_vernietigen"


def test_a_legal_hold_keeps_the_dossier_until_its_review_date(world, personas):
    run()
    p = personas
    item = DestructionItem.objects.get(case_id=world["held"].pk)
    destruction_confirm(actor=p.af, item=item)
    legal_hold_place(actor=p.af, item=item, reason=HoldReason.RECHTER, explanation="",
                     review_on=local_today() + timedelta(days=30))
    item.refresh_from_db()
    assert item.status == "bewaard" and item.first_confirmed_by is None
    with pytest.raises(DomainError):
        destruction_confirm(actor=p.directie, item=item)
    with pytest.raises(DomainError):
        legal_hold_place(actor=p.af, item=item, reason=HoldReason.RECHTER, explanation="",
                         review_on=local_today())
    # At the review date the daily run puts it back on the list.
    item.holds.update(review_on=local_today())
    assert "weer te vernietigen" in run()
    item.refresh_from_db()
    assert item.status == "te_vernietigen"
    # Lifting a hold by hand does the same.
    hold = legal_hold_place(actor=p.directie, item=item, reason=HoldReason.INZAGE_KLACHT,
                            explanation="", review_on=local_today() + timedelta(days=10))
    legal_hold_lift(actor=p.af, hold=hold)
    item.refresh_from_db()
    assert item.status == "te_vernietigen"
    assert Case.objects.filter(pk=world["held"].pk).exists()


def test_unfounded_cases_go_sooner_and_their_work_notes_at_once(personas):
    p = personas
    RetentionPolicy.objects.create(board=p.school.board, unfounded_months=3, worknote_days=30)
    case = p.case
    ObservationFactory(case=case)
    WorkNoteFactory(case=case, author=p.teacher_on_case)
    unfounded_case(case, af=p.af, closed_at=timezone.now() - timedelta(days=2))
    # Gone with the closing itself, before any daily run.
    assert not WorkNote.objects.filter(case=case).exists()
    assert AuditEvent.objects.get(action="worknote.destroyed").data == {"count": 1,
                                                                        "unfounded": True}
    # Another case closed normally two days ago keeps its notes for the 30 days.
    other = closed_dossier(
        CaseFactory(student=StudentFactory(school=p.school), opened_by=p.teacher_on_case),
        af=p.af, teacher=p.teacher_on_case, closed_at=timezone.now() - timedelta(days=2),
        left_on=LONG_AGO.date())
    run()
    assert not WorkNote.objects.filter(case=case).exists()
    assert WorkNote.objects.filter(case=other).count() == 1
    assert not DestructionItem.objects.exists()  # three months have not passed
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - timedelta(days=100))
    run()
    item = DestructionItem.objects.get()
    assert item.case_id == case.pk and item.record_class == "ongegrond"


def test_a_reopened_case_leaves_the_list(world, personas):
    run()
    case = world["due"]
    wf.case_reopen(actor=personas.af, case=case, reason="Nieuwe zorgen.")
    run()
    item = DestructionItem.objects.get(case_id=case.pk)
    assert item.status == "vervallen"
    with pytest.raises(DomainError):
        destruction_confirm(actor=personas.af, item=item)


def test_two_afs_alone_cannot_destroy_the_directie_confirms_too(world, personas):
    run()
    item = DestructionItem.objects.get(case_id=world["due"].pk)
    second_af = member(Role.AANDACHTSFUNCTIONARIS, personas.school)
    destruction_confirm(actor=personas.af, item=item)
    with pytest.raises(DomainError, match="directie"):
        destruction_confirm(actor=second_af, item=item)
    assert Case.objects.filter(pk=world["due"].pk).exists()
    # The directie first and an AF second is as good.
    other = DestructionItem.objects.get(case_id=world["held"].pk)
    destruction_confirm(actor=personas.directie, item=other)
    destruction_confirm(actor=second_af, item=other)
    assert not Case.objects.filter(pk=world["held"].pk).exists()


def test_only_the_school_of_the_dossier_confirms(world, personas):
    run()
    item = DestructionItem.objects.get(case_id=world["due"].pk)
    bestuur = personas.bestuur
    with pytest.raises(PermissionDenied):
        destruction_confirm(actor=bestuur, item=item)
    directie_elsewhere = member(Role.DIRECTIE, personas.other_school)
    with pytest.raises(PermissionDenied):
        destruction_confirm(actor=directie_elsewhere, item=item)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL trigger catalogue")
def test_every_delete_guard_on_a_dossier_table_knows_the_gate(db):
    # A guard added by a later migration without the gate would make every destruction of a
    # dossier with such rows fail: the list shows it before any school runs into it.
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            WHERE NOT t.tgisinternal
              AND (c.relname LIKE 'cases\\_%' OR c.relname LIKE 'decisions\\_%')
              AND c.relname NOT IN ('decisions_framework', 'decisions_question',
                                    'decisions_option', 'decisions_definition')
              AND pg_get_triggerdef(t.oid) LIKE '%DELETE%'
              AND pg_get_triggerdef(t.oid) NOT LIKE '%retention_destruction_open()%'""")
        ungated = cursor.fetchall()
    assert ungated == []

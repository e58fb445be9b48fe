"""The hash chains: tampering found by verify_audit, one unbroken chain under concurrency."""

import json
import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction

from audit.models import AccessLog, AuditEvent, ChainHead
from audit.services import audit
from audit.services.chain import chains, verify
from tests.factories import BoardFactory, SchoolFactory


def _verify(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_audit", *args, stdout=out, stderr=err)
    except CommandError:
        return False, out.getvalue() + err.getvalue()
    return True, out.getvalue() + err.getvalue()


def _with_triggers_disabled(sql, params=()):
    with connection.cursor() as cursor:
        # Django's foreign keys are deferred; ALTER TABLE wants them checked first.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER ALL")
        try:
            cursor.execute(sql, params)
        finally:
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER ALL")


@pytest.fixture
def trail(personas):
    return [audit("case.team.added", actor=personas.af, subject=personas.case,
                  data={"member": i}) for i in range(6)]


def test_events_of_a_board_form_one_chain(personas, trail):
    assert [e.sequence for e in trail] == [1, 2, 3, 4, 5, 6]
    assert {e.board_id for e in trail} == {personas.school.board_id}
    head = ChainHead.objects.get(log="audit", board=personas.school.board)
    assert (head.sequence, head.hash) == (6, trail[-1].hash)
    assert len({e.hash for e in trail}) == 6


def test_an_event_without_a_board_joins_the_global_chain(db):
    first = audit("auth.login_failed", data={"username": "onbekend"})
    second = audit("auth.login_failed", data={"username": "onbekend"})
    assert first.board_id is None and (first.sequence, second.sequence) == (1, 2)


def test_each_board_has_its_own_chain(personas, trail):
    other = SchoolFactory(board=BoardFactory())
    event = audit("school.updated", school=other, subject=other)
    assert event.board_id == other.board_id and event.sequence == 1


def test_intact_chains_verify(personas, trail):
    AccessLog.objects.create(user=personas.af, what="case.detail", case_id=personas.case.pk)
    ok, output = _verify()
    assert ok, output
    assert "keten intact" in output


def test_a_row_altered_behind_the_triggers_is_found(personas, trail):
    victim = trail[2]
    _with_triggers_disabled("UPDATE audit_auditevent SET data = %s WHERE id = %s",
                            [json.dumps({"member": 99}), victim.pk])
    ok, output = _verify()
    assert not ok
    assert f"BREUK bij volgnummer {victim.sequence} " in output
    assert f"{victim.occurred_at:%Y-%m-%d}" in output
    assert "past niet bij de opgeslagen hash" in output


def test_a_row_altered_with_its_hash_recomputed_breaks_the_next_link(personas, trail):
    victim = trail[2]
    _with_triggers_disabled("UPDATE audit_auditevent SET action = 'auth.login', hash = %s "
                            "WHERE id = %s", ["f" * 64, victim.pk])
    ok, output = _verify()
    assert not ok and f"BREUK bij volgnummer {victim.sequence} " in output


def test_a_row_deleted_in_the_middle_is_found(personas, trail):
    _with_triggers_disabled("DELETE FROM audit_auditevent WHERE id = %s", [trail[3].pk])
    ok, output = _verify()
    assert not ok
    assert "volgnummer 4 ontbreekt" in output


def test_the_last_row_deleted_is_found_by_the_head(personas, trail):
    _with_triggers_disabled("DELETE FROM audit_auditevent WHERE id = %s", [trail[-1].pk])
    ok, output = _verify()
    assert not ok and "de keten eindigt bij volgnummer 5" in output


def test_verify_one_board_only(personas, trail):
    other = SchoolFactory(board=BoardFactory(name="Ander bestuur"))
    audit("school.updated", school=other, subject=other)
    _with_triggers_disabled("DELETE FROM audit_auditevent WHERE id = %s", [trail[3].pk])
    assert _verify("--board", "Ander bestuur")[0]
    assert not _verify("--board", str(personas.school.board_id))[0]


def test_exported_heads_are_compared(personas, trail, tmp_path):
    out = StringIO()
    call_command("export_audit_head", stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    board_head = next(h for h in lines if h["board"] == str(personas.school.board_id)
                      and h["log"] == "audit")
    assert board_head["sequence"] == 6 and board_head["exported_at"]
    exported = tmp_path / "heads.jsonl"
    exported.write_text(out.getvalue())
    audit("case.team.added", actor=personas.af, subject=personas.case, data={"member": 7})
    assert _verify("--heads", str(exported))[0]
    # Rewriting the whole chain from row 6 on keeps it internally consistent, but not with
    # what was exported.
    _with_triggers_disabled("UPDATE audit_auditevent SET hash = %s WHERE id = %s",
                            ["e" * 64, trail[-1].pk])
    ok, output = _verify("--heads", str(exported))
    assert not ok and "andere hash dan geëxporteerd" in output


def test_a_rolled_back_change_takes_its_event_and_its_link_with_it(personas, trail):
    with pytest.raises(RuntimeError), transaction.atomic():
        audit("case.team.added", actor=personas.af, subject=personas.case)
        raise RuntimeError
    nxt = audit("case.team.added", actor=personas.af, subject=personas.case)
    assert nxt.sequence == 7
    assert _verify()[0]


def test_audit_is_one_statement_on_postgresql(personas, django_assert_num_queries):
    personas.case.school  # noqa: B018 (loaded, as services have it)
    audit("case.team.added", actor=personas.af, subject=personas.case)
    with django_assert_num_queries(1):
        audit("case.team.added", actor=personas.af, subject=personas.case)


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_writers_give_one_unbroken_chain():
    school = SchoolFactory()
    audit("school.updated", school=school, subject=school)
    barrier = threading.Barrier(50)
    errors = []

    def write(n):
        try:
            barrier.wait()
            with transaction.atomic():
                audit("school.updated", school=school, subject=school, data={"n": n})
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    events = list(AuditEvent.objects.filter(board=school.board).order_by("sequence"))
    assert [e.sequence for e in events] == list(range(1, 52))
    for head in chains(school.board_id):
        count, broken = verify(head)
        assert broken is None
    assert sorted(e.data.get("n", -1) for e in events) == [-1, *range(50)]



def test_the_migration_chains_records_written_before_the_chains(personas):
    import importlib

    from django.apps import apps

    backfill = importlib.import_module("audit.migrations.0006_chain_existing_records")
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for minute in (3, 1, 2):
            cursor.execute(
                "INSERT INTO audit_auditevent (occurred_at, action, actor_role, school_id, "
                "subject_type, subject_id, data, hash) VALUES (now() - (%s || ' min')::interval,"
                " 'case.opened', '', %s, '', '', '{}', '')", [minute, personas.school.pk])
        cursor.execute(
            "INSERT INTO audit_accesslog (occurred_at, user_id, role, kind, what, outcome, "
            "hash) VALUES (now(), %s, '', 'read', 'case.chronology.print', 'allowed', '')",
            [personas.af.pk])
    with connection.schema_editor(atomic=False) as editor:
        backfill.chain_existing(apps, editor)
    events = list(AuditEvent.objects.order_by("sequence"))
    assert [e.sequence for e in events] == [1, 2, 3]
    assert events[0].occurred_at < events[1].occurred_at < events[2].occurred_at
    assert {e.board_id for e in events} == {personas.school.board_id}
    assert AccessLog.objects.get().kind == "print"
    ok, output = _verify()
    assert ok, output
    with pytest.raises(Exception), transaction.atomic():  # noqa: B017,PT011
        AuditEvent.objects.filter(pk=events[0].pk).update(action="x")

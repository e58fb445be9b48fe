"""The database keeps the stappenplan's records as written, whatever the code does."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from audit.models import AccessLog, AuditEvent
from cases.models import (
    Attachment,
    InjuryMark,
    MeldplichtRecord,
    Observation,
    ObservationFollowUp,
    Phase,
    PhaseConclusion,
    Statement,
)
from cases.models import workflow as workflow_models
from cases.services import meldplicht as mp
from tests.factories import walk_to

RECORD_MODELS = [getattr(workflow_models, name) for name in workflow_models.__all__]


def _tables_with_row_triggers(events: set[str]) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT event_object_table, event_manipulation "
                       "FROM information_schema.triggers WHERE action_timing = 'BEFORE'")
        found: dict[str, set[str]] = {}
        for table, event in cursor.fetchall():
            found.setdefault(table, set()).add(event)
    return {table for table, got in found.items() if events <= got}


@pytest.mark.django_db
def test_every_stappenplan_record_table_has_its_trigger():
    guarded = _tables_with_row_triggers({"UPDATE", "DELETE"})
    assert {m._meta.db_table for m in RECORD_MODELS} <= guarded


@pytest.fixture
def history(personas):
    """A case taken through steps 1-3, weighed and closed: a record of most kinds."""
    return walk_to(personas.case, Phase.GESLOTEN, actor=personas.af)


def test_records_of_a_walked_case_refuse_update_and_delete(history):
    checked = 0
    for model in RECORD_MODELS:
        rows = model.objects.filter(case=history)
        if not rows.exists():
            continue
        checked += 1
        with pytest.raises(DatabaseError), transaction.atomic():
            rows.update(recorded_at=timezone.now())
        with pytest.raises(DatabaseError), transaction.atomic():
            rows.delete()
    assert checked >= 4  # transitions, conclusions, consultation, conversation, ...
    assert PhaseConclusion.objects.filter(case=history).count() == 3


def test_meldplicht_decision_is_filled_in_once_and_the_switch_never_changes(personas):
    case = personas.case
    mp.meldplicht_switch(actor=personas.af, case=case, reason="Medewerker verdacht")
    rows = MeldplichtRecord.objects.filter(case=case)
    with pytest.raises(DatabaseError), transaction.atomic():
        rows.update(reason="Iets anders")
    with pytest.raises(DatabaseError), transaction.atomic():
        rows.delete()
    today = timezone.localdate()
    mp.meldplicht_record(actor=personas.bestuur, case=case, inspector_contact_on=today,
                         inspector_notes="Advies: aangifte", redelijk_vermoeden=True,
                         aangifte=True, aangifte_on=today,
                         aangifte_reasoning="Redelijk vermoeden")
    with pytest.raises(DatabaseError), transaction.atomic():
        rows.update(aangifte=False)
    record = rows.get()
    assert record.aangifte is True and record.reason == "Medewerker verdacht"


# --- TRUNCATE -------------------------------------------------------------------------

APPEND_ONLY_MODELS = [
    *RECORD_MODELS, Observation, ObservationFollowUp, Statement, InjuryMark, Attachment,
    Observation.signals.through, AuditEvent, AccessLog,
]


def _tables_refusing_truncate() -> set[str]:
    # information_schema.triggers leaves TRUNCATE triggers out; pg_trigger has them.
    with connection.cursor() as cursor:
        cursor.execute("SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                       "WHERE NOT t.tgisinternal AND t.tgenabled <> 'D' "
                       "AND t.tgtype & %s = %s",
                       [TRUNCATE | BEFORE | ROW, TRUNCATE | BEFORE])
        return {table for (table,) in cursor.fetchall()}


# pg_trigger.tgtype bits (PostgreSQL's trigger.h)
ROW, BEFORE, TRUNCATE = 1, 2, 32


@pytest.mark.django_db
def test_every_append_only_table_has_a_truncate_trigger():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    assert {m._meta.db_table for m in APPEND_ONLY_MODELS} <= _tables_refusing_truncate()


@pytest.mark.django_db
@pytest.mark.parametrize("table", sorted(m._meta.db_table for m in APPEND_ONLY_MODELS))
def test_raw_truncate_is_refused(table):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    # CASCADE: a plain TRUNCATE of a referenced table fails on the foreign key before any
    # trigger runs, which would prove nothing.
    with pytest.raises(DatabaseError, match=f"never truncated .*{table}"), \
            transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {table} CASCADE")


@pytest.mark.django_db
def test_truncating_the_cases_reaches_the_guarded_records():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    with pytest.raises(DatabaseError, match="never truncated"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute("TRUNCATE cases_case CASCADE")

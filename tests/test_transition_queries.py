"""A workflow transition reads the board's deadline policy at most once, however many
deadline events it reports, and stays within its query budget (bench/ measured 34 before)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import DeadlinePolicy, Phase
from cases.services import workflow as wf
from tests.factories import ObservationFactory, TaskFactory


def test_a_phase_1_conclusion_reads_the_policy_once(personas):
    DeadlinePolicy.objects.create(board=personas.school.board)
    ObservationFactory(case=personas.case)
    TaskFactory(case=personas.case, owner=personas.af)
    with CaptureQueriesContext(connection) as queries:
        wf.conclusion_record(actor=personas.af, case=personas.case,
                             outcome="twijfel_bevestiging",
                             argumentation="Meerdere signalen in korte tijd.")
    personas.case.refresh_from_db()
    assert personas.case.phase == Phase.CONSULTATIE
    sql = [q["sql"] for q in queries.captured_queries]
    # Read only where a deadline is computed from it, and then once (was: once per event).
    assert sum("cases_deadlinepolicy" in s for s in sql) <= 1
    # The service's own savepoint (the test runs in a transaction), none per event.
    assert len([s for s in sql if s.startswith("SAVEPOINT")]) == 1
    assert len(sql) <= 28

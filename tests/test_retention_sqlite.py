"""The destruction gate on SQLite (the demo database): the same one way through the
guards as on PostgreSQL, run in a process of its own against a fresh SQLite file."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = """
from django.db import DatabaseError, connection, transaction
from cases.models import Case, Observation, PhaseTransition
from meldcode.models import Role
from retention.services.destruction import case_destroy
from tests.factories import (CaseFactory, SchoolFactory, StudentFactory, member,
                             submitted_observation)

school = SchoolFactory()
teacher = member(Role.LEERKRACHT, school)
cases = []
for n in range(2):
    case = CaseFactory(student=StudentFactory(school=school), opened_by=teacher, phase="gesloten")
    submitted_observation(case)
    PhaseTransition.objects.create(case=case, action="close", from_phase="monitoren",
                                   to_phase="gesloten", recorded_by=teacher)
    cases.append(case)
doomed, kept = cases

def refused(sql):
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    except DatabaseError:
        return True
    return False

assert refused("DELETE FROM cases_phasetransition")
assert refused("DELETE FROM cases_observation")
with transaction.atomic():
    counts = case_destroy(case_pk=doomed.pk)
assert not Case.objects.filter(pk=doomed.pk).exists()
assert not PhaseTransition.objects.filter(case_id=doomed.pk).exists()
assert not Observation.objects.filter(case_id=doomed.pk).exists()
assert Observation.objects.filter(case_id=kept.pk).exists()
assert refused("DELETE FROM cases_phasetransition")
assert refused("DELETE FROM cases_observation")
with connection.cursor() as cursor:
    cursor.execute("SELECT COUNT(*) FROM retention_destruction_gate")
    assert cursor.fetchone()[0] == 0
print("OK", counts["rows"])
"""


def test_the_gate_works_on_sqlite_and_closes_again(tmp_path):
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
           "PRIVATE_MEDIA_ROOT": str(tmp_path / "media")}
    migrate = subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
                             cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert migrate.returncode == 0, migrate.stderr
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", SCRIPT], cwd=ROOT,
                            env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "\nOK " in "\n" + result.stdout

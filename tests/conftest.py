"""Shared fixtures: the named personas every role test uses."""

import os
from dataclasses import dataclass

import factory.random
import pytest
from django.conf import settings
from hypothesis import settings as hypothesis_settings

from meldcode.models import Role
from tests.factories import (
    CaseFactory,
    SchoolFactory,
    StudentFactory,
    member,
    submitted_observation,
    teach,
)
from tests.two_factor import TwoFactorClient

# In CI the property tests explore a fixed sequence of examples, so a run never fails on
# luck alone; locally they keep searching afresh (and remember what failed).
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


# The append-only tables refuse TRUNCATE (audit 0004, cases 0010), and flushing the test
# database after a transactional test truncates every table. The test flush lifts those
# triggers for its own transaction only (as the tables' owner may) and puts them back.
_TRUNCATE_GUARDS = """
DO $$ DECLARE guard record; BEGIN
    FOR guard IN SELECT tgrelid::regclass AS tbl, tgname FROM pg_trigger
                 WHERE NOT tgisinternal AND tgname LIKE '%\\_no\\_truncate' LOOP
        EXECUTE format('ALTER TABLE %s {action} TRIGGER %I', guard.tbl, guard.tgname);
    END LOOP;
END $$
"""


def _flush_past_the_truncate_guards():
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, **kwargs):
        statements = original(self, style, tables, **kwargs)
        if not statements:
            return statements
        return [_TRUNCATE_GUARDS.format(action="DISABLE"), *statements,
                _TRUNCATE_GUARDS.format(action="ENABLE")]

    DatabaseOperations.sql_flush = sql_flush


def pytest_configure(config):
    # Real hashing costs ~0.3 s per user; the suite creates thousands of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    _flush_past_the_truncate_guards()


@pytest.fixture
def client():
    """pytest-django's client, with `force_login` completing the code step as well."""
    return TwoFactorClient()


@pytest.fixture(autouse=True)
def _reproducible_fake_data(request):
    """Seed the fake-data generator per test, so a failure reproduces on the next run.

    The seed is the test's own id: names still differ from test to test (an apostrophe
    in "'s Gravensande" must not break a test), but never between two runs of one test.
    """
    factory.random.reseed_random(request.node.nodeid)


@dataclass
class Personas:
    school: object
    other_school: object
    case: object
    teacher_on_case: object
    teacher_not_on_case: object
    af: object
    directie: object
    oka: object
    beheerder: object
    bestuur: object
    inspecteur: object
    teacher_other_school: object
    af_other_school: object
    extra: dict | None = None

    def as_dict(self):
        return {
            "teacher_on_case": self.teacher_on_case,
            "teacher_not_on_case": self.teacher_not_on_case,
            "af": self.af,
            "directie": self.directie,
            "oka": self.oka,
            "beheerder": self.beheerder,
            "bestuur": self.bestuur,
            "inspecteur": self.inspecteur,
            "teacher_other_school": self.teacher_other_school,
            "af_other_school": self.af_other_school,
        }


@pytest.fixture
def personas(db):
    school = SchoolFactory(name="De Regenboog")
    other_school = SchoolFactory(name="Het Kompas", board=school.board)
    teacher_on_case = member(Role.LEERKRACHT, school, username="leerkracht")
    student = StudentFactory(school=school, first_name="Noah", last_name="Jansen")
    teach(student, teacher_on_case)
    case = CaseFactory(student=student, opened_by=teacher_on_case)
    return Personas(
        school=school,
        other_school=other_school,
        case=case,
        teacher_on_case=teacher_on_case,
        teacher_not_on_case=member(Role.LEERKRACHT, school, username="leerkracht2"),
        af=member(Role.AANDACHTSFUNCTIONARIS, school, username="af"),
        directie=member(Role.DIRECTIE, school, username="directie"),
        oka=member(Role.OKA, school, username="oka"),
        beheerder=member(Role.BEHEERDER, board=school.board, username="beheerder"),
        bestuur=member(Role.BESTUUR, board=school.board, username="bestuur"),
        inspecteur=member(Role.INSPECTEUR, board=school.board, username="inspecteur"),
        teacher_other_school=member(Role.LEERKRACHT, other_school, username="leerkracht.kompas"),
        af_other_school=member(Role.AANDACHTSFUNCTIONARIS, other_school, username="af.kompas"),
    )


@pytest.fixture
def elsewhere(db):
    """Another board with its own school, beheerder and teacher."""
    school = SchoolFactory(name="De Linde")
    return {
        "school": school,
        "beheerder": member(Role.BEHEERDER, board=school.board, username="beheerder.linde"),
        "teacher": member(Role.LEERKRACHT, school, username="leerkracht.linde"),
    }


@pytest.fixture
def frozen(personas):
    """A submitted observation on the personas' case, with a fact, a hypothesis and an
    injury."""
    return submitted_observation(
        personas.case, statements=[("feit", "Kwam te laat"), ("hypothese", "Verzorgt zichzelf")],
        injuries=[{"side": "voor", "region": "linkerarm", "kind": "blauwe_plek"}],
        place="Klas", situation="Ochtend")

"""The web app's database role (deploy/postgres/initdb/20-meldcode-app-grants.sql) reads and
writes rows, and can do nothing that would switch the append-only guards off."""

import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from psycopg import errors, sql

GRANTS = (Path(__file__).resolve().parent.parent
          / "deploy/postgres/initdb/20-meldcode-app-grants.sql")

pytestmark = pytest.mark.django_db


def _connect(**overrides):
    settings = connection.settings_dict
    params = {"host": settings["HOST"] or None, "port": settings["PORT"] or None,
              "dbname": settings["NAME"], "user": settings["USER"],
              "password": settings["PASSWORD"] or None}
    params.update(overrides)
    return psycopg.connect(**{k: v for k, v in params.items() if v is not None})


@pytest.fixture
def app_role():
    """A login role with exactly the web app's grants, on the test database."""
    if connection.vendor != "postgresql":
        pytest.skip("database roles are a PostgreSQL matter")
    name, password = f"meldcode_app_test_{uuid.uuid4().hex[:10]}", uuid.uuid4().hex
    with _connect(autocommit=True) as admin:
        owner = admin.execute("SELECT current_user").fetchone()[0]
        admin.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {} NOSUPERUSER NOCREATEDB "
                              "NOCREATEROLE").format(sql.Identifier(name), password))
        try:
            script = (GRANTS.read_text(encoding="utf-8")
                      .replace("meldcode_owner", owner).replace("meldcode_app", name))
            admin.execute(script)
            yield name, password
        finally:
            admin.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(name)))
            admin.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(name)))


REFUSED = [
    ("TRUNCATE audit_auditevent", errors.InsufficientPrivilege),
    ("TRUNCATE cases_observation CASCADE", errors.InsufficientPrivilege),
    ("ALTER TABLE audit_auditevent DISABLE TRIGGER ALL", errors.InsufficientPrivilege),
    ("ALTER TABLE cases_phaseconclusion DISABLE TRIGGER cases_phaseconclusion_append_only",
     errors.InsufficientPrivilege),
    ("DROP TRIGGER audit_auditevent_append_only ON audit_auditevent",
     errors.InsufficientPrivilege),
    ("SET session_replication_role = replica", errors.InsufficientPrivilege),
    ("ALTER TABLE auth_group ADD COLUMN extra integer", errors.InsufficientPrivilege),
    ("CREATE TABLE meldcode_extra (id integer)", errors.InsufficientPrivilege),
    ("CREATE TRIGGER sneaky BEFORE INSERT ON audit_auditevent FOR EACH ROW "
     "EXECUTE FUNCTION audit_refuse_change()", errors.InsufficientPrivilege),
    # The UPDATE and DELETE rights stop at the append-only triggers.
    ("UPDATE audit_auditevent SET action = 'x'", errors.RaiseException),
    ("DELETE FROM audit_auditevent", errors.RaiseException),
]


def test_the_app_role_writes_rows_but_cannot_lift_the_guards(app_role):
    name, password = app_role
    with _connect(user=name, password=password) as app, app.transaction(force_rollback=True):
        assert app.execute("SELECT count(*) FROM cases_case").fetchone()[0] >= 0
        # auth_group has an identity column: inserting needs its sequence too.
        group_id = app.execute("INSERT INTO auth_group (name) VALUES ('proef') "
                               "RETURNING id").fetchone()[0]
        app.execute("UPDATE auth_group SET name = 'test' WHERE id = %s", [group_id])
        app.execute("DELETE FROM auth_group WHERE id = %s", [group_id])
        app.execute("INSERT INTO audit_auditevent (occurred_at, action, actor_role, "
                    "subject_type, subject_id, data, hash) VALUES (now(), 'proef', '', '', "
                    "'', '{}', '')")
        for statement, refusal in REFUSED:
            with pytest.raises(refusal), app.transaction():
                app.execute(statement)

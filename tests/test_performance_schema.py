"""What the benchmark (bench/) found in the schema and the settings stays fixed."""

import pytest
from django.conf import settings
from django.db import connection

from cases.models import Case


def test_database_connections_are_kept_and_checked_by_default():
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] == 60
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


@pytest.mark.django_db
def test_the_audit_table_has_no_prefix_search_index_copies():
    if connection.vendor != "postgresql":
        pytest.skip("only PostgreSQL makes varchar_pattern_ops copies")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'audit_auditevent'")
        names = {row[0] for row in cursor.fetchall()}
    assert not [name for name in names if name.endswith("_like")]
    assert any("_action_" in name for name in names)  # the exact-match index stays


@pytest.mark.django_db
def test_the_case_list_reads_a_school_newest_first_from_an_index():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Case._meta.db_table)
    index = constraints["case_school_newest"]
    assert index["columns"] == ["school_id", "opened_at"]
    if connection.vendor == "postgresql":
        assert index["orders"] == ["ASC", "DESC"]

"""/gezondheid/: 200 when the database answers and every migration is applied, else 503."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_healthy_without_login_and_without_data(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]
    # No session is started for a health probe.
    assert "sessionid" not in response.cookies


def test_database_down_is_503(client):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute",
                    side_effect=OperationalError("connection refused")):
        response = client.get(reverse("health"))
    assert response.status_code == 503
    assert "database" in response.content.decode()


def test_unapplied_migration_is_503(client):
    with mock.patch.object(MigrationExecutor, "migration_plan",
                           return_value=[(mock.Mock(), False)]):
        response = client.get(reverse("health"))
    assert response.status_code == 503
    assert "migraties" in response.content.decode()


def test_only_get(client):
    assert client.post(reverse("health")).status_code == 405

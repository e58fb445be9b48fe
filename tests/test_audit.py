"""Audit events and access-log entries are append-only, in code and in the database."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from audit.middleware import client_address
from audit.models import AccessLog, AppendOnlyError, AuditEvent
from audit.registry import UnknownAuditAction
from audit.services import audit
from tests.factories import PASSWORD
from tests.two_factor import login_with_code


@pytest.fixture
def event(db):
    return audit("auth.login_failed", data={"username": "x"})


def test_unknown_action_is_refused(db):
    with pytest.raises(UnknownAuditAction):
        audit("case.made_up")


def test_event_cannot_be_changed_or_deleted_in_code(event):
    event.action = "auth.login"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


@pytest.mark.parametrize("sql", [
    "UPDATE audit_auditevent SET action = 'x'",
    "DELETE FROM audit_auditevent",
    "UPDATE audit_accesslog SET what = 'x'",
    "DELETE FROM audit_accesslog",
])
def test_database_refuses_update_and_delete(event, personas, sql):
    AccessLog.objects.create(user=personas.af, what="case.detail")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert AuditEvent.objects.filter(pk=event.pk, action="auth.login_failed").exists()


def test_queryset_update_and_delete_are_refused_by_the_database(event):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="auth.login")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()


def test_login_and_failed_login_are_audited(personas, client):
    client.post(reverse("login"), {"username": "af", "password": "wrong"})
    failed = AuditEvent.objects.get(action="auth.login_failed")
    assert failed.data == {"username": "af"}
    assert "wrong" not in str(failed.data)
    client.post(reverse("login"), {"username": "af", "password": PASSWORD})
    # The password alone is not a login yet: that takes the code as well.
    assert AuditEvent.objects.filter(action="auth.password_accepted",
                                     subject_id=str(personas.af.pk)).exists()
    assert not AuditEvent.objects.filter(action="auth.login").exists()
    login_with_code(client, "af", PASSWORD)
    assert AuditEvent.objects.filter(action="auth.login", actor=personas.af).exists()


def test_event_records_client_address(personas, client):
    client.force_login(personas.af)
    client.post(reverse("case_team_add", args=[personas.case.pk]), {"member": personas.oka.pk},
                REMOTE_ADDR="10.1.2.3")
    event = AuditEvent.objects.get(action="case.team.added")
    assert event.ip_address == "10.1.2.3"
    assert event.school == personas.school


@pytest.mark.parametrize(("proxies", "forwarded", "expected"), [
    (0, "203.0.113.9", "10.0.0.5"),  # no proxy configured: the header is not trusted
    (1, "203.0.113.9", "203.0.113.9"),
    (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # the client wrote the left part itself
    (2, "203.0.113.9, 10.0.0.7", "203.0.113.9"),
    (2, "203.0.113.9", "10.0.0.5"),  # fewer entries than proxies: something is off
    (1, "geen-adres", "10.0.0.5"),
])
def test_client_address_behind_trusted_proxies(settings, rf, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected

"""Sessions: idle and absolute limits, the list of one's own sessions, and the moments
that end a person's other (or all) sessions."""

import time
from datetime import timedelta
from unittest import mock

from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from meldcode.models import UserSession
from meldcode.services import beheer
from meldcode.services import sessions as services
from tests.factories import PASSWORD
from tests.two_factor import TwoFactorClient, login_with_code

MINUTE = 60


def _logged_out(client):
    response = client.get(reverse("dashboard"))
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


def _at(start, minutes):
    return mock.patch("time.time", return_value=start + minutes * MINUTE)


def test_a_session_ends_after_30_minutes_without_a_request(personas, client):
    start = time.time()
    client.force_login(personas.af)
    for minutes in (20, 40):  # each request keeps the session alive
        with _at(start, minutes):
            assert client.get(reverse("dashboard")).status_code == 200
    with _at(start, 40 + 31):
        assert _logged_out(client)
    expired = AuditEvent.objects.get(action="auth.session_expired")
    assert expired.data == {"limit": "idle"} and expired.subject_id == str(personas.af.pk)


def test_a_session_ends_10_hours_after_the_login_however_busy(personas, client):
    start = time.time()
    client.force_login(personas.af)
    for minutes in range(20, 600, 20):
        with _at(start, minutes):
            assert client.get(reverse("dashboard")).status_code == 200, minutes
    with _at(start, 600):
        assert _logged_out(client)
    assert AuditEvent.objects.get(action="auth.session_expired").data == {"limit": "absolute"}


def test_the_limits_come_from_settings(personas, client, settings):
    settings.SESSION_IDLE_SECONDS = 5 * MINUTE
    start = time.time()
    client.force_login(personas.af)
    with _at(start, 6):
        assert _logged_out(client)


def test_a_session_from_before_the_limits_must_log_in_again(personas, client):
    client.force_login(personas.af)
    session = client.session
    del session["meldcode_started"]
    session.save()
    assert _logged_out(client)


def test_changing_the_password_ends_the_other_sessions(personas, client):
    other = TwoFactorClient()
    other.force_login(personas.af)
    client.force_login(personas.af)
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "Nieuw-wachtwoord-2026!",
        "new_password2": "Nieuw-wachtwoord-2026!"})
    assert response.status_code == 302
    assert _logged_out(other)
    assert client.get(reverse("dashboard")).status_code == 200
    # The session that changed the password keeps its record, under its new key.
    assert list(UserSession.objects.filter(user=personas.af)
                .values_list("session_key", flat=True)) == [client.session.session_key]
    ended = AuditEvent.objects.get(action="auth.sessions_ended")
    assert ended.data == {"count": 1, "reason": "password_changed"}


def test_deactivating_an_account_ends_its_sessions_at_once(personas, client):
    client.force_login(personas.af)
    assert Session.objects.count() == 1
    beheer.user_deactivate(actor=personas.beheerder, user=personas.af)
    assert not Session.objects.exists()
    assert not UserSession.objects.filter(user=personas.af).exists()
    assert _logged_out(client)
    assert AuditEvent.objects.get(action="auth.sessions_ended").data == {
        "count": 1, "reason": "deactivated"}


def test_a_person_sees_their_sessions_and_ends_one(personas, client):
    phone = TwoFactorClient()
    login_with_code(phone, "af", PASSWORD, REMOTE_ADDR="192.0.2.7",
                    HTTP_USER_AGENT="Mozilla/5.0 (iPhone) Safari/605")
    client.force_login(personas.af)
    page = client.get(reverse("account_security")).content.decode()
    assert "iPhone" in page and "192.0.2.7" in page and "deze sessie" in page
    # Another person's session cannot be ended from here.
    elses = TwoFactorClient()
    elses.force_login(personas.directie)
    theirs = UserSession.objects.get(user=personas.directie)
    client.post(reverse("session_end", args=[theirs.pk]))
    assert elses.get(reverse("dashboard")).status_code == 200
    mine = UserSession.objects.get(session_key=phone.session.session_key)
    response = client.post(reverse("session_end", args=[mine.pk]), follow=True)
    assert "De sessie is beëindigd." in response.content.decode()
    assert _logged_out(phone)
    assert client.get(reverse("dashboard")).status_code == 200
    assert AuditEvent.objects.filter(action="auth.session_ended", actor=personas.af).count() == 1


def test_logging_out_removes_the_record(personas, client):
    client.force_login(personas.af)
    assert UserSession.objects.filter(user=personas.af).count() == 1
    client.post(reverse("logout"))
    assert not UserSession.objects.filter(user=personas.af).exists()


def test_the_session_list_query_count_is_bounded(personas, client,
                                                 django_assert_max_num_queries):
    for _n in range(15):
        TwoFactorClient().force_login(personas.af)
    client.force_login(personas.af)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("account_security"))
    assert response.content.decode().count("Beëindigen") == 16


def test_the_store_forgets_an_idle_session_by_itself(personas, client):
    client.force_login(personas.af)
    row = Session.objects.get()
    left = (row.expire_date - timezone.now()).total_seconds()
    assert 29 * MINUTE < left <= 30 * MINUTE
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    assert services.active_sessions(personas.af) == []
    assert _logged_out(client)

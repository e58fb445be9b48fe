"""Password guessing and reset-mail floods are slowed down, counted from the audit trail."""

from datetime import timedelta
from unittest import mock

from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from audit.models import AuditEvent
from meldcode.services.auth_throttle import ACCOUNT_RESET_LIMIT, ADDRESS_LOGIN_LIMIT
from tests.factories import PASSWORD
from tests.two_factor import login_with_code

BLOCKED = "Er is te vaak een verkeerd wachtwoord ingevoerd. Wacht 15 minuten"


def _login(client, username, password, address="10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password},
                       REMOTE_ADDR=address)


def _fail(client, username, times, address="10.0.0.1"):
    for _ in range(times):
        response = _login(client, username, "verkeerd", address)
        assert "klopt niet" in response.content.decode()


def test_five_wrong_passwords_block_the_account_from_that_address(personas, client):
    _fail(client, "af", 5)
    response = _login(client, "af", PASSWORD)
    html = response.content.decode()
    assert response.status_code == 200 and escape(BLOCKED) in html
    assert 'value="af"' in html  # what was typed stays
    assert not AuditEvent.objects.filter(action="auth.login").exists()
    blocked = AuditEvent.objects.get(action="auth.login_blocked")
    assert blocked.data == {"username": "af"} and blocked.ip_address == "10.0.0.1"
    # The blocked attempt tried no password, so it is not a failure of its own.
    assert AuditEvent.objects.filter(action="auth.login_failed").count() == 5


def test_the_block_lifts_after_the_window(personas, client):
    _fail(client, "af", 5)
    later = timezone.now() + timedelta(minutes=16)
    with mock.patch("django.utils.timezone.now", return_value=later):
        response = _login(client, "af", PASSWORD)
    assert response.status_code == 302


def test_four_failures_do_not_block_and_a_login_starts_the_count_afresh(personas, client):
    _fail(client, "af", 4)
    assert login_with_code(client, "af", PASSWORD, REMOTE_ADDR="10.0.0.1").status_code == 302
    client.logout()
    _fail(client, "af", 4)
    assert _login(client, "af", PASSWORD).status_code == 302


def test_another_address_can_still_log_in_to_the_account(personas, client):
    _fail(client, "af", 5, address="10.0.0.66")
    assert _login(client, "af", PASSWORD, address="10.0.0.2").status_code == 302


def test_many_accounts_tried_from_one_address_block_that_address(personas, client):
    for n in range(ADDRESS_LOGIN_LIMIT.attempts):
        _fail(client, f"gok{n}", 1, address="10.0.0.99")
    assert escape(BLOCKED) in _login(client, "af", PASSWORD, "10.0.0.99").content.decode()
    assert _login(client, "af", PASSWORD, "10.0.0.3").status_code == 302


def _reset(client, email, address="10.0.0.1", follow=False):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address,
                       follow=follow)


def test_reset_mails_per_account_are_capped_without_telling(personas, client, mailoutbox):
    email = personas.teacher_on_case.email
    for n in range(ACCOUNT_RESET_LIMIT.attempts + 1):
        response = _reset(client, email, address=f"10.0.1.{n}", follow=True)
        assert "Kijk in uw e-mail" in response.content.decode()
    assert len(mailoutbox) == ACCOUNT_RESET_LIMIT.attempts
    events = AuditEvent.objects.filter(action="auth.password_reset_requested",
                                       subject_id=str(personas.teacher_on_case.pk))
    assert [e.data["sent"] for e in events.order_by("occurred_at")] == [True, True, True, False]


def test_reset_requests_from_one_address_are_capped_with_a_message(personas, client,
                                                                   mailoutbox):
    for n in range(5):
        assert _reset(client, f"onbekend{n}@example.org").status_code == 302
    response = _reset(client, personas.af.email)
    html = response.content.decode()
    assert response.status_code == 200
    assert "te vaak een nieuw wachtwoord aangevraagd" in html
    assert escape(personas.af.email) in html  # the address typed is kept
    assert mailoutbox == []
    assert _reset(client, personas.af.email, address="10.0.0.2").status_code == 302
    assert len(mailoutbox) == 1


def test_an_empty_login_form_says_what_is_missing(client, db):
    response = client.post(reverse("login"), {"username": "", "password": ""})
    assert "Vul uw gebruikersnaam en wachtwoord in." in response.content.decode()

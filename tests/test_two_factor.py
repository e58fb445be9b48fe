"""Two-factor login: enrolment, the code step, recovery codes, limits, and the reset."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent
from meldcode.errors import DomainError
from meldcode.models import Role
from meldcode.services import two_factor
from tests.factories import PASSWORD, member
from tests.two_factor import app_device, code_for, secret_key_code

ADDRESS = {"REMOTE_ADDR": "10.0.0.1"}


def _password(client, username, password=PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password},
                       **{**ADDRESS, **extra})


def _code(client, code, **extra):
    return client.post(reverse("two_factor_verify"), {"code": code}, **{**ADDRESS, **extra})


def _enrol(client, user):
    """The first login: password, then the enrolment page; returns the recovery codes."""
    assert _password(client, user.username)["Location"] == reverse("two_factor_enrol")
    page = client.get(reverse("two_factor_enrol")).content.decode()
    secret = re.search(r'id="totp-secret">([^<]+)<', page)[1]
    response = client.post(reverse("two_factor_enrol"), {"code": secret_key_code(secret)},
                           **ADDRESS)
    assert response.status_code == 200
    return re.findall(r"<li><code>([a-z0-9]+)</code></li>", response.content.decode())


@pytest.mark.parametrize("role", ["leerkracht", "oka", "af", "directie", "bestuur",
                                  "inspecteur", "beheerder"])
def test_every_role_needs_the_second_step(personas, client, role):
    user = {"leerkracht": personas.teacher_on_case, "oka": personas.oka, "af": personas.af,
            "directie": personas.directie, "bestuur": personas.bestuur,
            "inspecteur": personas.inspecteur, "beheerder": personas.beheerder}[role]
    app_device(user)
    response = _password(client, user.username)
    assert response["Location"] == reverse("two_factor_verify")
    # The password alone logs nobody in.
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("dashboard"))["Location"].startswith(reverse("login"))
    assert _code(client, code_for(app_device(user))).status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200


def test_first_login_enrols_with_an_inline_qr_code_and_ten_recovery_codes(personas, client):
    user = personas.af
    assert _password(client, "af")["Location"] == reverse("two_factor_enrol")
    page = client.get(reverse("two_factor_enrol"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and "<img" not in html  # rendered by the app, no outside service
    # Reloading keeps the same secret, so a half-done scan still works.
    first = re.search(r'id="totp-secret">([^<]+)<', html)[1]
    again = client.get(reverse("two_factor_enrol")).content.decode()
    assert re.search(r'id="totp-secret">([^<]+)<', again)[1] == first
    wrong = client.post(reverse("two_factor_enrol"), {"code": "000000"}, **ADDRESS)
    assert "Deze code klopt niet" in wrong.content.decode()
    # django-otp also slows down each device after a wrong code (1 s, 2 s, 4 s, ...).
    TOTPDevice.objects.filter(user=user).update(throttling_failure_timestamp=None)
    response = client.post(reverse("two_factor_enrol"), {"code": secret_key_code(first)},
                           **ADDRESS)
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", response.content.decode())
    assert len(codes) == len(set(codes)) == 10
    assert TOTPDevice.objects.get(user=user).confirmed
    assert client.get(reverse("dashboard")).status_code == 200
    assert AuditEvent.objects.filter(action="auth.two_factor_enrolled", actor=user).exists()
    assert AuditEvent.objects.filter(action="auth.login", actor=user).exists()
    # Shown once: nowhere else does a page show them.
    security = client.get(reverse("account_security")).content.decode()
    assert not any(code in security for code in codes)
    assert "nog 10 ongebruikte herstelcodes" in security


def test_a_recovery_code_logs_in_once(personas, client):
    codes = _enrol(client, personas.af)
    client.logout()
    _password(client, "af")
    assert _code(client, codes[0].upper()).status_code == 302  # capitals are fine
    assert client.get(reverse("dashboard")).status_code == 200
    used = AuditEvent.objects.get(action="auth.recovery_code_used")
    assert used.data == {"left": 9, "step": "login"}
    client.logout()
    _password(client, "af")
    response = _code(client, codes[0])
    assert response.status_code == 200 and "Deze code klopt niet" in response.content.decode()
    assert StaticToken.objects.filter(device__user=personas.af).count() == 9


def test_wrong_codes_count_as_failed_logins_and_lock_the_account(personas, client):
    device = app_device(personas.af)
    _password(client, "af")
    for _n in range(5):
        assert "Deze code klopt niet" in _code(client, "123456").content.decode()
        # As if the person waited the seconds django-otp asks after each wrong code.
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
    failures = AuditEvent.objects.filter(action="auth.login_failed", data__step="login")
    assert failures.count() == 5
    # Locked now: even the right code is not tried.
    blocked = _code(client, code_for(device))
    assert escape("te vaak een verkeerde code") in blocked.content.decode()
    assert "_auth_user_id" not in client.session
    # And entering the password again does not reset the count.
    assert "te vaak" in _password(client, "af").content.decode()
    later = timezone.now() + timedelta(minutes=16)
    with mock.patch("django.utils.timezone.now", return_value=later), \
            mock.patch("time.time", return_value=later.timestamp()):
        assert _password(client, "af").status_code == 302
        assert _code(client, code_for(device, at=later.timestamp())).status_code == 302


def test_the_code_step_expires(personas, client):
    device = app_device(personas.af)
    _password(client, "af")
    later = timezone.now() + timedelta(minutes=6)
    with mock.patch("time.time", return_value=later.timestamp()):
        response = _code(client, code_for(device, at=later.timestamp()), follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    assert "De tijd om de code in te vullen is verstreken" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_page_asked_for_is_kept_through_both_steps(personas, client):
    device = app_device(personas.af)
    case_url = reverse("case_detail", args=[personas.case.pk])
    client.post(f"{reverse('login')}?next={case_url}",
                {"username": "af", "password": PASSWORD, "next": case_url}, **ADDRESS)
    assert _code(client, code_for(device))["Location"] == case_url


def test_a_session_without_a_verified_second_factor_reaches_only_the_code_step(personas,
                                                                               client):
    client.force_login(personas.af, second_factor=False)
    verify = reverse("two_factor_verify")
    for name, kwargs in [("dashboard", {}), ("case_detail", {"case_id": personas.case.pk}),
                         ("case_chronology", {"case_id": personas.case.pk}),
                         ("account_security", {}), ("reauth", {}), ("beheer_index", {})]:
        assert client.get(reverse(name, kwargs=kwargs))["Location"] == verify, name
    assert client.post(reverse("worknote_add", kwargs={"case_id": personas.case.pk}),
                       {"text": "x"})["Location"] == verify
    # No app yet: the code step sends to enrolment, which is reachable.
    assert client.get(verify)["Location"] == reverse("two_factor_enrol")
    assert client.get(reverse("two_factor_enrol")).status_code == 200
    # With the code the same session goes on.
    device = TOTPDevice.objects.get(user=personas.af)
    device.confirmed = True
    device.save()
    assert client.post(verify, {"code": code_for(device)}).status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200


def test_beheerder_resets_a_lost_phone_ends_sessions_and_mails(personas, client, mailoutbox,
                                                               django_capture_on_commit_callbacks):
    target = personas.teacher_on_case
    app_device(target)
    other = client.__class__()
    other.force_login(target)
    assert other.get(reverse("dashboard")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        two_factor.two_factor_reset(actor=personas.beheerder, user=target)
    assert not TOTPDevice.objects.filter(user=target).exists()
    assert other.get(reverse("dashboard"))["Location"].startswith(reverse("login"))
    event = AuditEvent.objects.get(action="auth.two_factor_reset")
    assert event.actor == personas.beheerder and event.subject_id == str(target.pk)
    assert [m.to for m in mailoutbox] == [[target.email]]
    assert "tweede inlogstap" in mailoutbox[0].subject
    # The next login sets up a new app.
    assert _password(client, target.username)["Location"] == reverse("two_factor_enrol")


def test_a_beheerder_never_resets_their_own_or_another_boards(personas, elsewhere):
    with pytest.raises(DomainError, match="eigen tweede inlogstap"):
        two_factor.two_factor_reset(actor=personas.beheerder, user=personas.beheerder)
    with pytest.raises(DomainError, match="geen rol binnen uw bestuur"):
        two_factor.two_factor_reset(actor=elsewhere["beheerder"], user=personas.af)
    second = member(Role.BEHEERDER, board=personas.school.board)
    app_device(personas.beheerder)
    two_factor.two_factor_reset(actor=second, user=personas.beheerder)
    assert not TOTPDevice.objects.filter(user=personas.beheerder).exists()


def test_reset_view_asks_to_confirm_first_and_is_audited(personas, client):
    app_device(personas.teacher_on_case)
    url = reverse("beheer_user_two_factor_reset", args=[personas.teacher_on_case.uuid])
    client.force_login(personas.beheerder)
    response = client.post(url)
    assert response["Location"].startswith(reverse("reauth"))
    assert TOTPDevice.objects.filter(user=personas.teacher_on_case).exists()
    client.confirm_recent_auth()
    assert client.post(url)["Location"] == reverse("beheer_user_edit",
                                                   args=[personas.teacher_on_case.uuid])
    assert not TOTPDevice.objects.filter(user=personas.teacher_on_case).exists()
    page = client.get(reverse("beheer_user_edit", args=[personas.teacher_on_case.uuid]))
    assert "tweede inlogstap van een gebruiker opnieuw ingesteld" in page.content.decode()


def test_renewing_recovery_codes_replaces_the_old_ones(personas, client):
    codes = _enrol(client, personas.af)
    refused = client.post(reverse("recovery_codes_renew"))
    assert refused["Location"].startswith(reverse("reauth"))
    client.confirm_recent_auth()
    response = client.post(reverse("recovery_codes_renew"))
    new = re.findall(r"<li><code>([a-z0-9]+)</code></li>", response.content.decode())
    assert len(new) == 10 and not set(new) & set(codes)
    assert set(StaticToken.objects.filter(device__user=personas.af)
               .values_list("token", flat=True)) == set(new)


def test_a_code_right_after_a_wrong_one_waits_and_is_no_failure(personas, client):
    device = app_device(personas.af)
    _password(client, "af")
    _code(client, "123456")
    soon = _code(client, code_for(device))
    assert "Even wachten" in soon.content.decode()
    assert AuditEvent.objects.filter(action="auth.login_failed").count() == 1
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
    assert _code(client, code_for(device)).status_code == 302


def test_the_beheer_page_says_whether_the_app_is_set_up(personas, client):
    client.force_login(personas.beheerder)
    url = reverse("beheer_user_edit", args=[personas.oka.uuid])
    assert "nog geen authenticator-app ingesteld" in client.get(url).content.decode()
    app_device(personas.oka)
    page = client.get(url).content.decode()
    assert "logt in met wachtwoord en authenticator-app" in page
    assert "Tweede inlogstap opnieuw instellen" in page


def test_a_second_person_logging_in_at_the_same_browser_logs_the_first_out(personas, client):
    client.force_login(personas.directie)
    device = app_device(personas.af)
    assert _password(client, "af")["Location"] == reverse("two_factor_verify")
    assert client.get(reverse("dashboard"))["Location"].startswith(reverse("login"))
    assert _code(client, code_for(device)).status_code == 302
    assert client.get(reverse("dashboard")).context["user"] == personas.af


def test_a_recovery_code_of_only_digits_still_works(personas, client):
    app_device(personas.af)
    two_factor._new_recovery_codes(personas.af)
    StaticToken.objects.filter(device__user=personas.af).update(token="23456723")
    _password(client, "af")
    assert _code(client, "2345 6723").status_code == 302

"""The second login step in tests: a confirmed app for a user, its current code, and a
test client whose `force_login` also completes the code step.

Production has no such shortcut: `force_login(user, second_factor=False)` gives the
session as a password alone would, and tests/test_two_factor.py shows it reaches nothing
but the code step.
"""

import time
from base64 import b32decode

from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from meldcode.models import User
from meldcode.reauth import REAUTH_AT


def app_device(user) -> TOTPDevice:
    """The user's confirmed authenticator app (made if they have none)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="app", confirmed=True)


def code_for(device, *, at=None, allow_reuse=True) -> str:
    """The code the app shows now. A device refuses a code it accepted before (replay);
    tests that log in twice within 30 seconds pass allow_reuse."""
    if allow_reuse:
        TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
        device.last_t = -1
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    return f"{totp.token():0{device.digits}d}"


def secret_key_code(secret: str, *, digits=6, step=30) -> str:
    """The code for a base32 secret as shown on the enrolment page (what a phone does)."""
    cleaned = secret.replace(" ", "")
    key = b32decode(cleaned + "=" * (-len(cleaned) % 8))
    totp = TOTP(key, step, 0, digits, 0)
    totp.time = time.time()
    return f"{totp.token():0{digits}d}"


class TwoFactorClient(Client):
    def force_login(self, user, backend=None, *, second_factor=True):
        super().force_login(user, backend)
        if second_factor:
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = app_device(user).persistent_id
            session.save()

    def confirm_recent_auth(self):
        """As if the user just gave password and code again (`require_recent_auth`)."""
        session = self.session
        session[REAUTH_AT] = int(time.time())
        session.save()


def login_with_code(client, username, password, **extra):
    """Both steps through the real forms: the password, then the app's current code."""
    response = client.post(reverse("login"), {"username": username, "password": password},
                           **extra)
    if response.status_code != 302:
        return response
    device = app_device(User.objects.get(username=username))
    return client.post(reverse("two_factor_verify"), {"code": code_for(device)}, **extra)

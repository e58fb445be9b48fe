"""The second login step: a TOTP app, ten one-time recovery codes, and a beheerder's reset.

A code is checked against one device: six digits go to the TOTP app, anything else to the
recovery codes. A wrong code is audited as a failed login with the username, so the login
limits of `auth_throttle` count it exactly like a wrong password.
"""

from __future__ import annotations

import math
from base64 import b32encode
from functools import partial

import segno
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.services import audit
from meldcode import permissions
from meldcode.errors import DomainError
from meldcode.models import Membership, Role, User
from meldcode.services import sessions
from meldcode.services.beheer import link_base

APP_DEVICE_NAME = "app"
APP_CODE_DIGITS = TOTPDevice._meta.get_field("digits").default
RECOVERY_DEVICE_NAME = "herstelcodes"


class CodeTooSoon(Exception):
    """django-otp slows each device down after a wrong code (1, 2, 4, ... seconds). A code
    tried before then is not checked at all, so it is no failure either."""

    def __init__(self, locked_until):
        super().__init__(str(locked_until))
        self.seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))


def _ensure_verify_allowed(device) -> None:
    allowed, details = device.verify_is_allowed()
    if not allowed and details and details.get("locked_until"):
        raise CodeTooSoon(details["locked_until"])


def normalise_code(raw: str) -> str:
    """People copy codes with spaces or dashes, and recovery codes in capitals."""
    return "".join(ch for ch in (raw or "") if ch.isalnum()).lower()


def has_second_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def totp_enrolment_begin(*, user: User) -> TOTPDevice:
    """The app to be set up: the same secret on every reload until it is confirmed."""
    User.objects.select_for_update().get(pk=user.pk)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def totp_secret(device: TOTPDevice) -> str:
    """The secret as apps ask for it when typed in by hand, in groups of four."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def totp_qr_svg(device: TOTPDevice) -> str:
    """The QR code as inline SVG, made here: the secret never leaves the server."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=5, dark="#000", light="#fff", title=_("QR-code voor uw authenticator-app"))


def _failed(user: User, step: str) -> None:
    audit("auth.login_failed", subject=user,
          data={"username": user.get_username()[:150], "step": step})


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _n in range(settings.RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def totp_enrolment_confirm(*, user: User, code: str) -> list[str] | None:
    """The first code from the new app confirms it; the recovery codes are made then.

    Returns the recovery codes (shown once, never stored readable elsewhere), or None for a
    wrong code."""
    User.objects.select_for_update().get(pk=user.pk)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is not None:
        _ensure_verify_allowed(device)
    if device is None or not device.verify_token(normalise_code(code)):
        _failed(user, "enrolment")
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(user)
    audit("auth.two_factor_enrolled", actor=user, subject=user)
    return codes


@transaction.atomic
def code_verify(*, user: User, code: str, step: str = "login"):
    """The device that accepts `code` (the app, or one recovery code, used up), or None.

    Raises CodeTooSoon when the device still waits after a wrong code."""
    code = normalise_code(code)
    # App codes are six digits; recovery codes eight letters and digits.
    if code.isdigit() and len(code) == APP_CODE_DIGITS:
        devices = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True)
    else:
        devices = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True)
    devices = list(devices)
    for device in devices:
        _ensure_verify_allowed(device)
    for device in devices:
        if device.verify_token(code):
            if isinstance(device, StaticDevice):
                audit("auth.recovery_code_used", actor=user, subject=user,
                      data={"left": device.token_set.count(), "step": step})
            return device
    _failed(user, step)
    return None


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    """New recovery codes; the old ones stop working."""
    User.objects.select_for_update().get(pk=user.pk)
    if not has_second_factor(user):
        raise DomainError(_("Stel eerst uw authenticator-app in."))
    codes = _new_recovery_codes(user)
    audit("auth.recovery_codes_renewed", actor=user, subject=user)
    return codes


@transaction.atomic
def two_factor_reset(*, actor: User, user: User) -> None:
    """A lost phone: a beheerder of the person's board removes their app and codes.

    The person sets up a new app at their next login; every session they have ends now,
    and they get an e-mail about it. Nobody resets their own: that would let whoever
    knows a beheerder's password take over the second factor as well."""
    boards = permissions.managed_board_ids(actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    if not boards or not Membership.objects.filter(user=user, board_id__in=boards).exists():
        raise DomainError(_("Deze persoon heeft geen rol binnen uw bestuur."))
    if user.pk == actor.pk:
        raise DomainError(_("U kunt uw eigen tweede inlogstap niet opnieuw instellen. Vraag "
                            "dit aan een andere beheerder van uw bestuur."))
    removed = (TOTPDevice.objects.filter(user=user).delete()[0]
               + StaticDevice.objects.filter(user=user).delete()[0])
    sessions.sessions_end_others(user=user, keep=None, reason="two_factor_reset")
    audit("auth.two_factor_reset", actor=actor, subject=user, actor_role=Role.BEHEERDER,
          data={"devices_removed": removed})
    transaction.on_commit(partial(send_reset_mail, user.pk))


def send_reset_mail(user_id) -> None:
    """Tells the person; if they did not ask for it, they know to raise the alarm."""
    user = User.objects.filter(pk=user_id).first()
    if user is None or not user.email:
        return
    PasswordResetForm().send_mail(
        "registration/two_factor_reset_subject.txt", "registration/two_factor_reset_email.txt",
        {**link_base(), "user": user}, None, user.email,
    )

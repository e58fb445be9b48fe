"""Logins, failed logins and logouts are audited like every other event."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from audit.services import audit


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit("auth.login", actor=user, subject=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit("auth.logout", actor=user, subject=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # Only the attempted username, never the password.
    audit("auth.login_failed", data={"username": str(credentials.get("username", ""))[:150]})

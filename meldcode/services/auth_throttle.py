"""Slowing down password guessing and "wachtwoord vergeten" mail floods.

The audit trail already records every failed login and every reset request with the
client address, in the database that all web workers share. The limits below are counted
from those records, so there is no second store that could disagree with the audit trail.

Counting and trying a password happen under a lock per address and per account from that
address (`lock_login_attempts`), held until the failure is recorded: parallel attempts queue
instead of all reading the same count. Logins from one address therefore take turns for
the length of one password hash; after the limit is reached the queue moves without hashing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection
from django.utils import timezone

from audit.context import request_ip
from audit.models import AuditEvent
from meldcode.models import User

LOGIN_FAILED = "auth.login_failed"
LOGIN_BLOCKED = "auth.login_blocked"
RESET_REQUESTED = "auth.password_reset_requested"


@dataclass(frozen=True)
class Limit:
    attempts: int
    window: timedelta

    @property
    def minutes(self) -> int:
        return int(self.window.total_seconds() // 60)


# Guessing one account's password from one address.
ACCOUNT_LOGIN_LIMIT = Limit(attempts=5, window=timedelta(minutes=15))
# Trying many accounts from one address (credential stuffing). A school behind one
# address shares this count, hence the wider margin.
ADDRESS_LOGIN_LIMIT = Limit(attempts=30, window=timedelta(minutes=15))
# Reset requests from one address, whatever was typed.
ADDRESS_RESET_LIMIT = Limit(attempts=5, window=timedelta(hours=1))
# Reset mails to one account: more would only fill someone's inbox.
ACCOUNT_RESET_LIMIT = Limit(attempts=3, window=timedelta(hours=1))


def _recent(action: str, limit: Limit):
    return AuditEvent.objects.filter(action=action,
                                     occurred_at__gte=timezone.now() - limit.window)


def _advisory_key(*parts: str) -> int:
    """A stable signed 64-bit key, the same in every worker (unlike Python's hash())."""
    digest = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def lock_login_attempts(username: str) -> None:
    """Take the address's and the account's login lock until the transaction ends.

    Call inside `transaction.atomic()`, before `login_blocked`, and record the failure in
    the same transaction. Always the address first, so two attempts never wait on each
    other crosswise. SQLite (the single-process demo) has no such locks; there the count
    is only as exact as the demo needs."""
    if connection.vendor != "postgresql":
        return
    address = request_ip.get() or ""
    with connection.cursor() as cursor:
        for key in (_advisory_key("login.address", address),
                    _advisory_key("login.account", address, username[:150])):
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def login_blocked(username: str) -> bool:
    """True when this address has failed too often, for this account or in all.

    A successful login of the account starts its count afresh."""
    address = request_ip.get()
    failures = _recent(LOGIN_FAILED, ACCOUNT_LOGIN_LIMIT).filter(
        ip_address=address, data__username=username[:150])
    last_login = (User.objects.filter(username=username)
                  .values_list("last_login", flat=True).first())
    if last_login is not None:
        failures = failures.filter(occurred_at__gt=last_login)
    if failures.count() >= ACCOUNT_LOGIN_LIMIT.attempts:
        return True
    return (_recent(LOGIN_FAILED, ADDRESS_LOGIN_LIMIT).filter(ip_address=address).count()
            >= ADDRESS_LOGIN_LIMIT.attempts)


def reset_requests_blocked() -> bool:
    return (_recent(RESET_REQUESTED, ADDRESS_RESET_LIMIT)
            .filter(ip_address=request_ip.get()).count() >= ADDRESS_RESET_LIMIT.attempts)


def reset_mail_allowed(user) -> bool:
    return (_recent(RESET_REQUESTED, ACCOUNT_RESET_LIMIT)
            .filter(subject_type=User._meta.label_lower, subject_id=str(user.pk),
                    data__sent=True).count() < ACCOUNT_RESET_LIMIT.attempts)

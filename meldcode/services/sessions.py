"""Where someone is logged in, and ending those sessions.

Each login leaves a small record (device, address, since) next to the session in Django's
session store. A password change or a reset of the second factor ends a person's other
sessions; deactivating an account ends all of them at once.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from audit.context import request_ip
from audit.services import audit
from meldcode.models import User, UserSession

USER_AGENT_LENGTH = UserSession._meta.get_field("user_agent").max_length


def session_record(*, user: User, session_key: str, user_agent: str) -> UserSession:
    """Remember a fresh login's device and address (called when the login completes)."""
    record, _created = UserSession.objects.update_or_create(
        session_key=session_key,
        defaults={"user": user, "user_agent": user_agent[:USER_AGENT_LENGTH],
                  "ip_address": request_ip.get()},
    )
    return record


def session_rekey(*, old_key: str | None, new_key: str) -> None:
    """Django gives a session a new key on a password change; the record follows it."""
    if old_key and old_key != new_key:
        UserSession.objects.filter(session_key=old_key).update(session_key=new_key)


def session_forget(session_key: str | None) -> None:
    """The session ended by logging out or by expiry: its record goes too."""
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


def active_sessions(user: User):
    """The user's sessions that can still be used, newest first (one query).

    Sessions live in the database store (Django's default, which Meldcode keeps), so
    ending one is deleting its row: no worker can still read it."""
    now = timezone.now()
    live = Session.objects.filter(expire_date__gt=now).values("session_key")
    return list(UserSession.objects.filter(
        user=user, session_key__in=live,
        created_at__gt=now - timedelta(seconds=settings.SESSION_ABSOLUTE_SECONDS)))


def _end(records) -> int:
    keys = [record.session_key for record in records]
    Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(pk__in=[record.pk for record in records]).delete()
    return len(keys)


@transaction.atomic
def sessions_end_others(*, user: User, keep: str | None, reason: str) -> int:
    """End every session of `user` except `keep` (the one making the change)."""
    records = list(UserSession.objects.select_for_update().filter(user=user)
                   .exclude(session_key=keep or ""))
    ended = _end(records)
    if ended:
        audit("auth.sessions_ended", subject=user, data={"count": ended, "reason": reason})
    return ended


@transaction.atomic
def session_end(*, actor: User, session_id: int) -> bool:
    """The user ends one of their own sessions from the list; False if it was not theirs."""
    records = list(UserSession.objects.select_for_update().filter(pk=session_id, user=actor))
    if not records:
        return False
    _end(records)
    audit("auth.session_ended", actor=actor, subject=actor)
    return True

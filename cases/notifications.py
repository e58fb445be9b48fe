"""In-app notifications, mirrored by e-mail that never contains pupil names or content."""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import default_task_backend, task

from cases.models import Notification, Phase
from meldcode.models import Role
from meldcode.permissions import role_holders

logger = logging.getLogger(__name__)


# When the mail server cannot be reached, try again after these many minutes (about two
# days in all); after the last attempt the task stays in the queue as failed, with the
# notification ids, and the failure is logged.
RETRY_MINUTES = (1, 5, 15, 60, 3 * 60, 6 * 60, 12 * 60, 24 * 60)


def _mail_for(notification) -> EmailMessage:
    link = settings.SITE_URL.rstrip("/") + reverse("notification_list")
    subject = _("Meldcode: %(kind)s") % {"kind": notification.get_kind_display()}
    body = _(
        "Er staat een nieuwe melding voor u klaar in Meldcode.\n\n"
        "Bekijk deze na inloggen via:\n%(link)s\n\n"
        "Om privacyredenen staan in deze e-mail geen namen of inhoud."
    ) % {"link": link}
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL,
                        [notification.recipient.email])


def notify(*, recipients, kind: str, case=None, actor=None) -> list[Notification]:
    """Create notifications (inside the caller's transaction); the mail goes out after
    commit, outside the request (a task)."""
    created = Notification.objects.bulk_create([
        Notification(recipient=user, kind=kind, case=case, actor=actor)
        for user in {u.pk: u for u in recipients if actor is None or u.pk != actor.pk}.values()
    ])
    ids = [str(n.pk) for n in created if n.recipient.email]
    if ids:
        transaction.on_commit(lambda: _enqueue(ids))
    return created


def _enqueue(ids: list[str], attempt: int = 0) -> None:
    """The in-app notification stands whatever happens to the mail."""
    try:
        if attempt:
            run_after = timezone.now() + timedelta(minutes=RETRY_MINUTES[attempt - 1])
            send_notification_mail.using(run_after=run_after).enqueue(ids, attempt)
        else:
            send_notification_mail.enqueue(ids, 0)
    except Exception:
        logger.exception("Notification mail could not be queued (%d messages)", len(ids))


@task()
def send_notification_mail(notification_ids: list[str], attempt: int = 0) -> int:
    """Mail these notifications, one message each; those the mail server did not take are
    tried again later (a new task, RETRY_MINUTES), so a mail server that is down loses
    nothing. Returns how many were sent."""
    notifications = (Notification.objects.filter(pk__in=notification_ids)
                     .select_related("recipient"))
    pending = [n for n in notifications if n.recipient.email and n.recipient.is_active]
    failed, sent = [], 0
    connection = get_connection()
    try:
        connection.open()
    except (smtplib.SMTPException, OSError):
        failed = pending
    else:
        for notification in pending:
            try:
                connection.send_messages([_mail_for(notification)])
                sent += 1
            except (smtplib.SMTPException, OSError):
                failed.append(notification)
        try:
            connection.close()
        except (smtplib.SMTPException, OSError):
            pass
    if failed:
        _retry([str(n.pk) for n in failed], attempt)
    return sent


def _retry(ids: list[str], attempt: int) -> None:
    can_wait = default_task_backend.supports_defer and attempt < len(RETRY_MINUTES)
    if not can_wait:
        # Logged without addresses, so that whoever runs the server learns mail is down.
        logger.error("Notification mail could not be sent (%d messages), not retried", len(ids))
        raise MailNotSent(f"{len(ids)} notification mails not sent")
    logger.warning("Notification mail could not be sent (%d messages); trying again in "
                   "%d minutes", len(ids), RETRY_MINUTES[attempt])
    _enqueue(ids, attempt + 1)


class MailNotSent(Exception):
    """The mail server did not take these notification mails, and no retry is left."""


def tell_reporter(*, case, to_phase: str, first_move: bool, actor) -> list[Notification]:
    """The teacher who reported hears that their concern is being dealt with, and when the
    case closes: the kind says it all, no phase, outcome or pupil name (in-app or mail)."""
    if to_phase == Phase.GESLOTEN:
        kind = Notification.Kind.CONCERN_CLOSED
    elif first_move:
        kind = Notification.Kind.CONCERN_TAKEN_UP
    else:
        return []
    reporter = role_holders(Role.LEERKRACHT, school_id=case.school_id).filter(
        pk=case.opened_by_id, is_active=True)
    return notify(recipients=list(reporter), kind=kind, case=case, actor=actor)


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(user, notifications) -> int:
    """Seeing a notification in the list counts as reading it (and nothing more)."""
    return Notification.objects.filter(
        recipient=user, read_at__isnull=True, pk__in=[n.pk for n in notifications]
    ).update(read_at=timezone.now())

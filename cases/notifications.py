"""In-app notifications, mirrored by e-mail that never contains pupil names or content."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Notification, Phase
from meldcode.models import Role
from meldcode.permissions import role_holders

logger = logging.getLogger(__name__)


def _mail_for(notification) -> tuple[str, str, str, list[str]]:
    link = settings.SITE_URL.rstrip("/") + reverse("notification_list")
    subject = _("Meldcode: %(kind)s") % {"kind": notification.get_kind_display()}
    body = _(
        "Er staat een nieuwe melding voor u klaar in Meldcode.\n\n"
        "Bekijk deze na inloggen via:\n%(link)s\n\n"
        "Om privacyredenen staan in deze e-mail geen namen of inhoud."
    ) % {"link": link}
    return subject, body, settings.DEFAULT_FROM_EMAIL, [notification.recipient.email]


def notify(*, recipients, kind: str, case=None, actor=None) -> list[Notification]:
    """Create notifications (inside the caller's transaction) and mail after commit."""
    created = Notification.objects.bulk_create([
        Notification(recipient=user, kind=kind, case=case, actor=actor)
        for user in {u.pk: u for u in recipients if actor is None or u.pk != actor.pk}.values()
    ])
    mails = [_mail_for(n) for n in created if n.recipient.email]
    if mails:
        transaction.on_commit(lambda: _send(mails))
    return created


def _send(mails) -> None:
    """The in-app notification stands whatever happens to the mail; a failure is logged
    (without addresses) so that whoever runs the server learns that mail is down."""
    try:
        send_mass_mail(mails)
    except Exception:
        logger.exception("Notification mail could not be sent (%d messages)", len(mails))


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

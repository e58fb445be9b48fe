"""Legal holds: the AF or directie keeps a dossier past its term for a recorded reason
(a Veilig Thuis investigation, an inzage request or complaint, the meldplicht or an
aangifte, a court) until a review date; then it is due again (3.8)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit
from cases.errors import DomainError
from meldcode.workdays import add_months, local_today
from retention.models import DestructionItem, HoldReason, LegalHold
from retention.permissions import may_confirm

MAX_REVIEW_MONTHS = 24


@transaction.atomic
def legal_hold_place(*, actor, item: DestructionItem, reason: str, explanation: str,
                     review_on: date) -> LegalHold:
    item = DestructionItem.objects.select_for_update().select_related("school").get(pk=item.pk)
    if not may_confirm(actor, item.school):
        raise PermissionDenied
    if item.status not in DestructionItem.ACTIVE:
        raise DomainError(_("Dit dossier staat niet meer op de vernietigingslijst."))
    if reason not in HoldReason.values:
        raise DomainError(_("Kies een juridische reden om het dossier te bewaren."))
    today = local_today()
    if review_on is None or review_on <= today:
        raise DomainError(_("De datum om opnieuw te bekijken ligt in de toekomst."))
    if review_on > add_months(today, MAX_REVIEW_MONTHS):
        raise DomainError(_("Bekijk het bewaren uiterlijk over twee jaar opnieuw."))
    hold = LegalHold.objects.create(item=item, reason=reason,
                                    explanation=(explanation or "").strip()[:300],
                                    review_on=review_on, placed_by=actor)
    # A hold stops a destruction half-confirmed: afterwards both confirm again.
    item.status = DestructionItem.Status.HELD
    item.first_confirmed_by, item.first_confirmed_at = None, None
    item.save(update_fields=["status", "first_confirmed_by", "first_confirmed_at"])
    audit("retention.hold_placed", actor=actor, subject=item, school=item.school,
          data={"reason": reason, "review_on": review_on.isoformat()})
    return hold


@transaction.atomic
def legal_hold_lift(*, actor, hold: LegalHold) -> LegalHold:
    hold = LegalHold.objects.select_for_update().select_related("item__school").get(pk=hold.pk)
    item = hold.item
    if not may_confirm(actor, item.school):
        raise PermissionDenied
    if not hold.is_active:
        raise DomainError(_("Deze bewaarreden is al opgeheven."))
    hold.lifted_by, hold.lifted_at = actor, timezone.now()
    hold.save(update_fields=["lifted_by", "lifted_at"])
    # A hold whose review date has come no longer keeps the dossier (the daily run).
    if not item.holds.filter(lifted_at__isnull=True, review_on__gt=local_today()).exists():
        item.status = DestructionItem.Status.DUE
        item.save(update_fields=["status"])
    audit("retention.hold_lifted", actor=actor, subject=item, school=item.school,
          data={"reason": hold.reason})
    return hold

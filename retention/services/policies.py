"""Setting a board's bewaartermijnen: its beheerder or its bestuur (the
verwerkingsverantwoordelijke, whose privacyreglement sets the terms)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from audit.services import audit
from cases.services.tasks import apply_policy_values
from retention.models import RetentionPolicy
from retention.permissions import policy_boards


@transaction.atomic
def retention_policy_update(*, actor, board, values: dict) -> RetentionPolicy:
    """Values are validated by the form; the model validates again."""
    if not policy_boards(actor).filter(pk=board.pk).exists():
        raise PermissionDenied
    policy, _created = RetentionPolicy.objects.select_for_update().get_or_create(board=board)
    changed = apply_policy_values(policy, values)
    policy.full_clean()
    policy.updated_by = actor
    policy.save()
    if changed:
        audit("retention.policy_updated", actor=actor, subject=policy, board=board,
              data=changed)
    return policy

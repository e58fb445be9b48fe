"""Read-side queries for audit trails."""

from audit.models import AuditEvent

MEMBERSHIP_CONFIRMED = "membership.confirmed"


def case_trail(case):
    """Every audit event of one case, oldest first, with actors loaded in the same query."""
    return AuditEvent.objects.filter(case_id=case.pk).select_related("actor").order_by(
        "occurred_at", "id"
    )


def membership_confirmations(membership_ids):
    """The events in which these roles were confirmed (by whom, when), actors loaded."""
    if not membership_ids:
        return AuditEvent.objects.none()
    return (AuditEvent.objects
            .filter(action=MEMBERSHIP_CONFIRMED, data__membership__in=list(membership_ids))
            .select_related("actor"))

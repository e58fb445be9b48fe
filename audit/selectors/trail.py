"""Read-side queries for audit trails."""

from audit.models import AuditEvent


def case_trail(case):
    """Every audit event of one case, oldest first, with actors loaded in the same query."""
    return AuditEvent.objects.filter(case_id=case.pk).select_related("actor").order_by(
        "occurred_at", "id"
    )

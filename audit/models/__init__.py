"""The audit store: chained audit events and access-log entries, and the unusual-access
reports of the nightly check."""

from audit.models.records import (
    AccessKind,
    AccessLog,
    AccessOutcome,
    AppendOnlyError,
    AuditEvent,
    ChainedRecord,
    ChainHead,
)
from audit.models.reports import UnusualAccessReport

__all__ = [
    "AccessKind", "AccessLog", "AccessOutcome", "AppendOnlyError", "AuditEvent",
    "ChainHead", "ChainedRecord", "UnusualAccessReport",
]

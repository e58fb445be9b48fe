"""Per-request context for audit records, set by audit.middleware."""

from contextvars import ContextVar

# Services do not receive the request; the address still belongs in every record.
request_ip: ContextVar[str | None] = ContextVar("request_ip", default=None)

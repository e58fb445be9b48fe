"""Per-request context for audit records, set by audit.middleware."""

from contextvars import ContextVar
from dataclasses import dataclass

# Services do not receive the request; the address still belongs in every record.
request_ip: ContextVar[str | None] = ContextVar("request_ip", default=None)


@dataclass
class PendingAccess:
    """What one request has touched so far; the middleware writes one entry from it.

    `entry` is what the view declared (access_log), `seen` the case or pupil the policy
    handed out, `refused` what the policy refused. Collecting them and writing once at the
    end gives exactly one access-log entry per request, also when a page fetches a case and
    is refused something later."""

    entry: object = None
    seen: object = None
    refused: object = None


request_access: ContextVar[PendingAccess | None] = ContextVar("request_access", default=None)

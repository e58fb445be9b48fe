"""Writing the audit store: `audit()` for what happened, `access_log()` for who read what."""

from audit.services import chain  # noqa: F401  (installs the chain writer in the models)
from audit.services.records import (
    access_log,
    access_refused,
    access_seen,
    audit,
    logged_access,
    write_request_access,
)

__all__ = ["access_log", "access_refused", "access_seen", "audit", "logged_access",
           "write_request_access"]

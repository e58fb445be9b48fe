"""Read-side queries of the audit store."""

from audit.selectors.trail import case_trail, membership_confirmations

__all__ = ["case_trail", "membership_confirmations"]

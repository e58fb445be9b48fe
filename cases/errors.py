"""Domain errors of the case services; views show their Dutch message."""

from meldcode.errors import DomainError

__all__ = ["DomainError", "TransitionNotAllowed"]


class TransitionNotAllowed(DomainError):
    """A workflow action that the case's state does not allow (yet)."""

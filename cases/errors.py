"""Domain errors raised by the case services; views show their Dutch message."""


class DomainError(Exception):
    """A refused action. `str(error)` is a Dutch sentence for the user."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


class TransitionNotAllowed(DomainError):
    """A workflow action that the case's state does not allow (yet)."""

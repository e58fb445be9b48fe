"""Domain errors raised by services; views show their Dutch message."""


class DomainError(Exception):
    """A refused action. `str(error)` is a Dutch sentence for the user."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)

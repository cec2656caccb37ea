"""The error every service raises when a programme rule refuses an action."""


class RuleError(Exception):
    """A programme rule refused the action; ``str(error)`` is the message for the user, and
    ``field`` names the form field at fault, when there is one."""

    def __init__(self, message, *, field: str | None = None):
        super().__init__(message)
        self.field = field

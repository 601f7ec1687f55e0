"""Errors that domain code raises and the HTTP edge maps (409, 404, 422). Pure: no I/O."""


class DomainError(Exception):
    """Base of the errors a command can end with, each with a clear message."""


class RuleBroken(DomainError):
    """A business rule refuses the command (HTTP 409); `rule` names the rule."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule


class NotFound(DomainError):
    """The resource named in the path does not exist (HTTP 404)."""

    def __init__(self, what: str, identifier: object) -> None:
        super().__init__(f"no {what} {identifier}")
        self.what = what
        self.identifier = identifier


class InvalidReference(DomainError):
    """A field of the request names something that does not exist (HTTP 422)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field

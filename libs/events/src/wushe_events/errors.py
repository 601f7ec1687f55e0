"""Errors that domain code raises and the HTTP edge maps (409, 404, 422). Pure: no I/O."""

from collections.abc import Mapping


class DomainError(Exception):
    """Base of the errors a command can end with, each with a clear message."""


class RuleBroken(DomainError):
    """A business rule refuses the command (HTTP 409); `rule` names the rule. `details` are
    extra fields of the answer, such as the id of the record in the way or the amount left:
    ids, codes and figures, never personal data."""

    def __init__(
        self, rule: str, message: str, details: Mapping[str, str | int] | None = None
    ) -> None:
        super().__init__(message)
        self.rule = rule
        self.details = dict(details or {})


class NotFound(DomainError):
    """The resource named in the path does not exist (HTTP 404)."""

    def __init__(self, what: str, identifier: object) -> None:
        super().__init__(f"no {what} {identifier}")
        self.what = what
        self.identifier = identifier


class InvalidReference(DomainError):
    """A field of the request is wrong in a way only the domain can tell (HTTP 422): it names
    something that does not exist, or a time outside what it refers to. `code` is the answer's
    `type` for the field: a stable name a page words in its own language, as it does a 409's
    rule (the message, in English, is for a developer reading the API)."""

    def __init__(self, field: str, message: str, code: str = "invalid_reference") -> None:
        super().__init__(message)
        self.field = field
        self.code = code

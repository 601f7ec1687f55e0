"""A rule a request checks across its fields, told against the field a person fills in.

Pydantic gives an error raised by a `model_validator` no field of its own (its location is the
model: `body`); `broken` puts the field in the error's context, where the 422 answer
(`app._detail`) and the error pages (`error_pages`) take it from."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NoReturn

from fastapi.exceptions import RequestValidationError
from pydantic_core import PydanticCustomError

FIELD = "field"


def broken(field: str, kind: str, message: str) -> PydanticCustomError:
    """The error to raise: `field` is the one to fill in or change (say the alternatives in
    `message`, in plain words), `kind` the answer's `type`. No braces in `message`: pydantic
    reads them as its context's placeholders."""
    return PydanticCustomError(kind, message, {FIELD: field})


def location(error: Mapping[str, Any]) -> tuple[Any, ...]:
    """Where a validation error is: its own location, with the field a cross-field rule names."""
    loc = tuple(error.get("loc") or ())
    field = (error.get("ctx") or {}).get(FIELD)
    return (*loc, field) if isinstance(field, str) else loc


def refuse(field: str, message: str, kind: str, where: str = "query") -> NoReturn:
    """A 422 on a query parameter (or a `body` field) that is right on its own but breaks a
    rule with another, or with the token (a period that ends before it starts, a reviewer
    named by neither): answered as every other 422, naming `field`."""
    raise RequestValidationError([{"loc": (where, field), "msg": message, "type": kind}])

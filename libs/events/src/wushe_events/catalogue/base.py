"""The base of every event in the catalogue, the registry of types and shared field types."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _to_utc(value: datetime) -> datetime:
    try:
        return value.astimezone(UTC)
    except OverflowError:  # 9999-12-31T23:00-05:00 and the like
        raise ValueError("out of range") from None


def _clean_name(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("must not be blank")
    if _CONTROL.search(value):
        raise ValueError("must not contain control characters (line breaks, tabs, NUL …)")
    return value


UtcDatetime = Annotated[AwareDatetime, AfterValidator(_to_utc)]
Fen = Annotated[int, Field(ge=0, le=10**12, description="money in fen (分), an integer")]
PositiveFen = Annotated[int, Field(gt=0, le=10**12, description="money in fen (分), an integer")]
SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"
Slug = Annotated[str, Field(pattern=SLUG_PATTERN, description="a readable id")]
# What a pattern asks for, in the words of the people who type it: a 422 says this, not the regex.
# Read-only: a pattern of one service's routes is declared on them (wushe_service.error_pages.
# naming), not written in here for every service in the process.
PATTERN_RULES: Mapping[str, str] = MappingProxyType(
    {
        SLUG_PATTERN: "lowercase letters a-z, digits 0-9 and hyphens only, starting with a "
        "letter or digit, at most 64 characters (e.g. service-provided)",
    }
)


def _storable(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


# What a command takes (where people type): a name, its surrounding spaces dropped, never
# blank, on one line; free text (a note, a summary) of any number of lines, but without NUL,
# which PostgreSQL cannot store.
Name = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_clean_name)]
# A name with a tighter cap, the cap inside the type: a `Field(max_length=50)` on a field typed
# `Name` is silently outvoted by Name's own 200, and `Annotated[Name, Field(max_length=50)]`
# fails as `too_long` (a list's words) rather than `string_too_long`. A person's name, a
# street's: at most 50; a title (an office's, a wish's, an activity's): at most 100.
ShortName = Annotated[str, Field(min_length=1, max_length=50), AfterValidator(_clean_name)]
Title = Annotated[str, Field(min_length=1, max_length=100), AfterValidator(_clean_name)]
Text = Annotated[str, AfterValidator(_storable)]
# Free text with a cap, the cap inside the type for the same reason as ShortName's:
# `Annotated[Text, Field(max_length=2000)]` fails as `too_long`. A note in staff's words, a
# reviewer's comments, a summary: at most 2000 characters; a refund's note: at most 500; a
# note that must say something (a coordinator's, on a decline): 1 to 2000; a line in someone's
# own words (when a volunteer can serve): at most 200.
LongText = Annotated[str, Field(max_length=2000), AfterValidator(_storable)]
Note = Annotated[str, Field(min_length=1, max_length=500), AfterValidator(_storable)]
LongNote = Annotated[str, Field(min_length=1, max_length=2000), AfterValidator(_storable)]
Line = Annotated[str, Field(max_length=200), AfterValidator(_storable)]
# A name as an event records it. It was checked where it was typed in (a command's `Name`);
# here it is taken as it is, so that a name recorded under older rules still replays and can
# be copied into a new event (a claimant's public name into a claim, a team's into a ledger).
Label = Annotated[str, Field(min_length=1, max_length=200)]

_REGISTRY: dict[str, type[Event]] = {}


class Event(BaseModel):
    """A fact that happened, as the catalogue publishes it (DESIGN §4).

    Subclasses set `type` (the CloudEvents type) and `aggregate` (the stream the event belongs
    to); the aggregate's id is the field `<aggregate>_id` unless `id_field` says otherwise.
    Unknown fields are ignored when parsing, so that producers may add fields (never remove).
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    type: ClassVar[str]
    aggregate: ClassVar[str]
    id_field: ClassVar[str] = ""
    # Fields with a default that every event of the type has carried since its first release
    # (`payload()` writes defaults too) and that the contract requires: its published JSON
    # Schema requires them, so that an integrator's validator may count on them.
    always_present: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        if "type" not in cls.__dict__:
            return
        if not cls.id_field:
            cls.id_field = f"{cls.aggregate}_id"
        for field in (cls.id_field, *cls.always_present):
            if field not in cls.model_fields:
                raise TypeError(f"{cls.__name__} has no field {field}")
        if cls.type in _REGISTRY:
            raise TypeError(f"event type {cls.type} is declared twice")
        _REGISTRY[cls.type] = cls

    @property
    def aggregate_id(self) -> str:
        return str(getattr(self, self.id_field))

    def payload(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


class UnknownEventType(LookupError):
    pass


def event_class(event_type: str) -> type[Event]:
    try:
        return _REGISTRY[event_type]
    except KeyError:
        raise UnknownEventType(event_type) from None


def event_types() -> dict[str, type[Event]]:
    return dict(sorted(_REGISTRY.items()))


def decode(event_type: str, data: dict[str, Any]) -> Event:
    """A recorded event as its catalogue model."""
    return event_class(event_type).model_validate(data)

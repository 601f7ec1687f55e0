"""Command handlers of the funds service, by topic: load, decide, append — one transaction each."""

import re
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict
from pydantic_core import PydanticCustomError

from wushe_events.catalogue.base import Fen, PositiveFen
from wushe_events.catalogue.funds import BudgetLine
from wushe_service.identity import PublicName, PublicSlug

__all__ = [
    "Command",
    "PositiveWholeFen",
    "PublicBudgetLine",
    "PublicName",
    "PublicSlug",
    "WholeFen",
]


def _whole(value: object) -> object:
    # Left to pydantic's lax integers, `"100.00"` and `100.0` would be 100 fen and `true` 1: yuan
    # most likely meant, a hundredfold short, on a public hash-chained ledger that only a refund
    # puts right. A string of digits (`"10000"`) stays taken, as it always was.
    if isinstance(value, bool | float) or (
        isinstance(value, str) and not re.fullmatch(r"\s*[0-9]+\s*", value)
    ):
        raise PydanticCustomError(
            "fen_not_whole", "must be a whole number of fen (分), an integer: 100 yuan is 10000"
        )
    return value


# Money as a request sends it: an integer of fen, never a decimal or a boolean.
WholeFen = Annotated[Fen, BeforeValidator(_whole)]
PositiveWholeFen = Annotated[PositiveFen, BeforeValidator(_whole)]


class Command(BaseModel):
    """A request that changes something; unknown fields are an error (a typo, not a no-op)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class PublicBudgetLine(BudgetLine):
    item: PublicName
    amount_fen: WholeFen

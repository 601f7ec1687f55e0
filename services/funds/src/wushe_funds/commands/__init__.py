"""Command handlers of the funds service, by topic: load, decide, append — one transaction each."""

from pydantic import BaseModel, ConfigDict

from wushe_events.catalogue.funds import BudgetLine
from wushe_service.identity import PublicName, PublicSlug
from wushe_service.money import PositiveWholeFen, WholeFen

__all__ = [
    "Command",
    "PositiveWholeFen",
    "PublicBudgetLine",
    "PublicName",
    "PublicSlug",
    "WholeFen",
]


class Command(BaseModel):
    """A request that changes something; unknown fields are an error (a typo, not a no-op)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class PublicBudgetLine(BudgetLine):
    item: PublicName
    amount_fen: WholeFen

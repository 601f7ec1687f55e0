"""Command handlers of the funds service, by topic: load, decide, append — one transaction each."""

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict

from wushe_events.catalogue.base import Name
from wushe_events.catalogue.funds import BudgetLine
from wushe_service.identity import public_text

# Text that goes on the bus and onto the public ledger and disclosures: no phone or ID numbers.
PublicName = Annotated[Name, AfterValidator(public_text)]


class Command(BaseModel):
    """A request that changes something; unknown fields are an error (a typo, not a no-op)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class PublicBudgetLine(BudgetLine):
    item: PublicName

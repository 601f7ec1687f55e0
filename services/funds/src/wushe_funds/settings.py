"""Configuration of the funds service."""

from pydantic import Field

from wushe_service.settings import ServiceSettings


class FundsSettings(ServiceSettings):
    funds_two_approver_threshold_fen: int = Field(
        1_000_000,
        ge=0,
        description="a disbursement above this many fen needs two approvers (10,000 yuan)",
    )
    funds_ledger_verify_interval: float = Field(
        3600,
        gt=0,
        description="seconds between sweeps of the funds' ledger chains (also once at "
        "start-up), so that wushe_ledger_broken is set without anyone reading the ledger; a "
        "sweep verifies in full only the ledgers changed since it last found them valid",
    )

"""Configuration of the needs service."""

from pydantic import Field

from wushe_service.settings import PersonalDataSettings


class NeedsSettings(PersonalDataSettings):
    wish_value_cap_fen: int = Field(
        50_000, ge=0, description="the most a micro-wish may be worth, in fen (500 yuan)"
    )
    wish_claim_stale_days: float = Field(
        14, gt=0, description="days without progress after which a claim is released"
    )
    wish_sweep_interval: float = Field(
        60, gt=0, description="seconds between checks for expired wishes and stale claims"
    )
    public_min_count: int = Field(
        3,
        ge=0,
        description="the public needs list shows a count from 1 to this less one only as "
        "fewer than this (small-cell suppression); 0 or 1 shows every count exactly",
    )

"""Configuration of the needs service."""

from pydantic import Field

from wushe_service.settings import PersonalDataSettings, PublicFiguresSettings


class NeedsSettings(PersonalDataSettings, PublicFiguresSettings):
    wish_value_cap_fen: int = Field(
        50_000, ge=0, description="the most a micro-wish may be worth, in fen (500 yuan)"
    )
    wish_claim_stale_days: float = Field(
        14, gt=0, description="days without progress after which a claim is released"
    )
    wish_sweep_interval: float = Field(
        60, gt=0, description="seconds between checks for expired wishes and stale claims"
    )

"""Configuration of the needs service."""

from pydantic import Field, field_validator

from wushe_events.catalogue.base import Name
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
    public_contact: Name | None = Field(
        None,
        description="whom a reader of the public wish board and needs list contacts to become a "
        "volunteer or answer a need, as the office prints it, e.g. 阳明街道社工站 0574-62345678"
        "（周一至周五 8:30-17:00）; one line (default: the community's residents' committee or "
        "social work station, in general words)",
    )

    @field_validator("public_contact", mode="before")
    @classmethod
    def _contact_unset_when_empty(cls, value: object) -> object:
        # docker compose passes an unset optional variable as an empty string.
        return None if isinstance(value, str) and not value.strip() else value

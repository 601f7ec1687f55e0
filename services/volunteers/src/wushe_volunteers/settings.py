"""Configuration of the volunteers service."""

from pydantic import Field, field_validator

from wushe_events.catalogue.base import Title
from wushe_service.settings import PersonalDataSettings


class VolunteersSettings(PersonalDataSettings):
    certificate_issuer: Title | None = Field(
        None,
        description="the issuing organisation printed on certificates, where it is not the "
        "office's name (default: WUSHE_OFFICE_NAME)",
    )

    no_show_limit: int = Field(
        0,
        ge=0,
        description="how many activities a volunteer may miss (signed up, no attendance "
        "recorded a day after the end, where others' was) in 90 days before they sign up for "
        "no more; 0: no limit",
    )

    application_retention_days: int = Field(
        90,
        ge=1,
        le=3650,
        description="days after which an application to become a volunteer that nobody "
        "accepted or declined is closed by itself and the applicant's data shredded",
    )

    join_limit_per_client: int = Field(
        30,
        ge=0,
        description="sign-up forms (志愿者报名, POST /join) one client address may send in "
        "any 60 minutes; more are a 429 until the oldest of them is an hour old (0: no limit)",
    )

    join_limit_per_office: int = Field(
        300,
        ge=0,
        description="sign-up forms the whole office takes in any 60 minutes, from every "
        "address together; more are a 429 until the oldest of them is an hour old (0: no limit)",
    )

    @field_validator("certificate_issuer", mode="before")
    @classmethod
    def _issuer_unset_when_empty(cls, value: object) -> object:
        # docker compose passes an unset optional variable as an empty string.
        return None if isinstance(value, str) and not value.strip() else value

    def issuer(self) -> str:
        return self.certificate_issuer or self.display_name()

    def certificate_prefix(self) -> str:
        return self.office.upper().replace("-", "")

"""Configuration of the volunteers service."""

from pydantic import Field, field_validator

from wushe_events.catalogue.base import Name
from wushe_service.settings import PersonalDataSettings


class VolunteersSettings(PersonalDataSettings):
    office_name: Name | None = Field(
        None,
        max_length=100,
        description="the office's name as people read it, e.g. 余姚市社会工作服务指导中心: the "
        "issuing organisation of certificates and the heading of public pages (default: the "
        "office's volunteer service platform)",
    )
    certificate_issuer: Name | None = Field(
        None,
        max_length=100,
        description="the issuing organisation printed on certificates, where it is not the "
        "office's name (default: WUSHE_OFFICE_NAME)",
    )

    @field_validator("office_name", "certificate_issuer", mode="before")
    @classmethod
    def _unset_when_empty(cls, value: object) -> object:
        # docker compose passes an unset optional variable as an empty string.
        return None if isinstance(value, str) and not value.strip() else value

    def display_name(self) -> str:
        """The office as its public pages name it."""
        return self.office_name or f"{self.office} 五社联动志愿服务平台"

    def issuer(self) -> str:
        return self.certificate_issuer or self.display_name()

    def certificate_prefix(self) -> str:
        return self.office.upper().replace("-", "")

"""Configuration of the volunteers service."""

from pydantic import Field

from wushe_service.settings import PersonalDataSettings


class VolunteersSettings(PersonalDataSettings):
    certificate_issuer: str | None = Field(
        None,
        description="the issuing organisation printed on certificates (default: the "
        "office's volunteer service platform)",
    )

    def issuer(self) -> str:
        return self.certificate_issuer or f"{self.office} 五社联动志愿服务平台"

    def certificate_prefix(self) -> str:
        return self.office.upper().replace("-", "")

"""Configuration of the reporting service."""

from pydantic import Field

from wushe_service.settings import ServiceSettings


class ReportingSettings(ServiceSettings):
    reporting_stream: str | None = Field(
        None,
        description="JetStream stream to project (default: this office's, WUSHE_<OFFICE>;"
        " WUSHE_ALL on a city hub)",
    )
    reporting_subjects: str = Field(
        "wushe.*.>",
        description="subjects of that stream to project (all offices by default)",
    )

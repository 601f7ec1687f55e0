"""Configuration by environment (DESIGN §5): every variable is `WUSHE_<FIELD>`."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from wushe_events.subjects import check_office

DEFAULT_PORTS = {"needs": 8101, "volunteers": 8102, "funds": 8103, "reporting": 8104}


class ConnectionSettings(BaseSettings):
    """What every process of an office reads: who it is and where its servers are."""

    model_config = SettingsConfigDict(env_prefix="WUSHE_", extra="ignore")

    # No default: events stamped with the wrong office would mislead every dashboard.
    office: str = Field(description="this office's id, e.g. yuyao (required)")
    nats_url: str = Field("nats://127.0.0.1:4222", description="NATS server(s), comma-separated")
    database_url: str = Field(
        "postgresql://postgres@127.0.0.1:5432/wushe",
        description="PostgreSQL database; each service uses its own schema in it",
    )
    log_level: str = Field("INFO", description="DEBUG, INFO, WARNING or ERROR")
    log_format: Literal["json", "console"] = Field("json", description="log line format")

    @field_validator("office")
    @classmethod
    def _office(cls, value: str) -> str:
        return check_office(value)


class NatsSettings(BaseSettings):
    """Just the bus: for tools that only read it (`wushe events tail`)."""

    model_config = SettingsConfigDict(env_prefix="WUSHE_", extra="ignore")

    nats_url: str = Field("nats://127.0.0.1:4222", description="NATS server(s), comma-separated")


class ServiceSettings(ConnectionSettings):
    """What every service reads. Subclasses add their own fields (same prefix)."""

    database_schema: str | None = Field(None, description="schema of this service (its name)")
    admin_token: SecretStr | None = Field(None, description="bootstraps an admin token")
    host: str = Field("127.0.0.1", description="address the HTTP server binds")
    port: int | None = Field(None, description="HTTP port (default: the service's own)")

    def schema_for(self, service: str) -> str:
        return self.database_schema or service

    def port_for(self, service: str) -> int:
        return self.port or DEFAULT_PORTS[service]


class PersonalDataSettings(ServiceSettings):
    office_key: SecretStr | None = Field(
        None,
        description="base64 of 32 random bytes: wraps the per-person data keys",
    )

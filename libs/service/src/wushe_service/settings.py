"""Configuration by environment (DESIGN §5): every variable is `WUSHE_<FIELD>`."""

from __future__ import annotations

import ipaddress
from typing import Annotated, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from wushe_events.catalogue.base import Name, Title
from wushe_events.subjects import check_office
from wushe_service.personal_data import Vault, parse_office_key

DEFAULT_PORTS = {"needs": 8101, "volunteers": 8102, "funds": 8103, "reporting": 8104}
# The services whose pages a resident reads without login (public_pages.PAGES).
PUBLIC_SERVICES = ("needs", "volunteers", "funds")


class ConnectionSettings(BaseSettings):
    """What every process of an office reads: who it is and where its servers are."""

    # Errors name the variable, never echo its value: it may be a password or a key.
    model_config = SettingsConfigDict(
        env_prefix="WUSHE_", extra="ignore", hide_input_in_errors=True
    )

    # No default: events stamped with the wrong office would mislead every dashboard.
    office: str = Field(description="this office's id, e.g. yuyao (required)")
    nats_url: str = Field("nats://127.0.0.1:4222", description="NATS server(s), comma-separated")
    database_url: str = Field(
        "postgresql://postgres@127.0.0.1:5432/wushe",
        description="PostgreSQL database; each service uses its own schema in it",
    )
    stream_replicas: int = Field(
        1,
        ge=1,
        le=5,
        description="replicas of the streams a process creates (3 on a three-node NATS cluster);"
        " an existing stream keeps its own",
    )
    log_level: str = Field("INFO", description="DEBUG, INFO, WARNING or ERROR")
    log_format: Literal["json", "console"] = Field("json", description="log line format")

    @field_validator("office")
    @classmethod
    def _office(cls, value: str) -> str:
        return check_office(value)


class NatsSettings(BaseSettings):
    """Just the bus: for tools that only read it (`wushe events tail`)."""

    # Errors name the variable, never echo its value: it may be a password or a key.
    model_config = SettingsConfigDict(
        env_prefix="WUSHE_", extra="ignore", hide_input_in_errors=True
    )

    nats_url: str = Field("nats://127.0.0.1:4222", description="NATS server(s), comma-separated")
    office: str | None = Field(None, description="this office's id, when one is configured")

    @field_validator("office")
    @classmethod
    def _office(cls, value: str | None) -> str | None:
        return None if value is None else check_office(value)


class ServiceSettings(ConnectionSettings):
    """What every service reads. Subclasses add their own fields (same prefix)."""

    database_schema: str | None = Field(None, description="schema of this service (its name)")
    admin_token: SecretStr | None = Field(None, description="bootstraps an admin token")
    host: str = Field("127.0.0.1", description="address the HTTP server binds")
    port: int | None = Field(None, description="HTTP port (default: the service's own)")
    trusted_proxies: str = Field(
        "127.0.0.1",
        description="the reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are "
        "believed, comma-separated addresses or networks (10.0.0.0/8; * alone: any, which lets "
        "any client claim any address — the service warns of it at start): a request from "
        "one of them is taken to come from the address it forwards; from anyone else, the "
        "headers are ignored",
    )
    max_body_bytes: int = Field(
        1024 * 1024,
        ge=1024,
        description="the largest request body a service reads, in bytes; a larger one is "
        "refused (413) as it comes in (the residents import reads its file to its own 5 MB)",
    )
    timezone: str = Field(
        "Asia/Shanghai",
        description="the office's time zone (IANA name): the dates and years on the documents "
        "it issues",
    )

    office_name: Title | None = Field(
        None,
        description="the office's name as people read it, e.g. 余姚市社会工作服务指导中心: the "
        "issuing organisation of certificates and the heading of public pages (default: the "
        "platform with the office's code, 五社联动志愿服务平台（机构编号 yuyao）)",
    )
    # Office contact, not personal data: printed on the HTML pages only, in no event and no
    # JSON answer. Here rather than on one service: every public page a resident reads to take
    # part — the needs' wish board and list, the volunteers' activities, the funds' lists —
    # sends them there.
    public_contact: Name | None = Field(
        None,
        description="whom a reader of the public pages contacts to become a volunteer, "
        "answer a need or apply for a grant, as the office prints it, e.g. 阳明街道社工站 "
        "0574-62345678（周一至周五 8:30-17:00）; one line (default: the community's "
        "residents' committee or social work station, in general words)",
    )

    # Each service knows its own address only; the public navigation between the services'
    # pages (public_pages.nav) needs the others', as the public reaches them: behind the
    # office's proxy, not the address a service binds.
    public_urls: Annotated[dict[str, str], NoDecode] = Field(
        default_factory=dict,
        description="the base URLs of the needs, volunteers and funds services as the public "
        "reaches them, e.g. needs=https://wushe.yuyao.gov.cn/needs,volunteers=https://wushe."
        "yuyao.gov.cn/volunteers,funds=https://wushe.yuyao.gov.cn/funds: every public page "
        "links to the others' (default: each service links only its own pages)",
    )

    @field_validator("office_name", "public_contact", mode="before")
    @classmethod
    def _unset_when_empty(cls, value: object) -> object:
        # docker compose passes an unset optional variable as an empty string.
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("public_urls", mode="before")
    @classmethod
    def _public_urls(cls, value: object) -> object:
        if isinstance(value, dict):
            value = ",".join(f"{service}={url}" for service, url in value.items())
        return parse_public_urls(value) if isinstance(value, str) else value

    def display_name(self) -> str:
        """The office as its public pages name it. Unnamed, the platform's name leads, in the
        reader's words: "yuyao 五社联动志愿服务平台" opened a Chinese heading with a Latin code."""
        return self.office_name or f"五社联动志愿服务平台（机构编号 {self.office}）"

    @field_validator("trusted_proxies")
    @classmethod
    def _trusted_proxies(cls, value: str) -> str:
        # uvicorn trusts anyone for a lone `*` only: in a list it would be a name matching no
        # peer, silently not what the operator wrote.
        value = value.strip()
        for item in value.split(",") if value != "*" else ():
            try:
                ipaddress.ip_network(item.strip(), strict=False)
            except ValueError:
                raise ValueError(
                    "comma-separated IP addresses or networks (10.0.0.0/8), or * alone"
                ) from None
        return value

    def trusted_proxy_networks(self) -> str | list[str]:
        """The trusted proxies as uvicorn's ProxyHeadersMiddleware reads them: `*`, or
        networks. It reads `10.0.0.1/8` (host bits set) strictly, as a name that matches no
        peer; the setting takes it, as `ipaddress` does, for 10.0.0.0/8."""
        if self.trusts_any_proxy():
            return "*"
        return [
            str(ipaddress.ip_network(item.strip(), strict=False))
            for item in self.trusted_proxies.split(",")
        ]

    def trusts_any_proxy(self) -> bool:
        """Whether any client's X-Forwarded-For is believed (`*`): then any client may claim
        any address."""
        return self.trusted_proxies == "*"

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("not an IANA time zone, e.g. Asia/Shanghai") from None
        return value

    def zone(self) -> ZoneInfo:
        """The office's time: the date a certificate bears is the date in the office."""
        return ZoneInfo(self.timezone)

    def schema_for(self, service: str) -> str:
        return self.database_schema or service

    def port_for(self, service: str) -> int:
        return self.port or DEFAULT_PORTS[service]


class PublicFiguresSettings(ServiceSettings):
    """What the services that publish counts about residents to anyone read (the needs'
    public list, the reporting dashboard): one threshold for the office, as a count is as
    small in either."""

    public_min_count: int = Field(
        3,
        ge=0,
        description="the counts about residents that anyone may read (the public needs list, "
        "the reporting figures without a token) show a count from 1 to this less one only as "
        "fewer than this, and round others to a multiple of it (small-cell suppression); 0 or "
        "1 shows every count exactly",
    )


class PersonalDataSettings(ServiceSettings):
    office_key: SecretStr | None = Field(
        None,
        description="base64 of 32 random bytes: wraps the per-person data keys",
    )
    office_key_previous: SecretStr | None = Field(
        None,
        description="comma-separated office keys used before: read, never sealed with, until "
        "`wushe keys rotate` has re-wrapped everything",
    )

    @field_validator("office_key", "office_key_previous")
    @classmethod
    def _keys(cls, value: SecretStr | None) -> SecretStr | None:
        for key in _keys(value):
            parse_office_key(key)  # a ValueError names the variable, never the key
        return value

    def vault(self) -> Vault:
        if self.office_key is None:
            raise SystemExit("WUSHE_OFFICE_KEY is required: it protects personal data")
        return Vault(
            parse_office_key(self.office_key.get_secret_value()),
            [parse_office_key(key) for key in _keys(self.office_key_previous)],
        )


def parse_public_urls(value: str) -> dict[str, str]:
    """`needs=https://…,funds=https://…` as {service: base URL without its trailing slash};
    a ValueError names the part that is wrong. Empty is none."""
    urls = {}
    for part in (p.strip() for p in value.split(",")):
        if not part:
            continue
        service, equals, url = (s.strip() for s in part.partition("="))
        if not equals or service not in PUBLIC_SERVICES:
            raise ValueError(
                f"{part!r} is not service=URL, the service one of {', '.join(PUBLIC_SERVICES)}"
            )
        address = urlsplit(url)
        if address.scheme not in ("http", "https") or not address.netloc:
            raise ValueError(f"{service}'s URL {url!r} is not an http(s) address")
        urls[service] = url.rstrip("/")
    return urls


def _keys(value: SecretStr | None) -> list[str]:
    return [key.strip() for key in (value.get_secret_value() if value else "").split(",") if key]

"""The services of an office, by name: their app factories and settings."""

from __future__ import annotations

from dataclasses import dataclass

from wushe_funds.settings import FundsSettings
from wushe_needs.settings import NeedsSettings
from wushe_reporting.settings import ReportingSettings
from wushe_service.settings import DEFAULT_PORTS, ServiceSettings
from wushe_volunteers.settings import VolunteersSettings


@dataclass(frozen=True)
class Service:
    name: str
    factory: str  # "module:function" for uvicorn
    settings: type[ServiceSettings]
    bus: str  # the module whose `consumers(runtime)` declares its durable consumers

    @property
    def default_port(self) -> int:
        return DEFAULT_PORTS[self.name]


SERVICES = {
    s.name: s
    for s in (
        Service("needs", "wushe_needs.main:create_app", NeedsSettings, "wushe_needs.bus"),
        Service(
            "volunteers",
            "wushe_volunteers.main:create_app",
            VolunteersSettings,
            "wushe_volunteers.bus",
        ),
        Service("funds", "wushe_funds.main:create_app", FundsSettings, "wushe_funds.bus"),
        Service(
            "reporting", "wushe_reporting.main:create_app", ReportingSettings, "wushe_reporting.bus"
        ),
    )
}

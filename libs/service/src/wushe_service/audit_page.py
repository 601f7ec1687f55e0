"""The page 审计查询 (`GET /audit` opened in a browser): the auditor signs in with their token,
picks a period and filters, and reads the service's read log (查阅记录) and events (操作记录),
page by page, or downloads them as CSV. It holds no data: its script
(`/static/common/audit.js`) calls the audit API with the token."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from wushe_events.catalogue import event_types
from wushe_service import workbench
from wushe_service.audit_words import AGGREGATES, FIELDS, ROLES, event_name, short_type
from wushe_service.personal_data import MIGRATIONS as PERSONAL_DATA
from wushe_service.runtime import Runtime

# What each service's records are about, as the page's heading names the service.
SERVICES = {
    "needs": "需求调研与微心愿",
    "volunteers": "志愿服务",
    "funds": "慈善基金与微创投",
}


def keeps_read_log(runtime: Runtime) -> bool:
    return PERSONAL_DATA in runtime.migrations


def serves(runtime: Runtime) -> bool:
    """A service with something to audit: events of its own, or a read log."""
    return runtime.service in SERVICES or keeps_read_log(runtime)


def page(request: Request) -> HTMLResponse:
    runtime: Runtime = request.app.state.runtime
    settings = runtime.settings
    types = sorted(t for t in event_types() if t.startswith(f"wushe.{runtime.service}."))
    config = {
        "office": settings.display_name(),
        "timezone": settings.timezone,
        "service": runtime.service,
        "service_name": SERVICES.get(runtime.service, runtime.service),
        "reads": keeps_read_log(runtime),
        "types": {short_type(t): event_name(t) for t in types},
        "aggregates": AGGREGATES,
        "roles": ROLES,
        "fields": FIELDS,
    }
    return workbench.page("wushe_service", config, name="audit.html")

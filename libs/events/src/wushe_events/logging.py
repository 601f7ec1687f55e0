"""structlog, configured once per process: JSON lines with office, service and trace ids.

Log ids and counts only; never names, ID numbers, phone numbers or free text.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

import orjson
import structlog


def _dumps(value: Any, default: Any = None) -> str:
    return orjson.dumps(value, default=default).decode()


# The service and office of the last `configure`. Read when a line is logged, not kept in a
# processor made by each call: a logger caches its processors on first use, and would stamp
# its lines with the first service and office configured in the process for good (in the
# tests, a service started by an earlier test, or another office).
_static: dict[str, str] = {}


def _add_static(_logger: Any, _name: str, event: dict[str, Any]) -> dict[str, Any]:
    for key, value in _static.items():
        event.setdefault(key, value)
    return event


def configure(
    service: str, office: str | None = None, *, level: str = "INFO", json: bool = True
) -> None:
    """Route structlog and the standard library's loggers (uvicorn, nats) to one stream."""
    _static.clear()
    _static["service"] = service
    if office:
        _static["office"] = office
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _add_static,
    ]
    renderer: Any = (
        structlog.processors.JSONRenderer(serializer=_dumps)
        if json
        else structlog.dev.ConsoleRenderer()
    )
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                renderer,
            ],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    # uvicorn's access log prints the request line as sent, query string and all, where a
    # mistyped request may carry a phone number or a name: the services log each request by
    # its route instead (wushe_service.app.TraceMiddleware).
    access = logging.getLogger("uvicorn.access")
    access.handlers[:] = []
    access.propagate = False

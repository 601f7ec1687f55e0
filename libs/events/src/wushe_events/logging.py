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


def configure(
    service: str, office: str | None = None, *, level: str = "INFO", json: bool = True
) -> None:
    """Route structlog and the standard library's loggers (uvicorn, nats) to one stream."""
    static: dict[str, str] = {"service": service}
    if office:
        static["office"] = office

    def add_static(_logger: Any, _name: str, event: dict[str, Any]) -> dict[str, Any]:
        for key, value in static.items():
            event.setdefault(key, value)
        return event

    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        add_static,
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

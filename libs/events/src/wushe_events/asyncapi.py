"""The AsyncAPI 3.0 document of the events on the bus, generated from the catalogue.

Written by hand rather than by FastStream: FastStream documents the subscribers and publishers
an app declares, without message headers or the CloudEvents envelope; this document is the
public contract itself — every subject with its office parameter, the envelope, the
`Nats-Msg-Id` header and each event type's payload schema. `wushe asyncapi` writes it; every
service serves its own part at `/asyncapi`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from wushe_events.catalogue import event_types
from wushe_events.envelope import CONTENT_TYPE
from wushe_events.schemas import envelope_schema, schema_of
from wushe_events.subjects import OFFICE_PATTERN

PUBLISHED = Path(__file__).resolve().parents[4] / "asyncapi.json"


def _key(event_type: str) -> str:
    """`wushe.needs.wish.claimed.v1` → `needs.wish.claimed.v1`."""
    return event_type.removeprefix("wushe.")


def _lift(schema: dict[str, Any], shared: dict[str, Any]) -> dict[str, Any]:
    """Move a JSON Schema's `$defs` into the document's shared schemas: in AsyncAPI a `$ref`
    resolves against the whole document, not the schema it sits in."""
    for name, definition in schema.pop("$defs", {}).items():
        shared.setdefault(name, _relinked(definition))
    schema.pop("$schema", None)
    schema.pop("$id", None)  # a base URI would re-anchor the `#/components/...` references
    return _relinked(schema)


def _relinked(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            k: (v.replace("#/$defs/", "#/components/schemas/") if k == "$ref" else _relinked(v))
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_relinked(item) for item in node]
    return node


def _message(event_type: str) -> dict[str, Any]:
    model = event_types()[event_type]
    envelope = envelope_schema()
    envelope.pop("$schema", None)
    envelope.pop("$id", None)
    payload = {
        **envelope,
        "title": f"{event_type} in its CloudEvents envelope",
        "properties": {
            **envelope["properties"],
            "type": {"const": event_type, "type": "string"},
            "data": {"$ref": f"#/components/schemas/{_key(event_type)}"},
        },
    }
    return {
        "name": _key(event_type),
        "title": event_type,
        "summary": (model.__doc__ or "").strip().split("\n")[0] or event_type,
        "contentType": CONTENT_TYPE,
        "headers": {
            "type": "object",
            "required": ["Nats-Msg-Id", "Content-Type"],  # the relay has always set both
            "properties": {
                "Nats-Msg-Id": {
                    "type": "string",
                    "format": "uuid",
                    "description": "the event's id: JetStream drops a re-publish",
                },
                "Content-Type": {"type": "string", "const": CONTENT_TYPE},
            },
        },
        "payload": payload,
    }


def document(services: set[str] | None = None, *, action: str = "send") -> dict[str, Any]:
    """The document for the events of `services` (all when None); `action` is `send` for the
    producers' documents and `receive` for a consumer's (reporting)."""
    types = [t for t in event_types() if services is None or t.split(".")[1] in services]
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for event_type in types:
        key = _key(event_type)
        _, service, aggregate, event, _version = event_type.split(".")
        channels[key] = {
            "address": f"wushe.{{office}}.{service}.{aggregate}.{event}",
            "parameters": {"office": {"$ref": "#/components/parameters/office"}},
            "messages": {key: {"$ref": f"#/components/messages/{key}"}},
        }
        operations[key] = {
            "action": action,
            "channel": {"$ref": f"#/channels/{key}"},
            "messages": [{"$ref": f"#/channels/{key}/messages/{key}"}],
        }
        messages[key] = _message(event_type)
        schemas[key] = _lift(schema_of(event_type), schemas)
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Wushe (五社联动) events",
            "version": "1.0.0",
            "description": (
                "The facts the services of a county social work office publish: needs "
                "surveys, micro-wishes, volunteers and service hours, charity funds and "
                "micro-venture grants. One JetStream stream per office, `WUSHE_<OFFICE>`; on "
                "a city hub, `WUSHE_ALL`. Every message is one CloudEvents 1.0 document "
                "(structured JSON mode); within a type's version fields are only added. "
                "Consumers de-duplicate on the envelope's `id` (delivery is at least once)."
            ),
        },
        "defaultContentType": CONTENT_TYPE,
        "servers": {
            "office": {
                "host": "{host}:4222",
                "protocol": "nats",
                "description": "an office's NATS server (JetStream)",
                "variables": {
                    "host": {
                        "default": "nats",
                        "description": "`nats` inside the office's compose network; the "
                        "office server's address on its intranet",
                    }
                },
            }
        },
        "channels": channels,
        "operations": operations,
        "components": {
            "parameters": {
                "office": {
                    "description": f"the office id ({OFFICE_PATTERN})",
                    "examples": ["yuyao", "weifang"],
                }
            },
            "messages": messages,
            "schemas": schemas,
        },
    }


def render(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n"

"""JSON Schema of every event type, generated from the catalogue models.

`python -m wushe_events.schemas [folder]` writes them (default `libs/events/schemas/`); a test
fails when a model changes without its checked-in schema.
"""

import json
import sys
from pathlib import Path
from typing import Any

from wushe_events.catalogue import event_types
from wushe_events.envelope import Envelope

DEFAULT_FOLDER = Path(__file__).resolve().parents[2] / "schemas"


def schema_of(event_type: str) -> dict[str, Any]:
    model = event_types()[event_type]
    schema = model.model_json_schema(mode="serialization")
    required = schema.setdefault("required", [])
    required += [field for field in model.always_present if field not in required]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://wushe.example/schemas/{event_type}.json",
        **schema,
        "title": event_type,
        "description": (model.__doc__ or "").strip() or f"data of {event_type} events",
    }


def envelope_schema() -> dict[str, Any]:
    schema = Envelope.model_json_schema(mode="serialization")
    # CloudEvents requires `specversion`, and every envelope published carries both it and
    # `datacontenttype` (their defaults would otherwise leave them optional here).
    schema["required"] = ["specversion", *schema["required"], "datacontenttype"]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://wushe.example/schemas/envelope.json",
        **schema,
        "title": "Wushe CloudEvents 1.0 envelope (structured JSON mode)",
    }


def documents() -> dict[str, dict[str, Any]]:
    """File name → JSON Schema, for every event type and the envelope."""
    docs = {f"{event_type}.json": schema_of(event_type) for event_type in event_types()}
    return {"envelope.json": envelope_schema(), **docs}


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write(folder: Path = DEFAULT_FOLDER) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in documents().items():
        path = folder / name
        path.write_text(render(schema), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_FOLDER):
        print(path)

"""The AsyncAPI document: valid AsyncAPI 3.0, complete, and the published copy up to date."""

import json
from pathlib import Path

import jsonschema

from wushe_events.asyncapi import PUBLISHED, document, render
from wushe_events.catalogue import event_types
from wushe_events.subjects import event_subject

# The official JSON Schema of AsyncAPI 3.0.0, from the npm package @asyncapi/specs 6.11.1
# (Apache-2.0), kept here so that the check runs offline.
SPEC = Path(__file__).with_name("asyncapi-3.0.0.schema.json")


def test_the_document_is_valid_asyncapi_3():
    validator = jsonschema.Draft7Validator(json.loads(SPEC.read_text(encoding="utf-8")))
    errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(document())]
    assert errors == []


def test_every_event_type_has_its_channel_on_the_contract_subject():
    doc = document()
    assert len(doc["channels"]) == len(event_types())
    for event_type in event_types():
        channel = doc["channels"][event_type.removeprefix("wushe.")]
        assert channel["address"].replace("{office}", "yuyao") == event_subject("yuyao", event_type)
        message = doc["components"]["messages"][event_type.removeprefix("wushe.")]
        assert message["payload"]["properties"]["type"]["const"] == event_type
        assert "Nats-Msg-Id" in message["headers"]["required"]


def test_every_reference_resolves():
    doc = document()
    text = json.dumps(doc)
    for ref in {part.split('"')[0] for part in text.split('"$ref": "')[1:]}:
        node = doc
        for token in ref.removeprefix("#/").split("/"):
            node = node[token]
        assert node, ref


def test_a_service_documents_its_own_events():
    needs = document({"needs"})
    assert needs["channels"]
    assert all(key.startswith("needs.") for key in needs["channels"])
    assert {op["action"] for op in document(action="receive")["operations"].values()} == {"receive"}


def test_the_published_document_is_up_to_date():
    """Regenerate with `wushe asyncapi --output asyncapi.json` after changing the catalogue."""
    assert PUBLISHED.read_text(encoding="utf-8") == render(document())

"""The AsyncAPI document's message headers are those the relay sets on every message."""

from uuid import uuid4

import jsonschema
import pytest

from wushe_events.asyncapi import document
from wushe_events.envelope import headers


def test_every_message_requires_the_headers_the_relay_always_sets():
    sent = headers(uuid4())
    for name, message in document()["components"]["messages"].items():
        schema = message["headers"]
        assert set(schema["required"]) == set(sent), name
        jsonschema.validate(sent, schema)


def test_a_message_without_its_content_type_does_not_match():
    message = next(iter(document()["components"]["messages"].values()))
    sent = headers(uuid4())
    del sent["Content-Type"]
    with pytest.raises(jsonschema.ValidationError, match="Content-Type"):
        jsonschema.validate(sent, message["headers"])

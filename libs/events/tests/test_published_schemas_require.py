"""The published JSON Schemas require what the contract requires and every message carries."""

import json
from datetime import UTC, datetime
from uuid import uuid4

import jsonschema
import pytest

from wushe_events.envelope import Envelope
from wushe_events.schemas import envelope_schema, schema_of


def envelope_body() -> dict[str, object]:
    envelope = Envelope(
        id=uuid4(),
        source="/offices/yuyao/needs",
        type="wushe.needs.community.registered.v1",
        subject="community/fengshan",
        time=datetime(2026, 11, 28, tzinfo=UTC),
        data={"community_id": "fengshan", "name": "丰山社区", "street": "阳明街道"},
        office="yuyao",
        streamversion=1,
    )
    return json.loads(envelope.to_json())


class TestEventSchemas:
    @pytest.mark.parametrize(
        ("event_type", "field"),
        [
            ("wushe.needs.survey.recorded.v1", "needs"),
            ("wushe.volunteers.volunteer.registered.v1", "skills"),
        ],
    )
    def test_a_list_the_contract_requires_is_required_though_it_may_be_empty(
        self, event_type, field
    ):
        assert field in schema_of(event_type)["required"]

    def test_a_volunteer_registered_without_skills_does_not_match_its_schema(self):
        data = {
            "volunteer_id": str(uuid4()),
            "community_id": "fengshan",
            "certification": "none",
        }
        schema = schema_of("wushe.volunteers.volunteer.registered.v1")
        jsonschema.validate({**data, "skills": []}, schema)
        with pytest.raises(jsonschema.ValidationError, match="skills"):
            jsonschema.validate(data, schema)


class TestEnvelopeSchema:
    def test_an_envelope_as_published_matches_it(self):
        jsonschema.validate(envelope_body(), envelope_schema())

    @pytest.mark.parametrize("attribute", ["specversion", "datacontenttype"])
    def test_an_envelope_without_an_attribute_every_message_carries_does_not(self, attribute):
        body = envelope_body()
        del body[attribute]
        with pytest.raises(jsonschema.ValidationError, match=attribute):
            jsonschema.validate(body, envelope_schema())

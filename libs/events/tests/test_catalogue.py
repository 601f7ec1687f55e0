"""The catalogue and the envelope: contract types, required fields, checked-in schemas."""

import json
import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from uuid import uuid4

import pytest
from pydantic import TypeAdapter, ValidationError

from wushe_events.catalogue import UtcDatetime, decode, event_types
from wushe_events.catalogue.base import Name
from wushe_events.catalogue.needs import (
    CommunityRegistered,
    Dimensions,
    SurveyRecorded,
    WishClaimed,
)
from wushe_events.envelope import Envelope, InvalidEnvelope, parse
from wushe_events.schemas import DEFAULT_FOLDER, documents, render
from wushe_events.subjects import (
    TYPE_PATTERN,
    InvalidName,
    check_office,
    event_subject,
    stream_name,
)

# DESIGN §4, the catalogue's required data fields, verbatim.
CONTRACT = {
    "needs.community.registered": "community_id, name, street",
    "needs.resident.registered": "resident_id, community_id, groups, age_band",
    "needs.resident.erased": "resident_id",
    "needs.survey.recorded": "survey_id, resident_id, community_id, method, surveyed_at, "
    "dimensions, needs",
    "needs.need.resolved": "need_id, community_id, resolution",
    "needs.wish.posted": "wish_id, community_id, resident_id, category, title, "
    "estimated_value_fen, deadline",
    "needs.wish.claimed": "wish_id, community_id, claimant_id, claimant_kind",
    "needs.wish.released": "wish_id, community_id",
    "needs.wish.fulfilled": "wish_id, community_id",
    "needs.wish.confirmed": "wish_id, community_id",
    "needs.wish.cancelled": "wish_id, community_id",
    "needs.wish.expired": "wish_id, community_id",
    "volunteers.volunteer.registered": "volunteer_id, community_id, skills, certification",
    "volunteers.team.registered": "team_id, kind, name",
    "volunteers.pairing.established": "pairing_id, university_team_id, social_org_team_id, "
    "community_id",
    "volunteers.site.registered": "site_id, kind, name, community_id",
    "volunteers.activity.scheduled": "activity_id, team_id, community_id, title, starts_at, "
    "ends_at, capacity",
    "volunteers.hours.recorded": "record_id, volunteer_id, hours, source, source_id",
    "volunteers.hours.verified": "record_id, volunteer_id, hours, source, source_id",
    "funds.fund.opened": "fund_id, community_id, name",
    "funds.donation.received": "donation_id, fund_id, amount_fen, donor_kind, donor_display",
    "funds.round.opened": "round_id, fund_id, budget_fen, themes, closes_at",
    "funds.application.submitted": "application_id, round_id, team_id, community_id, title, "
    "requested_fen",
    "funds.application.reviewed": "application_id, reviewer_id, score",
    "funds.application.approved": "application_id, approved_fen",
    "funds.application.rejected": "application_id",
    "funds.grant.disbursed": "disbursement_id, application_id, fund_id, amount_fen",
    "funds.expense.reported": "expense_id, application_id, amount_fen, category, receipt_sha256",
    "funds.project.completed": "application_id, beneficiaries, activities",
}


class TestCatalogue:
    def test_every_contract_type_has_a_model(self):
        assert {f"wushe.{name}.v1" for name in CONTRACT} <= set(event_types())

    def test_every_type_follows_the_naming_of_the_contract(self):
        for event_type, model in event_types().items():
            assert re.fullmatch(TYPE_PATTERN, event_type)
            assert event_type.split(".")[1] in {"needs", "volunteers", "funds"}
            assert model.id_field in model.model_fields

    @pytest.mark.parametrize(("name", "fields"), CONTRACT.items())
    def test_every_required_field_of_the_contract_is_in_the_model(self, name, fields):
        model = event_types()[f"wushe.{name}.v1"]
        assert {f.strip() for f in fields.split(",")} <= set(model.model_fields)

    def test_no_model_carries_personal_data_fields(self):
        personal = {
            "name_of_resident",
            "id_number",
            "phone",
            "address",
            "notes",
            "birth_year",
            "birth_date",
        }
        for model in event_types().values():
            assert not personal & set(model.model_fields), model.type

    def test_levels_out_of_range_are_refused(self):
        with pytest.raises(ValidationError, match="physical"):
            Dimensions(physical=4, psychological=0, material=0, spiritual=0)

    def test_times_are_normalised_to_utc(self):
        beijing = timezone(timedelta(hours=8))
        survey = SurveyRecorded(
            survey_id=uuid4(),
            resident_id=uuid4(),
            community_id="fengshan",
            method="home_visit",
            surveyed_at=datetime(2026, 11, 28, 9, 0, tzinfo=beijing),
            dimensions=Dimensions(physical=1, psychological=2, material=0, spiritual=3),
        )
        assert survey.surveyed_at == datetime(2026, 11, 28, 1, 0, tzinfo=UTC)
        assert survey.payload()["surveyed_at"].endswith("Z")

    def test_naive_times_are_refused(self):
        with pytest.raises(ValidationError, match="surveyed_at"):
            SurveyRecorded(
                survey_id=uuid4(),
                resident_id=uuid4(),
                community_id="fengshan",
                method="home_visit",
                surveyed_at=datetime(2026, 11, 28, 9, 0),
                dimensions=Dimensions(physical=1, psychological=2, material=0, spiritual=3),
            )


class TestSchemas:
    def test_the_checked_in_schemas_match_the_models(self):
        """Regenerate with `uv run python -m wushe_events.schemas` after changing a model."""
        on_disk = {p.name: p.read_text(encoding="utf-8") for p in DEFAULT_FOLDER.glob("*.json")}
        generated = {name: render(schema) for name, schema in documents().items()}
        assert set(on_disk) == set(generated)
        for name, text in generated.items():
            assert on_disk[name] == text, f"{name} is stale"

    def test_schemas_are_valid_json_schema(self):
        import jsonschema

        for name in documents():
            schema = json.loads((DEFAULT_FOLDER / name).read_text(encoding="utf-8"))
            jsonschema.Draft202012Validator.check_schema(schema)
        assert Path(DEFAULT_FOLDER).name == "schemas"


class TestSubjects:
    def test_subjects_and_streams_follow_the_contract(self):
        assert event_subject("yuyao", "wushe.needs.survey.recorded.v1") == (
            "wushe.yuyao.needs.survey.recorded"
        )
        assert stream_name("suzhou-fengqiao") == "WUSHE_SUZHOU_FENGQIAO"

    @pytest.mark.parametrize("office", ["Yuyao", "1yuyao", "y", "yu.yao", "a" * 33, "yu_yao"])
    def test_bad_office_ids_are_refused(self, office):
        with pytest.raises(InvalidName):
            check_office(office)


class TestEnvelope:
    def envelope(self) -> Envelope:
        return Envelope(
            id=uuid4(),
            source="/offices/yuyao/needs",
            type="wushe.needs.community.registered.v1",
            subject="community/fengshan",
            time=datetime(2026, 11, 28, tzinfo=UTC),
            data={"community_id": "fengshan", "name": "丰山社区", "street": "阳明街道"},
            office="yuyao",
            streamversion=1,
            correlationid="c1",
        )

    def test_it_round_trips_through_json(self):
        envelope = self.envelope()
        assert parse(envelope.to_json()) == envelope

    def test_it_is_structured_mode_cloudevents_json(self):
        body = json.loads(self.envelope().to_json())
        assert body["specversion"] == "1.0"
        assert body["datacontenttype"] == "application/json"
        assert body["time"] == "2026-11-28T00:00:00Z"
        assert isinstance(body["streamversion"], int)
        assert "causationid" not in body  # absent rather than null
        assert re.fullmatch(r"[0-9a-f-]{36}", body["id"])

    @pytest.mark.parametrize(
        "change",
        [
            {"specversion": "0.3"},
            {"type": "needs.community.registered"},
            {"office": "Yuyao"},
            {"streamversion": 0},
            {"time": "yesterday"},
        ],
    )
    def test_invalid_envelopes_are_refused_naming_the_attribute(self, change):
        body = {**json.loads(self.envelope().to_json()), **change}
        with pytest.raises(InvalidEnvelope, match=next(iter(change))):
            parse(json.dumps(body))

    def test_malformed_json_is_refused(self):
        with pytest.raises(InvalidEnvelope):
            parse(b"{not json")

    def test_the_payload_decodes_to_its_catalogue_model(self):
        assert self.envelope().event().community_id == "fengshan"


class TestNamesAndTimes:
    """What commands must meet, and what events take as recorded."""

    names = TypeAdapter(Name)

    def test_a_name_loses_the_spaces_around_it_and_is_never_blank(self):
        assert self.names.validate_python("  丰山社区 ") == "丰山社区"
        for blank in ("", "   ", "\t"):
            with pytest.raises(ValidationError):
                self.names.validate_python(blank)

    def test_a_name_is_one_line_without_control_characters(self):
        for bad in ("丰山\n社区", "丰山\u0000社区", "丰山\x7f"):
            with pytest.raises(ValidationError, match="control characters"):
                self.names.validate_python(bad)

    def test_an_event_takes_a_name_as_it_was_recorded(self):
        """Names recorded under older rules replay, and can be copied into new events."""
        recorded = {"community_id": "fengshan", "name": " 丰山\t社区", "street": "阳明街道"}
        assert decode(CommunityRegistered.type, recorded).name == " 丰山\t社区"
        claimed = WishClaimed(
            wish_id=uuid4(), community_id="fengshan", claimant_kind="volunteer",
            claimant_id=uuid4(), claimant_display="李\n志愿者",
        )  # fmt: skip
        assert claimed.claimant_display == "李\n志愿者"

    def test_a_time_beyond_what_utc_can_hold_is_refused_not_crashed(self):
        moments = TypeAdapter(UtcDatetime)
        assert moments.validate_python("2026-12-04T08:00:00+08:00").tzinfo == UTC
        with pytest.raises(ValidationError, match="out of range"):
            moments.validate_python("9999-12-31T23:00:00-05:00")

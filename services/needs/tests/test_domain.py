"""The needs aggregates' rules, pure and fast."""

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from wushe_events.aggregate import fold
from wushe_events.catalogue.needs import (
    AgeBand,
    CommunityRegistered,
    Dimensions,
    ResidentErased,
    ResidentRegistered,
    SurveyRecorded,
)
from wushe_events.errors import InvalidReference, RuleBroken
from wushe_needs import domain

FENGSHAN = domain.Community("fengshan", "丰山社区", "阳明街道")
LEVELS = Dimensions(physical=1, psychological=2, material=3, spiritual=0)


class TestRegisterCommunity:
    def test_a_new_community_is_registered(self):
        assert domain.register_community(None, "fengshan", "丰山社区", "阳明街道") == [
            CommunityRegistered(community_id="fengshan", name="丰山社区", street="阳明街道")
        ]

    def test_a_community_cannot_be_registered_twice(self):
        with pytest.raises(RuleBroken, match="already registered"):
            domain.register_community(FENGSHAN, "fengshan", "丰山社区", "阳明街道")


class TestRegisterResident:
    def test_the_event_carries_an_age_band_not_the_birth_year(self):
        rid = uuid4()
        [event] = domain.register_resident(
            FENGSHAN, rid, "fengshan", ["elderly_alone", "dibao", "dibao"], 1940, 2026
        )
        assert event == ResidentRegistered(
            resident_id=rid,
            community_id="fengshan",
            groups=["dibao", "elderly_alone"],
            age_band=AgeBand.age_80_plus,
        )
        assert "birth_year" not in event.payload()

    def test_the_community_must_be_registered(self):
        with pytest.raises(InvalidReference) as error:
            domain.register_resident(None, uuid4(), "nowhere", ["elderly"], 1950, 2026)
        assert error.value.field == "community_id"

    def test_a_birth_year_in_the_future_is_refused(self):
        with pytest.raises(InvalidReference, match="future"):
            domain.register_resident(FENGSHAN, uuid4(), "fengshan", ["child"], 2030, 2026)

    @pytest.mark.parametrize(
        ("born", "band"),
        [
            (2013, AgeBand.under_14),
            (2012, AgeBand.age_14_17),
            (2008, AgeBand.age_18_59),
            (1967, AgeBand.age_18_59),
            (1966, AgeBand.age_60_69),
            (1956, AgeBand.age_70_79),
            (1946, AgeBand.age_80_plus),
        ],
    )
    def test_age_bands(self, born, band):
        assert domain.age_band(born, 2026) == band


class TestRecordSurvey:
    def test_a_survey_is_recorded_in_the_residents_community(self):
        resident = domain.Resident(uuid4(), "fengshan", ("elderly",), AgeBand.age_70_79)
        sid = uuid4()
        when = datetime(2026, 11, 28, tzinfo=UTC)
        [event] = domain.record_survey(
            resident, resident.resident_id, sid, "home_visit", when, LEVELS, [], "worker-1"
        )
        assert isinstance(event, SurveyRecorded)
        assert (event.community_id, event.survey_id, event.dimensions) == ("fengshan", sid, LEVELS)

    def test_the_resident_must_be_registered(self):
        with pytest.raises(InvalidReference) as error:
            domain.record_survey(
                None, uuid4(), uuid4(), "phone", datetime.now(UTC), LEVELS, [], None
            )
        assert error.value.field == "resident_id"


class TestFolds:
    def test_an_erased_resident_keeps_its_pseudonymous_facts(self):
        rid = uuid4()
        resident = fold(
            domain.evolve_resident,
            [
                ResidentRegistered(
                    resident_id=rid, community_id="fengshan", groups=["veteran"], age_band="60_69"
                ),
                ResidentErased(resident_id=rid, community_id="fengshan"),
            ],
        )
        assert resident == domain.Resident(
            rid, "fengshan", ("veteran",), AgeBand.age_60_69, erased=True
        )

    def test_an_event_of_another_aggregate_does_not_apply(self):
        with pytest.raises(TypeError):
            domain.evolve_community(None, ResidentErased(resident_id=uuid4()))

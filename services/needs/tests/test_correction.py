"""Correcting a resident's record, and the needs and wishes that move with them (pure)."""

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest

from wushe_events.aggregate import fold
from wushe_events.catalogue.needs import (
    AgeBand,
    NeedIdentified,
    NeedMoved,
    NeedResolved,
    ResidentMoved,
    ResidentUpdated,
    WishMoved,
    WishPosted,
)
from wushe_events.errors import InvalidReference, NotFound, RuleBroken
from wushe_needs.domain import community, need, resident, wish
from wushe_needs.domain.correction import Correction, correct

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
JIANGBIN = community.Community("jiangbin", "江滨社区", "兰江街道")


def a_resident(band: AgeBand = AgeBand.age_70_79, **changes) -> resident.Resident:
    return resident.Resident(uuid4(), "fengshan", ("elderly",), band, **changes)


def guarded(person: resident.Resident) -> resident.Resident:
    """With a guardian's consent to keep personal data."""
    given = resident.grant_consent(
        person, person.resident_id, "personal_data", "guardian", NOW, None
    )
    return fold(resident.evolve, given, person)


class TestCorrectResident:
    def test_new_groups_are_published_with_the_resident_as_they_stand(self):
        person = a_resident()
        [updated] = correct(person, person.resident_id, Correction(groups=("elderly_alone",)), NOW)
        assert updated == ResidentUpdated(
            resident_id=person.resident_id,
            community_id="fengshan",
            groups=["elderly_alone"],
            age_band=AgeBand.age_70_79,
            changed=["groups"],
        )
        assert fold(resident.evolve, [updated], person).groups == ("elderly_alone",)

    def test_personal_data_changed_is_named_never_given(self):
        person = a_resident()
        fix = Correction(personal=("phone", "name"))
        [updated] = correct(person, person.resident_id, fix, NOW)
        assert updated.changed == ["name", "phone"]  # in the catalogue's order
        assert (updated.groups, updated.age_band) == (["elderly"], AgeBand.age_70_79)

    def test_the_same_values_again_change_nothing(self):
        person = a_resident()
        fix = Correction(groups=("elderly", "elderly"), community_id="fengshan")
        assert correct(person, person.resident_id, fix, NOW) == []

    def test_a_corrected_birth_gives_the_age_band_of_today(self):
        person = a_resident()
        fix = Correction(personal=("birth_year",), birth=resident.Birth(1940), birth_changed=True)
        [updated] = correct(person, person.resident_id, fix, NOW)
        assert (updated.age_band, updated.changed) == (AgeBand.age_80_plus, ["birth_year"])

    @pytest.mark.parametrize("born", [resident.Birth(2027), resident.Birth(1900)])
    def test_a_birth_in_the_future_or_too_long_ago_is_refused(self, born):
        person = a_resident()
        fix = Correction(personal=("birth_year",), birth=born, birth_changed=True)
        with pytest.raises(InvalidReference) as refused:
            correct(person, person.resident_id, fix, NOW)
        assert refused.value.field == "birth_year"

    def test_a_birth_after_the_first_survey_is_refused_without_giving_the_dates(self):
        person = guarded(a_resident())
        fix = Correction(
            personal=("birth_year",),
            birth=resident.Birth(2018, date(2018, 5, 20)),
            birth_changed=True,
            first_surveyed=datetime(2017, 3, 1, tzinfo=UTC),
        )
        with pytest.raises(InvalidReference, match="surveyed before that birth") as refused:
            correct(person, person.resident_id, fix, NOW)
        assert refused.value.field == "birth_year"
        assert not any(year in str(refused.value) for year in ("2017", "2018"))

    def test_personal_data_of_a_child_under_14_needs_a_guardians_consent(self):
        child = a_resident()  # registered as an adult: the birth year was wrong
        fix = Correction(
            groups=("child",),
            personal=("birth_year",),
            birth=resident.Birth(2016),
            birth_changed=True,
        )
        with pytest.raises(RuleBroken) as refused:
            correct(child, child.resident_id, fix, NOW)
        assert refused.value.rule == "guardian_consent_required"
        [updated] = correct(guarded(child), child.resident_id, fix, NOW)
        assert updated.age_band is AgeBand.under_14

    def test_new_groups_or_a_new_birth_must_fit_each_other(self):
        person = a_resident()  # elderly, 70-79
        with pytest.raises(InvalidReference, match="under 18") as refused:
            correct(
                person,
                person.resident_id,
                Correction(groups=("child",), birth=resident.Birth(1950)),
                NOW,
            )
        assert refused.value.field == "groups"
        younger = Correction(
            personal=("birth_year",), birth=resident.Birth(1990), birth_changed=True
        )
        with pytest.raises(InvalidReference, match="60 or over"):
            correct(person, person.resident_id, younger, NOW)

    def test_a_child_who_grew_up_keeps_other_fields_correctable(self):
        grown = resident.Resident(uuid4(), "fengshan", ("left_behind_child",), AgeBand.age_14_17)
        fix = Correction(personal=("phone",), birth=resident.Birth(2008))
        [updated] = correct(grown, grown.resident_id, fix, NOW)
        assert updated.changed == ["phone"]

    def test_groups_of_a_child_need_no_consent_as_no_personal_data_is_stored(self):
        child = a_resident(AgeBand.under_14)
        fix = Correction(groups=("left_behind_child",), birth=resident.Birth(2016))
        assert correct(child, child.resident_id, fix, NOW)

    def test_without_consent_to_keep_personal_data_none_is_stored(self):
        person = a_resident(withdrawn={"personal_data": NOW - timedelta(days=1)})
        with pytest.raises(RuleBroken) as refused:
            correct(person, person.resident_id, Correction(personal=("phone",)), NOW)
        assert refused.value.rule == "consent_withdrawn"

    def test_an_erased_or_unknown_resident_is_not_corrected(self):
        erased = a_resident(erased=True)
        with pytest.raises(RuleBroken) as refused:
            correct(erased, erased.resident_id, Correction(groups=("other",)), NOW)
        assert refused.value.rule == "resident_erased"
        with pytest.raises(NotFound):
            correct(None, uuid4(), Correction(groups=("other",)), NOW)

    def test_a_move_names_both_communities_after_what_else_changed(self):
        person = a_resident()
        fix = Correction(
            groups=("elderly_alone",),
            community_id="jiangbin",
            community=JIANGBIN,
            personal=("address",),
        )
        updated, moved = correct(person, person.resident_id, fix, NOW)
        assert (updated.community_id, updated.changed) == ("fengshan", ["groups", "address"])
        assert moved == ResidentMoved(
            resident_id=person.resident_id,
            community_id="jiangbin",
            from_community_id="fengshan",
            groups=["elderly_alone"],
            age_band=AgeBand.age_70_79,
        )
        assert fold(resident.evolve, [updated, moved], person).community_id == "jiangbin"

    def test_a_move_to_an_unregistered_community_is_refused(self):
        person = a_resident()
        with pytest.raises(InvalidReference) as refused:
            correct(person, person.resident_id, Correction(community_id="nowhere"), NOW)
        assert refused.value.field == "community_id"


def identified(need_id, resident_id):
    return NeedIdentified(
        need_id=need_id,
        community_id="fengshan",
        resident_id=resident_id,
        survey_id=uuid4(),
        category="meal-delivery",
        dimension="material",
        urgency="high",
    )


class TestMovingNeedsAndWishes:
    def test_an_open_need_moves_to_the_new_communitys_list(self):
        need_id, resident_id = uuid4(), uuid4()
        listed = fold(need.evolve, [identified(need_id, resident_id)])
        [moved] = need.move(listed, need_id, "jiangbin")
        assert moved == NeedMoved(
            need_id=need_id,
            community_id="jiangbin",
            from_community_id="fengshan",
            resident_id=resident_id,
        )
        assert fold(need.evolve, [moved], listed).community_id == "jiangbin"
        assert need.move(fold(need.evolve, [moved], listed), need_id, "jiangbin") == []

    def test_a_resolved_need_stays_where_it_was_dealt_with(self):
        need_id = uuid4()
        resolved = NeedResolved(
            need_id=need_id, community_id="fengshan", resolution="resolved", reason="done"
        )
        listed = fold(need.evolve, [identified(need_id, uuid4()), resolved])
        assert need.move(listed, need_id, "jiangbin") == []
        with pytest.raises(NotFound):
            need.move(None, need_id, "jiangbin")

    def test_a_live_wish_moves_to_the_new_board_and_an_ended_one_stays(self):
        wish_id = uuid4()
        posted = WishPosted(
            wish_id=wish_id,
            community_id="fengshan",
            resident_id=uuid4(),
            category="daily-goods",
            title="一台收音机",
            estimated_value_fen=15_000,
            deadline=NOW + timedelta(days=7),
        )
        state = wish.evolve(None, posted, NOW)
        [moved] = wish.move(state, wish_id, "jiangbin")
        assert moved == WishMoved(
            wish_id=wish_id, community_id="jiangbin", from_community_id="fengshan"
        )
        assert wish.evolve(state, moved, NOW).community_id == "jiangbin"
        cancelled = fold_wish(state, wish.cancel(state, wish_id, None))
        assert wish.move(cancelled, wish_id, "jiangbin") == []


def fold_wish(state, events):
    for event in events:
        state = wish.evolve(state, event, NOW)
    return state

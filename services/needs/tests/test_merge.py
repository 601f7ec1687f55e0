"""Merging a duplicate record into the resident kept: every rule, and what is handed over
(pure)."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from wushe_events.aggregate import fold
from wushe_events.catalogue.needs import (
    AgeBand,
    ClaimantKind,
    ConsentGiver,
    ConsentPurpose,
    Dimension,
    Dimensions,
    NeedIdentified,
    NeedOutcome,
    NeedTransferred,
    ResidentErased,
    ResidentMerged,
    SurveyMethod,
    Urgency,
    WishTransferred,
)
from wushe_events.errors import InvalidReference, NotFound, RuleBroken
from wushe_needs.domain import need, resident, survey, wish
from wushe_needs.domain.merge import merge
from wushe_needs.domain.resident import Resident

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
CLAIMANT = wish.Claimant(uuid4(), ClaimantKind.volunteer, None, active=True)


def a_resident(community_id: str = "fengshan") -> Resident:
    return Resident(uuid4(), community_id, ("elderly",), AgeBand.age_70_79)


def merged(duplicate: Resident, kept: Resident) -> Resident:
    events = merge(duplicate, duplicate.resident_id, kept, kept.resident_id)
    return fold(resident.evolve, events, duplicate)


def refused(duplicate, duplicate_id, kept, into) -> RuleBroken:
    with pytest.raises(RuleBroken) as caught:
        merge(duplicate, duplicate_id, kept, into)
    return caught.value


class TestMerge:
    def test_the_duplicate_is_merged_then_erased_in_its_own_stream(self):
        duplicate, kept = a_resident(), a_resident("jiangbin")
        events = merge(
            duplicate, duplicate.resident_id, kept, kept.resident_id, "registered-twice", "p-7"
        )
        assert events == [
            ResidentMerged(
                resident_id=duplicate.resident_id,
                community_id="fengshan",
                into_resident_id=kept.resident_id,
                reason="registered-twice",
                recorded_by="p-7",
            ),
            ResidentErased(resident_id=duplicate.resident_id, community_id="fengshan"),
        ]
        after = fold(resident.evolve, events, duplicate)
        assert after.merged_into == kept.resident_id
        assert after.erased

    def test_the_reason_is_duplicate_record_unless_given(self):
        duplicate, kept = a_resident(), a_resident()
        [event, _] = merge(duplicate, duplicate.resident_id, kept, kept.resident_id)
        assert event.reason == "duplicate-record"
        assert event.recorded_by is None

    def test_an_unknown_duplicate_is_not_found(self):
        kept = a_resident()
        with pytest.raises(NotFound):
            merge(None, uuid4(), kept, kept.resident_id)

    def test_a_record_is_never_merged_into_itself(self):
        person = a_resident()
        assert refused(person, person.resident_id, person, person.resident_id).rule == (
            "merge_into_self"
        )

    def test_an_unknown_record_to_keep_is_a_bad_into(self):
        duplicate = a_resident()
        with pytest.raises(InvalidReference) as caught:
            merge(duplicate, duplicate.resident_id, None, uuid4())
        assert caught.value.field == "into"

    def test_a_duplicate_merged_already_is_refused_naming_the_kept_record(self):
        duplicate, kept, other = a_resident(), a_resident(), a_resident()
        gone = merged(duplicate, kept)
        broken = refused(gone, duplicate.resident_id, other, other.resident_id)
        assert broken.rule == "resident_merged"
        assert broken.details == {"merged_into": str(kept.resident_id)}
        assert str(kept.resident_id) in str(broken)

    def test_an_erased_duplicate_is_refused(self):
        duplicate, kept = a_resident(), a_resident()
        erased = fold(resident.evolve, resident.erase(duplicate, duplicate.resident_id), duplicate)
        assert refused(erased, duplicate.resident_id, kept, kept.resident_id).rule == (
            "resident_erased"
        )

    def test_a_record_to_keep_that_was_erased_is_refused(self):
        duplicate, kept = a_resident(), a_resident()
        erased = fold(resident.evolve, resident.erase(kept, kept.resident_id), kept)
        assert refused(duplicate, duplicate.resident_id, erased, kept.resident_id).rule == (
            "resident_erased"
        )

    def test_a_record_to_keep_merged_away_earlier_is_refused_naming_where_it_went(self):
        duplicate, kept, third = a_resident(), a_resident(), a_resident()
        gone = merged(kept, third)
        broken = refused(duplicate, duplicate.resident_id, gone, kept.resident_id)
        assert broken.rule == "resident_merged"
        assert broken.details == {"merged_into": str(third.resident_id)}

    def test_a_kept_record_who_refused_services_takes_on_no_open_need_or_live_wish(self):
        duplicate, kept = a_resident(), a_resident()
        refusing = fold(
            resident.evolve,
            resident.withdraw_consent(kept, kept.resident_id, ConsentPurpose.services, NOW),
            kept,
        )
        with pytest.raises(RuleBroken) as caught:
            merge(duplicate, duplicate.resident_id, refusing, kept.resident_id, hands_over=True)
        assert caught.value.rule == "consent_withdrawn"
        # With nothing to hand over, the records are one all the same.
        assert merge(duplicate, duplicate.resident_id, refusing, kept.resident_id)

    def test_a_merge_one_way_refuses_the_other_way(self):
        a, b = a_resident(), a_resident()
        a_gone = merged(a, b)
        assert refused(b, b.resident_id, a_gone, a.resident_id).rule == "resident_merged"


class TestAfterwards:
    """A merged record takes nothing new: the kept one does."""

    @pytest.fixture
    def gone(self):
        return merged(a_resident(), a_resident())

    def test_no_consent_is_recorded_on_it(self, gone):
        with pytest.raises(RuleBroken) as caught:
            resident.grant_consent(
                gone, gone.resident_id, ConsentPurpose.services, ConsentGiver.self, NOW, None
            )
        assert caught.value.rule == "resident_merged"
        assert caught.value.details == {"merged_into": str(gone.merged_into)}

    def test_no_erasure_nor_withdrawal_is_recorded_on_it(self, gone):
        with pytest.raises(RuleBroken, match="merged into") as caught:
            resident.erase(gone, gone.resident_id)
        assert caught.value.rule == "resident_merged"
        with pytest.raises(RuleBroken, match="merged into"):
            resident.withdraw_consent(gone, gone.resident_id, ConsentPurpose.services, NOW)

    def test_no_survey_is_recorded_for_it(self, gone):
        levels = Dimensions(physical=1, psychological=1, material=1, spiritual=1)
        with pytest.raises(RuleBroken) as caught:
            survey.record(
                gone,
                gone.resident_id,
                uuid4(),
                SurveyMethod.home_visit,
                NOW,
                levels,
                [],
                None,
                now=NOW,
            )
        assert caught.value.rule == "resident_merged"

    def test_no_wish_is_posted_for_it(self, gone):
        with pytest.raises(RuleBroken) as caught:
            wish.post(
                None,
                uuid4(),
                "fengshan",
                "daily-goods",
                "一台收音机",
                10_000,
                NOW + timedelta(days=3),
                NOW,
                cap_fen=50_000,
                resident=gone,
            )
        assert caught.value.rule == "resident_merged"


def a_need(owner: Resident) -> need.Need:
    identified = NeedIdentified(
        need_id=uuid4(),
        community_id=owner.community_id,
        resident_id=owner.resident_id,
        survey_id=uuid4(),
        category="daily-goods",
        dimension=Dimension.material,
        urgency=Urgency.high,
    )
    return need.evolve(None, identified)


class TestTransferNeed:
    def test_an_open_need_goes_to_the_kept_resident_and_their_community(self):
        duplicate, kept = a_resident(), a_resident("jiangbin")
        item = a_need(duplicate)
        [handed] = need.transfer(item, item.need_id, kept.resident_id, "jiangbin")
        assert handed == NeedTransferred(
            need_id=item.need_id,
            community_id="jiangbin",
            from_community_id="fengshan",
            resident_id=kept.resident_id,
            from_resident_id=duplicate.resident_id,
        )
        after = need.evolve(item, handed)
        assert (after.resident_id, after.community_id) == (kept.resident_id, "jiangbin")

    def test_a_matched_need_goes_too_and_stays_matched(self):
        duplicate, kept = a_resident(), a_resident()
        item = a_need(duplicate)
        item = need.evolve(item, need.match(item, item.need_id, "wish", uuid4())[0])
        [handed] = need.transfer(item, item.need_id, kept.resident_id, "fengshan")
        assert need.evolve(item, handed).state is need.NeedState.matched

    @pytest.mark.parametrize("outcome", list(NeedOutcome))
    def test_a_need_that_ended_stays_with_the_old_record(self, outcome):
        item = a_need(a_resident())
        ended = need.evolve(item, need.resolve(item, item.need_id, outcome, "done")[0])
        assert need.transfer(ended, item.need_id, uuid4(), "fengshan") == []

    def test_a_need_of_the_kept_resident_already_is_left_alone(self):
        kept = a_resident()
        item = a_need(kept)
        assert need.transfer(item, item.need_id, kept.resident_id, "fengshan") == []

    def test_an_unknown_need_is_not_found(self):
        with pytest.raises(NotFound):
            need.transfer(None, uuid4(), uuid4(), "fengshan")


def a_wish(owner: Resident) -> wish.Wish:
    wish_id = uuid4()
    posted = wish.post(
        None,
        wish_id,
        owner.community_id,
        "daily-goods",
        "一台收音机",
        10_000,
        NOW + timedelta(days=3),
        NOW,
        cap_fen=50_000,
        resident=owner,
    )
    return wish.evolve(None, posted[0], NOW)


class TestTransferWish:
    def test_a_claimed_wish_goes_to_the_kept_resident_and_the_claim_stays(self):
        duplicate, kept = a_resident(), a_resident("jiangbin")
        item = a_wish(duplicate)
        claim = wish.claim(item, item.wish_id, CLAIMANT, CLAIMANT.claimant_id, CLAIMANT.kind, NOW)
        item = wish.evolve(item, claim[0], NOW)
        [handed] = wish.transfer(item, item.wish_id, kept)
        assert handed == WishTransferred(
            wish_id=item.wish_id,
            community_id="jiangbin",
            from_community_id="fengshan",
            resident_id=kept.resident_id,
            from_resident_id=duplicate.resident_id,
        )
        after = wish.evolve(item, handed, NOW)
        assert (after.resident_id, after.community_id) == (kept.resident_id, "jiangbin")
        assert after.state is wish.WishState.claimed
        assert after.claim == item.claim

    def test_a_posted_wish_goes_too(self):
        item, kept = a_wish(a_resident()), a_resident()
        [handed] = wish.transfer(item, item.wish_id, kept)
        assert handed.community_id == "fengshan"

    def test_a_wish_that_ended_stays_with_the_old_record(self):
        item = a_wish(a_resident())
        cancelled = wish.evolve(item, wish.cancel(item, item.wish_id, "no-longer-needed")[0], NOW)
        assert wish.transfer(cancelled, item.wish_id, a_resident()) == []

    def test_a_wish_of_the_kept_resident_already_is_left_alone(self):
        kept = a_resident()
        item = a_wish(kept)
        assert wish.transfer(item, item.wish_id, kept) == []

"""Every micro-wish transition, allowed and refused (pure)."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import partial
from uuid import uuid4

import pytest

from wushe_events.catalogue.needs import (
    AgeBand,
    ClaimantKind,
    ConsentPurpose,
    ReleaseReason,
    WishClaimed,
    WishExpired,
    WishFulfilled,
    WishReleased,
)
from wushe_events.errors import InvalidReference, NotFound, RuleBroken
from wushe_needs.domain import wish
from wushe_needs.domain.resident import Resident
from wushe_needs.domain.wish import Claimant, WishState
from wushe_service.identity import as_digits

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
DEADLINE = NOW + timedelta(days=7)
W = uuid4()
ALICE = Claimant(uuid4(), ClaimantKind.volunteer, "李志愿者", active=True)
BOB = Claimant(uuid4(), ClaimantKind.volunteer, None, active=True)
TEAM = Claimant(uuid4(), ClaimantKind.team, "阳明青年志愿队", active=True)
SUSPENDED = Claimant(uuid4(), ClaimantKind.volunteer, None, active=False)


def apply(state, events, at=NOW):
    for event in events:
        state = wish.evolve(state, event, at)
    return state


def posted(value_fen=20_000):
    return apply(
        None,
        wish.post(
            None,
            W,
            "fengshan",
            "daily-goods",
            "一台收音机",
            value_fen,
            DEADLINE,
            NOW,
            cap_fen=50_000,
        ),
    )


def claimed(by=ALICE, at=NOW):
    return apply(posted(), wish.claim(posted(), W, by, by.claimant_id, by.kind, at), at)


def fulfilled():
    return apply(claimed(), wish.fulfil(claimed(), W, ALICE.claimant_id, 2.5))


class TestPost:
    def test_a_wish_is_posted_on_the_board(self):
        assert posted().state is WishState.posted

    def test_a_wish_worth_more_than_the_cap_is_refused(self):
        with pytest.raises(RuleBroken) as refused:
            posted(50_001)
        assert refused.value.rule == "wish_value_cap"
        assert "50000" in str(refused.value)

    def test_the_deadline_must_be_in_the_future(self):
        with pytest.raises(InvalidReference) as error:
            wish.post(None, W, "fengshan", "daily-goods", "收音机", 100, NOW, NOW, cap_fen=500)
        assert error.value.field == "deadline"

    def test_the_deadline_is_at_most_a_year_ahead(self):
        def post(deadline):
            return wish.post(
                None, W, "fengshan", "daily-goods", "收音机", 100, deadline, NOW, cap_fen=500
            )

        assert post(NOW + wish.LONGEST)
        with pytest.raises(InvalidReference) as error:
            post(NOW + wish.LONGEST + timedelta(seconds=1))
        assert error.value.field == "deadline"

    def test_a_wish_for_a_resident_who_withdrew_consent_to_be_served_is_refused(self):
        person = Resident(uuid4(), "fengshan", ("elderly",), AgeBand.age_80_plus)
        post = partial(
            wish.post, None, W, "fengshan", "daily-goods", "收音机", 100, DEADLINE, NOW, cap_fen=500
        )
        assert post(resident=person)[0].resident_id == person.resident_id
        with pytest.raises(RuleBroken) as refused:
            post(resident=replace(person, withdrawn={ConsentPurpose.services: NOW}))
        assert refused.value.rule == "consent_withdrawn"

    def test_a_wish_is_posted_once(self):
        with pytest.raises(RuleBroken):
            wish.post(
                posted(), W, "fengshan", "daily-goods", "收音机", 100, DEADLINE, NOW, cap_fen=500
            )


class TestClaim:
    def test_a_posted_wish_is_claimed_by_a_known_active_volunteer(self):
        [event] = wish.claim(posted(), W, ALICE, ALICE.claimant_id, ClaimantKind.volunteer, NOW)
        assert event == WishClaimed(
            wish_id=W,
            community_id="fengshan",
            claimant_id=ALICE.claimant_id,
            claimant_kind="volunteer",
            claimant_display="李志愿者",
        )

    def test_a_team_can_claim(self):
        assert claimed(TEAM).claim.kind is ClaimantKind.team

    def test_a_claimed_wish_cannot_be_claimed_again(self):
        with pytest.raises(RuleBroken) as refused:
            wish.claim(claimed(), W, BOB, BOB.claimant_id, ClaimantKind.volunteer, NOW)
        assert refused.value.rule == "wish_not_open"
        assert "claimed by another volunteer" in str(refused.value)

    def test_a_claim_sent_again_by_its_claimant_changes_nothing(self):
        assert wish.claim(claimed(), W, ALICE, ALICE.claimant_id, ALICE.kind, NOW) == []

    def test_the_same_id_claiming_as_another_kind_is_refused(self):
        with pytest.raises(RuleBroken):
            wish.claim(claimed(), W, ALICE, ALICE.claimant_id, ClaimantKind.team, NOW)

    @pytest.mark.parametrize(
        ("claimant", "rule"),
        [
            (None, "claimant_unknown"),
            (SUSPENDED, "claimant_inactive"),
        ],
    )
    def test_an_unknown_or_inactive_claimant_is_refused(self, claimant, rule):
        claimant_id = claimant.claimant_id if claimant else uuid4()
        with pytest.raises(RuleBroken) as refused:
            wish.claim(posted(), W, claimant, claimant_id, ClaimantKind.volunteer, NOW)
        assert refused.value.rule == rule

    def test_a_volunteer_cannot_claim_as_a_team(self):
        with pytest.raises(RuleBroken) as refused:
            wish.claim(posted(), W, ALICE, ALICE.claimant_id, ClaimantKind.team, NOW)
        assert refused.value.rule == "claimant_unknown"

    def test_a_wish_past_its_deadline_cannot_be_claimed(self):
        with pytest.raises(RuleBroken) as refused:
            wish.claim(posted(), W, ALICE, ALICE.claimant_id, "volunteer", DEADLINE)
        assert refused.value.rule == "wish_past_deadline"

    def test_an_unknown_wish_is_not_found(self):
        with pytest.raises(NotFound):
            wish.claim(None, W, ALICE, ALICE.claimant_id, "volunteer", NOW)


class TestRelease:
    def test_the_claimant_releases_it_back_to_the_board(self):
        events = wish.release(claimed(), W, ALICE.claimant_id)
        assert events[0].reason is ReleaseReason.by_claimant
        again = apply(claimed(), events)
        assert (again.state, again.claim) == (WishState.posted, None)

    def test_staff_release_it(self):
        assert wish.release(claimed(), W, None)[0].reason is ReleaseReason.by_staff

    def test_someone_else_cannot_release_it(self):
        with pytest.raises(RuleBroken) as refused:
            wish.release(claimed(), W, BOB.claimant_id)
        assert refused.value.rule == "not_the_claimant"

    def test_a_wish_that_is_not_claimed_cannot_be_released(self):
        with pytest.raises(RuleBroken) as refused:
            wish.release(posted(), W, None)
        assert refused.value.rule == "wish_not_claimed"

    def test_a_claimant_who_can_no_longer_serve_gives_it_back(self):
        [event] = wish.release_inactive(claimed(), W, ALICE.claimant_id)
        assert event.reason is ReleaseReason.claimant_inactive
        with pytest.raises(RuleBroken) as refused:
            wish.release_inactive(claimed(), W, BOB.claimant_id)
        assert refused.value.rule == "not_the_claimant"


class TestProgressAndStaleClaims:
    def test_a_claim_without_progress_is_released_after_the_days_given(self):
        held = claimed(at=NOW)
        [event] = wish.release_stale(held, W, NOW + timedelta(days=14), timedelta(days=14))
        assert event == WishReleased(
            wish_id=W, community_id="fengshan", reason=ReleaseReason.stale_claim
        )

    def test_progress_keeps_a_claim_alive(self):
        held = claimed(at=NOW)
        later = NOW + timedelta(days=10)
        held = apply(held, wish.progress(held, W, ALICE.claimant_id), later)
        with pytest.raises(RuleBroken) as refused:
            wish.release_stale(held, W, NOW + timedelta(days=14), timedelta(days=14))
        assert refused.value.rule == "claim_not_stale"

    def test_only_the_claimant_reports_progress(self):
        with pytest.raises(RuleBroken):
            wish.progress(claimed(), W, BOB.claimant_id)


class TestFulfilAndConfirm:
    def test_the_claimant_fulfils_it_and_the_event_names_them_and_the_hours(self):
        [event] = wish.fulfil(claimed(), W, ALICE.claimant_id, 2.5)
        assert event == WishFulfilled(
            wish_id=W,
            community_id="fengshan",
            claimant_id=ALICE.claimant_id,
            claimant_kind="volunteer",
            hours=2.5,
        )

    def test_a_wish_that_is_not_claimed_cannot_be_fulfilled(self):
        with pytest.raises(RuleBroken):
            wish.fulfil(posted(), W, None, None)

    def test_a_social_worker_confirms_a_fulfilled_wish(self):
        assert apply(fulfilled(), wish.confirm(fulfilled(), W)).state is WishState.confirmed

    @pytest.mark.parametrize("state", ["posted", "claimed"])
    def test_only_a_fulfilled_wish_is_confirmed(self, state):
        with pytest.raises(RuleBroken) as refused:
            wish.confirm(posted() if state == "posted" else claimed(), W)
        assert refused.value.rule == "wish_not_fulfilled"


class TestCancelAndExpire:
    @pytest.mark.parametrize("make", [posted, claimed])
    def test_a_live_wish_is_cancelled(self, make):
        assert apply(make(), wish.cancel(make(), W, "duplicate")).state is WishState.cancelled

    def test_a_fulfilled_wish_cannot_be_cancelled(self):
        with pytest.raises(RuleBroken) as refused:
            wish.cancel(fulfilled(), W, None)
        assert refused.value.rule == "wish_closed"

    @pytest.mark.parametrize("make", [posted, claimed])
    def test_a_live_wish_expires_once_its_deadline_passed(self, make):
        assert wish.expire(make(), W, DEADLINE) == [WishExpired(wish_id=W, community_id="fengshan")]

    def test_a_wish_does_not_expire_before_its_deadline(self):
        with pytest.raises(RuleBroken) as refused:
            wish.expire(posted(), W, DEADLINE - timedelta(seconds=1))
        assert refused.value.rule == "wish_not_due"

    def test_an_expired_wish_is_closed_for_good(self):
        gone = apply(posted(), wish.expire(posted(), W, DEADLINE))
        for attempt in (
            lambda: wish.expire(gone, W, DEADLINE),
            lambda: wish.cancel(gone, W, None),
            lambda: wish.claim(gone, W, ALICE, ALICE.claimant_id, "volunteer", NOW),
        ):
            with pytest.raises(RuleBroken):
                attempt()


class TestNamesResident:
    @pytest.mark.parametrize(
        ("name", "title", "named"),
        [
            ("王秀英", "给王秀英买收音机", True),
            ("王秀英", "秀英的收音机", True),
            ("王秀英", "王奶奶的收音机", True),
            ("王秀英", "王师傅家的门锁", True),
            ("王秀英", "王家小院的收音机", False),
            ("王秀英", "李奶奶的收音机", False),
            ("王芳", "芳香的花", False),  # a one-character given name alone names no one
            ("王芳", "给王芳买药", True),
            ("欧阳明月", "欧阳奶奶的轮椅", True),
            ("", "王奶奶的收音机", False),
            ("赵 建 国", "帮赵建国修轮椅", True),  # a name typed with spaces
            ("赵建国", "帮建国叔修轮椅", True),
            ("陈桂英", "陪老陈去医院", True),
            ("陈桂英", "小陈的书包", True),
            ("陈桂英", "陪陈\u3000奶奶去医院", True),  # a full-width space
            ("陈桂英", "陪陈·奶奶去医院", True),
            ("陈桂英", "陪 陈 奶 奶 去医院", True),
            ("陈桂英", "陪老人去医院", False),
        ],
    )
    def test_a_name_given_name_or_surname_with_a_form_of_address(self, name, title, named):
        assert wish.names_resident(name, title) is named


class TestGivesAddress:
    @pytest.mark.parametrize(
        ("title", "given"),
        [
            ("丰山社区3幢2单元101需要轮椅", True),
            ("3幢 2单元的轮椅", True),  # a door, however spaced
            ("2单元101的收音机", True),
            ("丰山社区的轮椅", False),  # the community is on the board anyway
            ("三楼的轮椅", False),
            ("一台收音机", False),
        ],
    )
    def test_the_address_or_a_numbered_part_of_it(self, title, given):
        assert wish.gives_address("丰山社区3幢2单元101", title) is given

    def test_a_village_lane_without_numbers(self):
        assert wish.gives_address("阳明镇张家湾村后山组", "张家湾村后山组的老人要一台收音机")
        assert not wish.gives_address("阳明镇张家湾村后山组", "张家湾村的收音机")
        assert not wish.gives_address("", "张家湾村的收音机")

    def test_a_door_in_full_width_digits(self):
        assert wish.gives_address("丰山社区3幢2单元101", "３幢２单元的轮椅")

    def test_the_residents_numbers(self):
        assert wish.gives_number("13812345678", "打138 1234 5678")
        assert wish.gives_number("13812345678", "打138·1234·5678")
        assert not wish.gives_number("", "一台收音机")


class TestTitlesOfAnyWish:
    @pytest.mark.parametrize(
        ("title", "refused"),
        [
            ("张姓独居老人", True),
            ("欧阳姓的老人", True),
            ("姓王的阿婆", True),
            ("为老百姓安装扶手", False),
            ("填写姓名的表格", False),
            ("手机尾号2345", True),
            ("尾号：２３４５", True),
            ("电话后四位是二三四五", True),
            ("尾号23", False),
            ("一台收音机", False),
        ],
    )
    def test_a_surname_with_xing_or_a_phone_tail_is_refused(self, title, refused):
        check = partial(wish.check_title, title, as_digits(title))
        if refused:
            with pytest.raises(InvalidReference):
                check()
        else:
            check()

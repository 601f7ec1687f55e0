"""Property-based: no sequence of commands gives a wish two claimants, or a fulfilled wish
without a claimant."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from wushe_events.catalogue.needs import ClaimantKind, WishClaimed, WishReleased
from wushe_events.errors import RuleBroken
from wushe_needs.domain import wish
from wushe_needs.domain.wish import Claimant, WishState

START = datetime(2026, 11, 28, tzinfo=UTC)
CLAIMANTS = [
    Claimant(uuid4(), ClaimantKind.volunteer, "甲", active=True),
    Claimant(uuid4(), ClaimantKind.volunteer, None, active=True),
    Claimant(uuid4(), ClaimantKind.team, "乙队", active=True),
    Claimant(uuid4(), ClaimantKind.volunteer, None, active=False),
]
who = st.sampled_from(CLAIMANTS)
maybe_who = st.one_of(st.none(), who)


class WishLifecycle(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.id = uuid4()
        self.now = START
        events = wish.post(
            None,
            self.id,
            "fengshan",
            "daily-goods",
            "收音机",
            100,
            START + timedelta(days=5),
            START,
            cap_fen=50_000,
        )
        self.state = self.apply_all(None, events)
        self.history = list(events)

    def apply_all(self, state, events):
        for event in events:
            state = wish.evolve(state, event, self.now)
        return state

    def attempt(self, decide) -> None:
        try:
            events = decide(self.state)
        except RuleBroken:
            return  # refused: nothing changes
        self.state = self.apply_all(self.state, events)
        self.history += events

    @rule(hours=st.floats(min_value=0.5, max_value=48))
    def time_passes(self, hours):
        self.now += timedelta(hours=hours)

    @rule(claimant=who)
    def claim(self, claimant):
        self.attempt(
            lambda w: wish.claim(
                w, self.id, claimant, claimant.claimant_id, claimant.kind, self.now
            )
        )

    @rule(claimant=who)
    def claim_as_someone_unknown(self, claimant):
        self.attempt(
            lambda w: wish.claim(w, self.id, None, claimant.claimant_id, claimant.kind, self.now)
        )

    @rule(claimant=maybe_who)
    def release(self, claimant):
        self.attempt(lambda w: wish.release(w, self.id, claimant and claimant.claimant_id))

    @rule(claimant=who)
    def progress(self, claimant):
        self.attempt(lambda w: wish.progress(w, self.id, claimant.claimant_id))

    @rule(claimant=maybe_who)
    def fulfil(self, claimant):
        self.attempt(lambda w: wish.fulfil(w, self.id, claimant and claimant.claimant_id, 1.0))

    @rule()
    def confirm(self):
        self.attempt(lambda w: wish.confirm(w, self.id))

    @rule()
    def cancel(self):
        self.attempt(lambda w: wish.cancel(w, self.id, None))

    @rule()
    def expire(self):
        self.attempt(lambda w: wish.expire(w, self.id, self.now))

    @rule(days=st.integers(min_value=1, max_value=3))
    def release_stale(self, days):
        self.attempt(lambda w: wish.release_stale(w, self.id, self.now, timedelta(days=days)))

    @invariant()
    def a_claimed_wish_has_its_claimant_and_a_posted_one_none(self):
        if self.state.state is WishState.claimed:
            assert self.state.claim is not None
        if self.state.state is WishState.posted:
            assert self.state.claim is None

    @invariant()
    def a_second_claim_only_ever_follows_a_release(self):
        holder = None
        for event in self.history:
            if isinstance(event, WishClaimed):
                assert holder is None, "two claimants at once"
                holder = event.claimant_id
            elif isinstance(event, WishReleased):
                holder = None

    @invariant()
    def a_fulfilled_wish_was_claimed_by_an_active_claimant(self):
        if self.state.state in (WishState.fulfilled, WishState.confirmed):
            assert self.state.claim is not None
            claimant = next(c for c in CLAIMANTS if c.claimant_id == self.state.claim.claimant_id)
            assert claimant.active

    @invariant()
    def closed_wishes_stay_closed(self):
        closed = {WishState.confirmed, WishState.cancelled, WishState.expired}
        seen_closed = False
        for event in self.history:
            if seen_closed:
                raise AssertionError(f"{event.type} after the wish was closed")
            seen_closed = type(event).__name__ in {"WishConfirmed", "WishCancelled", "WishExpired"}
        assert seen_closed == (self.state.state in closed)


TestWishLifecycle = WishLifecycle.TestCase
TestWishLifecycle.settings = settings(max_examples=300, stateful_step_count=40, deadline=None)

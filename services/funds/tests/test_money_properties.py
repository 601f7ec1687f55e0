"""Property-based: over any sequence of donations, refunds, approvals, disbursements,
evaluations and completions, the fund never goes negative, no grant gets more than approved and
no round more than its budget, nor any community more than its envelope; a completed grant
gives its unpaid rest back to the round; the ledger's running balance is the fund's."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from wushe_events.aggregate import fold
from wushe_events.catalogue.funds import BudgetLine, GrantDisbursed
from wushe_events.errors import RuleBroken
from wushe_funds.domain import application as app
from wushe_funds.domain import fund as funds
from wushe_funds.domain import ledger
from wushe_funds.domain import round as rounds

NOW = datetime(2026, 11, 28, tzinfo=UTC)
FUND, ROUND = uuid4(), uuid4()
TEAMS = [uuid4() for _ in range(4)]
PEOPLE = [uuid4() for _ in range(3)]
THRESHOLD = 20_000
BUDGET = 200_000
ENVELOPES = {"a": 120_000, "b": 80_000}  # community "c" has none: its projects are refused
# Hypothesis favours small integers: mix in round sums so that big tranches happen too.
amounts = st.integers(min_value=1, max_value=120_000) | st.integers(1, 12).map(lambda n: n * 10_000)
tranches = st.integers(min_value=1, max_value=60_000) | st.sampled_from([19_999, 20_001, 45_000])
teams = st.sampled_from(TEAMS)
people = st.sampled_from(PEOPLE)


class Money(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.history: list = []
        self.fund = self.apply(funds.evolve_fund, None, funds.open_fund(FUND, None, "基金"))
        opened = rounds.open_round(
            self.fund, ROUND, FUND, name=None, budget_fen=BUDGET, themes=["t"],
            closes_at=NOW + timedelta(days=1), per_project_cap_fen=None, criteria=["c"],
            community_budgets_fen=ENVELOPES, now=NOW,
        )  # fmt: skip
        self.round = self.apply(rounds.evolve, None, opened)
        self.applications: dict = {}
        self.donations: list = []

    def apply(self, evolve, state, events):
        for event in events:
            state = evolve(state, event)
            self.history.append(event)
        return state

    def attempt(self, decide) -> list:
        try:
            return decide()
        except RuleBroken:
            return []  # refused: nothing changes

    @rule(amount=amounts)
    def donate(self, amount):
        donation = uuid4()
        events = funds.receive_donation(
            self.fund, FUND, donation, amount, "individual", None, False, None
        )
        self.fund = self.apply(funds.evolve_fund, self.fund, events)
        self.donations.append(donation)

    @precondition(lambda self: self.donations)
    @rule(data=st.data(), amount=st.one_of(st.none(), amounts))
    def refund(self, data, amount):
        donation = data.draw(st.sampled_from(self.donations))
        events = self.attempt(
            lambda: funds.refund_donation(
                self.fund,
                FUND,
                uuid4(),
                donation,
                funds.left_to_refund(self.history, donation),
                amount,
                "duplicate",
            )
        )
        self.fund = self.apply(funds.evolve_fund, self.fund, events)

    @rule(
        team=teams,
        community=st.sampled_from(["a", "b", "c"]),
        # Two of these in one community overrun its envelope, unless refused.
        requested=amounts | st.sampled_from([50_000, 70_000]),
        share=st.floats(0.1, 1.2),
        reviewer=people,
    )
    def apply_and_approve(self, team, community, requested, share, reviewer):
        approved = max(1, int(requested * share))
        the_id = rounds.application_id(ROUND, team)
        if the_id in self.applications:
            return
        events = self.attempt(lambda: app.submit(
            self.round, None, ROUND, team, True, coordinates=True, community_id=community,
            title="项目", requested_fen=requested, summary=None, theme=None,
            budget_lines=[BudgetLine(item="x", amount_fen=requested)], need_ids=[], now=NOW,
        ))  # fmt: skip
        if not events:
            return
        state = self.apply(app.evolve, None, events)
        state = self.apply(
            app.evolve, state, app.check_eligibility(state, the_id, self.round, True)
        )
        state = self.apply(
            app.evolve,
            state,
            app.review(state, the_id, self.round, reviewer, False, {"c": 70}, uuid4()),
        )
        decided = self.attempt(lambda: app.approve(state, the_id, self.round, approved))
        if decided:
            application_events, round_events = decided
            state = self.apply(app.evolve, state, application_events)
            self.round = self.apply(rounds.evolve, self.round, round_events)
        self.applications[the_id] = state

    def change(self, the_id, decide) -> None:
        decided = self.attempt(decide)
        if decided:
            application_events, fund_events = decided
            self.applications[the_id] = self.apply(
                app.evolve, self.applications[the_id], application_events
            )
            self.fund = self.apply(funds.evolve_fund, self.fund, fund_events)

    @precondition(lambda self: self.applications)
    @rule(data=st.data(), amount=tranches, by=people)
    def request_disbursement(self, data, amount, by):
        the_id = data.draw(st.sampled_from(sorted(self.applications)))
        self.change(the_id, lambda: app.request_disbursement(
            self.applications[the_id], the_id, self.fund, self.round, uuid4(), amount, by, None,
            THRESHOLD,
        ))  # fmt: skip

    @precondition(lambda self: self.applications)
    @rule(data=st.data(), by=people)
    def approve_disbursement(self, data, by):
        the_id = data.draw(st.sampled_from(sorted(self.applications)))
        pending = [d for d in self.applications[the_id].disbursements if not d.paid]
        if not pending:
            return
        one = data.draw(st.sampled_from(pending)).disbursement_id
        self.change(the_id, lambda: app.approve_disbursement(
            self.applications[the_id], the_id, self.fund, self.round, one, by, None
        ))  # fmt: skip

    @precondition(lambda self: self.applications)
    @rule(data=st.data(), passed=st.booleans(), by=people)
    def evaluate(self, data, passed, by):
        the_id = data.draw(st.sampled_from(sorted(self.applications)))
        events = self.attempt(lambda: app.evaluate(
            self.applications[the_id], the_id, passed, by, in_team=False
        ))  # fmt: skip
        self.applications[the_id] = self.apply(app.evolve, self.applications[the_id], events)

    @precondition(lambda self: self.applications)
    @rule(data=st.data(), spent=st.booleans())
    def complete(self, data, spent):
        """Account for what was paid (or not: then completion is refused), then complete."""
        the_id = data.draw(st.sampled_from(sorted(self.applications)))
        state = self.applications[the_id]
        gap = state.disbursed_fen - state.expenses_fen
        if spent and gap > 0:
            expense = app.report_expense(state, the_id, uuid4(), gap, "x", "ab" * 32, None)
            state = self.apply(app.evolve, state, expense)
        decided = self.attempt(lambda: app.complete(state, the_id, self.round, 1, 1))
        if decided:
            completed, released = decided
            state = self.apply(app.evolve, state, completed)
            self.round = self.apply(rounds.evolve, self.round, released)
        self.applications[the_id] = state

    @invariant()
    def at_most_the_next_tranche_is_released(self):
        for state in self.applications.values():
            assert state.tranches_released <= len(state.disbursements) + 1

    @invariant()
    def a_suspended_grant_resumes_on_a_pass(self):
        """A fail suspends until a later pass: never for good."""
        for the_id, state in self.applications.items():
            if (
                state.state is app.State.approved  # a completed one ended, suspended or not
                and state.suspended
                and state.disbursements
                and state.disbursements[-1].paid
            ):
                requester = state.disbursements[-1].requested_by
                evaluator = next(p for p in PEOPLE if p != requester)
                passed = app.evaluate(state, the_id, True, evaluator, in_team=False)
                resumed = fold(app.evolve, passed, state)
                assert not resumed.suspended

    @invariant()
    def the_balance_never_goes_negative(self):
        assert self.fund.balance_fen >= 0

    @invariant()
    def no_grant_gets_more_than_approved(self):
        for state in self.applications.values():
            paid = sum(
                e.amount_fen
                for e in self.history
                if isinstance(e, GrantDisbursed) and e.application_id == state.application_id
            )
            assert paid == state.disbursed_fen <= state.approved_fen

    @invariant()
    def no_round_gets_more_than_its_budget(self):
        """A grant holds its approval until it completes, then only what it was paid: the
        rest is back in the budget (结余)."""
        held = sum(
            s.disbursed_fen if s.state is app.State.completed else s.approved_fen
            for s in self.applications.values()
        )
        disbursed = sum(e.amount_fen for e in self.history if isinstance(e, GrantDisbursed))
        assert disbursed <= held == self.round.allocated_fen <= BUDGET

    @invariant()
    def no_community_gets_more_than_its_envelope(self):
        for community, envelope in ENVELOPES.items():
            held = sum(
                s.disbursed_fen if s.state is app.State.completed else s.approved_fen
                for s in self.applications.values()
                if s.community_id == community
            )
            assert held == self.round.community_allocated_fen.get(community, 0) <= envelope
        assert all(s.community_id in ENVELOPES for s in self.applications.values())

    @invariant()
    def a_completed_grant_accounts_for_every_fen_paid(self):
        for state in self.applications.values():
            if state.state is app.State.completed:
                assert state.expenses_fen == state.disbursed_fen

    @invariant()
    def the_ledger_balance_is_the_fund_balance(self):
        fund_events = [e for e in self.history if e.aggregate == "fund"]
        entries = ledger.from_events(FUND, [(e, uuid4(), NOW) for e in fund_events])
        assert all(entry.content.balance_fen >= 0 for entry in entries)
        assert (entries[-1].content.balance_fen if entries else 0) == self.fund.balance_fen


Money.TestCase.settings = settings(max_examples=150, stateful_step_count=60, deadline=None)
TestMoney = Money.TestCase

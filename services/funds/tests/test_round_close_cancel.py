"""Closing a grant round early and cancelling one, over HTTP against the real PostgreSQL."""

import asyncio
from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest

from wushe_events.aggregate import load
from wushe_events.catalogue.funds import ApplicationApproved, RoundAllocated
from wushe_events.errors import RuleBroken
from wushe_events.testing import wait_until
from wushe_funds.commands import grants as commands
from wushe_funds.domain import application as app
from wushe_funds.domain import round as rounds
from wushe_service.auth import Role

from .test_grants_api import SCORES, rule_of, submit


async def events_of(sql, round_id: str) -> list[str]:
    rows = await sql(
        "SELECT event_type FROM funds.events WHERE aggregate = 'round' AND aggregate_id = $1"
        " ORDER BY version",
        round_id,
    )
    return [r["event_type"] for r in rows]


class TestClosingARoundEarly:
    async def test_a_closed_round_takes_no_application_but_decides_and_pays_those_it_holds(
        self, funds, fund, grant_round, known_team, sql
    ):
        round_id = await grant_round(await fund())
        held = await submit(funds, round_id, await known_team())
        url = f"/applications/{held.json()['application_id']}"
        closed = await funds.post(f"/rounds/{round_id}/close", json={"reason": "budget-committed"})
        assert closed.status_code == 200, closed.text
        assert (closed.json()["state"], closed.json()["closed_early_because"]) == (
            "closed",
            "budget-committed",
        )
        late = await submit(funds, round_id, await known_team("迟到的队"))
        assert rule_of(late) == "round_closed"
        assert "closed early" in late.json()["detail"]
        again = await funds.post(f"/rounds/{round_id}/close", json={"reason": "budget-committed"})
        assert rule_of(again) == "round_closed"

        for verb, body in [
            ("eligibility", None),
            ("reviews", {"reviewer_id": str(uuid4()), "scores": SCORES}),
            ("approve", {"approved_fen": 100_000}),
            ("disbursements", {"amount_fen": 50_000}),
        ]:
            response = await funds.post(f"{url}/{verb}", json=body)
            assert response.is_success, response.text
        assert (await funds.get(url)).json()["disbursed_fen"] == 50_000
        assert await events_of(sql, round_id) == [
            "wushe.funds.round.opened.v1",
            "wushe.funds.round.closed.v1",
            "wushe.funds.round.allocated.v1",
        ]

    async def test_closing_needs_a_reason_and_a_fund_manager_and_changes_nothing_else(
        self, funds, fund, grant_round, token_for, sql
    ):
        round_id = await grant_round(await fund())
        missing = await funds.post(f"/rounds/{round_id}/close", json={})
        assert missing.status_code == 422
        assert "reason" in missing.json()["detail"]
        as_coordinator = await token_for(Role.coordinator, person=uuid4())
        for verb in ("close", "cancel"):
            response = await funds.post(
                f"/rounds/{round_id}/{verb}", headers=as_coordinator, json={"reason": "x"}
            )
            assert response.status_code == 403
        unknown = await funds.post(f"/rounds/{uuid4()}/close", json={"reason": "x"})
        assert unknown.status_code == 404
        assert await events_of(sql, round_id) == ["wushe.funds.round.opened.v1"]
        assert (await funds.get(f"/rounds/{round_id}")).json()["state"] == "open"

    async def test_a_managers_note_on_closing_or_cancelling_stays_with_staff(
        self, funds, fund, grant_round, sql
    ):
        round_id = await grant_round(await fund())
        closing = "申请已足够，提前截止以便评审"
        closed = await funds.post(
            f"/rounds/{round_id}/close", json={"reason": "enough-applications", "note": closing}
        )
        assert closed.json()["closing_note"] == closing
        cancelling = "区民政局调整了本年度项目计划"
        cancelled = await funds.post(
            f"/rounds/{round_id}/cancel", json={"reason": "policy-changed", "note": cancelling}
        )
        view = (await funds.get(f"/rounds/{round_id}")).json()
        assert cancelled.json()["cancellation_note"] == cancelling
        assert (view["closing_note"], view["cancellation_note"]) == (closing, cancelling)
        published = await funds.get(f"/public/rounds/{round_id}/disclosure")
        assert published.status_code == 200, published.text
        assert closing not in published.text
        assert cancelling not in published.text
        bodies = await sql("SELECT data::text AS data FROM funds.events")
        assert not [row for row in bodies if closing in row["data"] or cancelling in row["data"]]


class TestCancellingARound:
    async def test_a_cancelled_rounds_pending_applications_end_with_it(
        self, funds, fund, grant_round, known_team, sql
    ):
        round_id = await grant_round(await fund())
        ids = []
        for name in ("甲队", "乙队", "丙队"):
            submitted = await submit(funds, round_id, await known_team(name))
            ids.append(submitted.json()["application_id"])
        await funds.post(f"/applications/{ids[1]}/eligibility")
        await funds.post(f"/applications/{ids[2]}/withdraw")

        cancelled = await funds.post(f"/rounds/{round_id}/cancel", json={"reason": "fund-short"})
        assert cancelled.status_code == 200, cancelled.text
        body = cancelled.json()
        assert (body["state"], body["cancelled_because"]) == ("cancelled", "fund-short")
        assert sorted(body["ended_application_ids"]) == sorted(ids[:2])
        for the_id, state in zip(ids, ["rejected", "rejected", "withdrawn"], strict=True):
            view = (await funds.get(f"/applications/{the_id}")).json()
            assert view["state"] == state
        assert (await funds.get(f"/applications/{ids[0]}")).json()["rejected_because"] == (
            "round-cancelled"
        )
        assert rule_of(await submit(funds, round_id, await known_team("丁队"))) == (
            "round_cancelled"
        )
        again = await funds.post(f"/rounds/{round_id}/cancel", json={"reason": "fund-short"})
        assert rule_of(again) == "round_cancelled"
        assert rule_of(await funds.post(f"/rounds/{round_id}/close", json={"reason": "x"})) == (
            "round_cancelled"
        )
        assert await events_of(sql, round_id) == [
            "wushe.funds.round.opened.v1",
            "wushe.funds.round.cancelled.v1",
        ]

    async def test_a_round_that_approved_a_grant_cannot_be_cancelled(
        self, funds, fund, grant_round, approved_grant, known_team, sql
    ):
        round_id = await grant_round(await fund())
        granted = await approved_grant(round_id)
        pending = (await submit(funds, round_id, await known_team("甲队"))).json()
        before = [
            (await funds.get(f"/applications/{the_id}")).json()
            for the_id in (granted, pending["application_id"])
        ]
        refused = await funds.post(f"/rounds/{round_id}/cancel", json={"reason": "fund-short"})
        assert rule_of(refused) == "round_has_grants"
        assert "close it" in refused.json()["detail"]
        after = [
            (await funds.get(f"/applications/{the_id}")).json()
            for the_id in (granted, pending["application_id"])
        ]
        assert after == before
        assert (await funds.get(f"/rounds/{round_id}")).json()["state"] == "open"

    async def test_approvals_racing_a_cancellation_lose_or_win_whole(
        self, funds, fund, grant_round, known_team
    ):
        round_id = await grant_round(await fund(), budget=500_000)
        urls = []
        for name in ("甲队", "乙队", "丙队"):
            submitted = await submit(funds, round_id, await known_team(name), 100_000)
            url = f"/applications/{submitted.json()['application_id']}"
            await funds.post(f"{url}/eligibility")
            reviewed = await funds.post(
                f"{url}/reviews", json={"reviewer_id": str(uuid4()), "scores": SCORES}
            )
            assert reviewed.status_code == 201, reviewed.text
            urls.append(url)
        *approvals, cancellation = await asyncio.gather(
            *(funds.post(f"{url}/approve", json={"approved_fen": 100_000}) for url in urls),
            funds.post(f"/rounds/{round_id}/cancel", json={"reason": "fund-short"}),
        )
        # Every answer is a decision or a rule, never an error (no deadlock, no lost update).
        assert {r.status_code for r in [*approvals, cancellation]} <= {200, 409}
        round_ = (await funds.get(f"/rounds/{round_id}")).json()
        states = [(await funds.get(url)).json()["state"] for url in urls]
        won = [r.status_code == 200 for r in approvals]
        if cancellation.status_code == 200:
            assert not any(won)
            assert (round_["state"], round_["allocated_fen"]) == ("cancelled", 0)
            assert states == ["rejected"] * 3
        else:
            assert rule_of(cancellation) == "round_has_grants"
            assert round_["state"] == "open"
            assert round_["allocated_fen"] == 100_000 * sum(won)
            assert states == ["approved" if w else "eligible" for w in won]


async def test_a_cancellation_meeting_an_approval_half_way_never_deadlocks(
    funds, fund, grant_round, known_team, sql
):
    """An approval appends to its application's stream, then to the round's; a cancellation
    must take them in the same order, or each would wait for the other's row."""
    round_id = await grant_round(await fund())
    submitted = await submit(funds, round_id, await known_team())
    the_id = UUID(submitted.json()["application_id"])
    await funds.post(f"/applications/{the_id}/eligibility")
    await funds.post(
        f"/applications/{the_id}/reviews", json={"reviewer_id": str(uuid4()), "scores": SCORES}
    )
    store = funds.app.state.runtime.store
    now = datetime.now(UTC)
    async with store.transaction() as approval:
        application = await load(approval, "application", str(the_id), app.evolve)
        round_ = await load(approval, "round", round_id, rounds.evolve)
        approved = ApplicationApproved(application_id=the_id, approved_fen=1, round_id=round_id)
        await approval.append(application.version, [approved], now=now)
        cancelling = asyncio.create_task(
            commands.cancel_round(
                store, UUID(round_id), commands.CancelRound(reason="fund-short"), now
            )
        )

        async def waiting():
            rows = await sql(
                """SELECT count(*) FROM pg_stat_activity
                   WHERE datname = current_database() AND wait_event_type = 'Lock'"""
            )
            return rows[0][0] > 0

        await wait_until(waiting, message="the cancellation waits for the approval's row")
        allocated = RoundAllocated(round_id=round_id, application_id=the_id, amount_fen=1)
        await approval.append(round_.version, [allocated], now=now)
    with pytest.raises(RuleBroken) as refused:
        await cancelling
    assert refused.value.rule == "round_has_grants"


async def test_a_rounds_disclosure_says_why_it_was_closed_early_or_cancelled(
    funds, fund, grant_round, public
):
    fund_id = await fund()
    closed, cancelled, other = [await grant_round(fund_id) for _ in range(3)]
    await funds.post(f"/rounds/{closed}/close", json={"reason": "enough-applications"})
    await funds.post(f"/rounds/{cancelled}/cancel", json={"reason": "fund-short"})
    await funds.post(f"/rounds/{other}/cancel", json={"reason": "merged-into-next"})

    def page(round_id: str):
        return public(f"/public/rounds/{round_id}/disclosure?format=html")

    closed_page = (await page(closed)).text
    assert "<dd>已提前截止（申报已足够）</dd>" in closed_page
    assert "<dt>原定申报截止（北京时间）</dt>" in closed_page
    cancelled_page = (await page(cancelled)).text
    assert "<dd>已取消（基金余额不足）</dd>" in cancelled_page
    assert "<dt>申报截止（北京时间）</dt>" in cancelled_page
    # An office's own code is shown as it is.
    assert "<dd>已取消（merged-into-next）</dd>" in (await page(other)).text

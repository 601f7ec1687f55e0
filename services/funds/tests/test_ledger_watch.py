"""Every fund's ledger is verified when the service starts and on an interval, against the real
PostgreSQL: a forgery is in the metrics without anyone reading the ledger."""

from datetime import UTC, datetime
from uuid import UUID, uuid4

from prometheus_client import REGISTRY

from wushe_events.testing import wait_until
from wushe_funds import ledger_watch, queries
from wushe_funds import store as funds_store
from wushe_funds.commands import funds as commands
from wushe_funds.main import create_app
from wushe_funds.settings import FundsSettings
from wushe_service import testing


def broken(fund_id: str) -> float | None:
    return REGISTRY.get_sample_value("wushe_ledger_broken", {"fund_id": fund_id})


async def tamper(sql, fund_id: str) -> None:
    await sql(
        "UPDATE funds.ledger SET amount_fen = amount_fen + 1 WHERE fund_id = $1 AND sequence = 2",
        UUID(fund_id),
    )


def settings(database_url, nats_url, office, **fields) -> FundsSettings:
    return testing.settings_for(FundsSettings, database_url, nats_url, office, **fields)


async def test_after_a_restart_every_ledger_is_verified_before_anyone_reads_one(
    funds, fund, sql, database_url, nats_url, office
):
    fund_id = await fund(50_000)
    await funds.post(
        f"/funds/{fund_id}/donations", json={"amount_fen": 8_800, "donor_kind": "individual"}
    )
    await tamper(sql, fund_id)
    # Not flagged yet: nobody has read it, and the hourly check is not due. (The first
    # service's start-up check may have run late, under load, after the fund was opened:
    # then it found the ledger good, 0.)
    assert broken(fund_id) in (None, 0.0)

    # The service again, as after a restart (the default interval: only its start-up check).
    async with testing.serving(create_app(settings(database_url, nats_url, office))) as again:

        async def flagged():
            return broken(fund_id) == 1

        await wait_until(flagged, message="the forged ledger flagged at start-up")
        metrics = (await again.get("/metrics")).text
        assert f'wushe_ledger_broken{{fund_id="{fund_id}"}} 1.0' in metrics
        assert "wushe_ledger_sweep_completed_timestamp_seconds" in metrics


async def test_a_ledger_forged_while_the_service_runs_is_flagged_on_the_next_check(
    database_url, nats_url, office, sql
):
    quick = settings(database_url, nats_url, office, funds_ledger_verify_interval=0.05)
    async with testing.serving(create_app(quick)) as funds:
        opened = await funds.post("/funds", json={"name": "全域慈善基金"})
        fund_id = opened.json()["fund_id"]
        for amount in (10_000, 2_000):
            donated = await funds.post(
                f"/funds/{fund_id}/donations",
                json={"amount_fen": amount, "donor_kind": "enterprise"},
            )
            assert donated.status_code == 201, donated.text

        async def verified():
            return broken(fund_id) == 0

        async def flagged():
            return broken(fund_id) == 1

        await wait_until(verified, message="the honest ledger verified unread")
        await tamper(sql, fund_id)
        await wait_until(flagged, message="the forgery flagged by the next check")


def test_the_interval_is_a_setting_with_an_hourly_default(monkeypatch):
    monkeypatch.setenv("WUSHE_OFFICE", "yuyao")
    monkeypatch.delenv("WUSHE_FUNDS_LEDGER_VERIFY_INTERVAL", raising=False)
    assert FundsSettings().funds_ledger_verify_interval == 3600
    monkeypatch.setenv("WUSHE_FUNDS_LEDGER_VERIFY_INTERVAL", "600")
    assert FundsSettings().funds_ledger_verify_interval == 600


class TestWhatASweepVerifies:
    def test_only_ledgers_not_known_good_in_their_present_state_are_verified(self):
        same, grown, forged, new, failed = (uuid4() for _ in range(5))
        good = {same: (3, "a"), grown: (3, "b"), forged: (3, "c")}
        now = {same: (3, "a"), grown: (4, "b2"), forged: (3, "c2"), new: (1, "d"), failed: (2, "e")}
        assert ledger_watch.to_verify(now, good) == [grown, forged, new, failed]
        assert ledger_watch.to_verify(now, {**good, **now}) == []

    async def test_past_256_funds_a_sweep_verifies_in_full_only_what_changed(
        self, funds, fund, runtime, sql
    ):
        store = runtime.store
        opened = [
            await commands.open_fund(store, commands.OpenFund(name=f"基金{n}"), datetime.now(UTC))
            for n in range(300)
        ]
        donated, forged = UUID(await fund(50_000)), UUID(await fund(50_000))
        for fund_id in (donated, forged):
            await funds.post(
                f"/funds/{fund_id}/donations", json={"amount_fen": 800, "donor_kind": "individual"}
            )
        everyone = {*opened, donated, forged}
        sweep = ledger_watch.Sweep()

        first = await sweep.run(store)
        assert set(sweep.verified) == everyone
        assert first == {"valid": 302, "broken": 0, "verified": 302}
        # Nothing changed: nothing is verified in full, every ledger still counts as valid.
        assert await sweep.run(store) == {"valid": 302, "broken": 0, "verified": 0}
        assert sweep.verified == []

        # A new donation (an event) and a forged row (no event at all) are both seen.
        await funds.post(
            f"/funds/{donated}/donations", json={"amount_fen": 100, "donor_kind": "individual"}
        )
        await tamper(sql, str(forged))
        assert await sweep.run(store) == {"valid": 301, "broken": 1, "verified": 2}
        assert set(sweep.verified) == {donated, forged}
        assert broken(str(forged)) == 1
        # A broken ledger is verified again at each sweep, until mended; the rest are not.
        assert await sweep.run(store) == {"valid": 301, "broken": 1, "verified": 1}
        assert sweep.verified == [forged]

    async def test_the_fingerprints_of_all_funds_are_those_each_verification_keys(
        self, funds, fund, runtime, sql
    ):
        empty = await commands.open_fund(
            runtime.store, commands.OpenFund(name="空基金"), datetime.now(UTC)
        )
        funded, forged = UUID(await fund(50_000)), UUID(await fund(30_000))
        await funds.post(
            f"/funds/{forged}/donations", json={"amount_fen": 100, "donor_kind": "individual"}
        )
        await tamper(sql, str(forged))
        async with runtime.store.connection() as db:
            everyone = await funds_store.ledger.ledger_fingerprints(db)
            for fund_id in (empty, funded, forged):
                key, _ = await queries.verification.verify_ledger_state(db, fund_id)
                assert everyone[fund_id] == key, fund_id

"""Looking donations up (by receipt, date, donor kind, refunds) and what happens to a donor's
name given without consent, against the real PostgreSQL."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from wushe_service.auth import Role


async def donate(funds, fund_id, amount, **more):
    body = {"amount_fen": amount, "donor_kind": "individual", **more}
    response = await funds.post(f"/funds/{fund_id}/donations", json=body)
    assert response.status_code == 201, response.text
    return response.json()


class TestListDonations:
    async def test_donations_are_found_by_receipt_kind_refund_and_page(self, funds, fund):
        fund_id, other_fund = await fund(0), await fund(0, name="江滨社区慈善基金")
        first = await donate(funds, fund_id, 10_000, receipt_number="R-1", channel="wechat-pay")
        second = await donate(funds, fund_id, 20_000, donor_kind="enterprise",
                              donor_name="余姚某电器有限公司", publish_donor_name=True)  # fmt: skip
        await donate(funds, other_fund, 5_000, receipt_number="R-2")
        refund = {"amount_fen": 4_000, "reason": "donor-request"}
        url = f"/funds/{fund_id}/donations"
        assert (await funds.post(f"{url}/{first['donation_id']}/refund", json=refund)).is_success

        page = (await funds.get(url, params={"limit": 1})).json()
        rest = (await funds.get(url, params={"limit": 1, "cursor": page["next_cursor"]})).json()
        listed = page["items"] + rest["items"]
        assert rest["next_cursor"] is None
        assert [d["donation_id"] for d in listed] == [first["donation_id"], second["donation_id"]]
        assert listed[0] | {"received_at": None, "refunds": None} == {
            "donation_id": first["donation_id"],
            "number": 1,
            "received_at": None,
            "amount_fen": 10_000,
            "refunded_fen": 4_000,
            "left_to_refund_fen": 6_000,
            "donor_kind": "individual",
            "donor_display": None,
            "channel": "wechat-pay",
            "receipt_number": "R-1",
            "refunds": None,
        }
        assert [(r["amount_fen"], r["reason"]) for r in listed[0]["refunds"]] == [
            (4_000, "donor-request")
        ]
        assert listed[1]["donor_display"] == "余姚某电器有限公司"

        async def ids(**params):
            response = await funds.get(url, params=params)
            assert response.status_code == 200, response.text
            return [d["donation_id"] for d in response.json()["items"]]

        assert await ids(receipt_number="R-1") == [first["donation_id"]]
        assert await ids(donor_kind="enterprise") == [second["donation_id"]]
        assert await ids(refunded="true") == [first["donation_id"]]
        assert await ids(refunded="false") == [second["donation_id"]]
        today = datetime.now(UTC).astimezone().date()
        assert len(await ids(received_from=str(today - timedelta(1)))) == 2
        assert await ids(received_to=str(today - timedelta(2))) == []

    async def test_only_fund_staff_list_donations_and_bad_filters_are_named(
        self, funds, fund, token_for
    ):
        fund_id = await fund(100)
        url = f"/funds/{fund_id}/donations"
        for role, status in [("auditor", 200), ("fund_manager", 200), ("reviewer", 403)]:
            response = await funds.get(url, headers=await token_for(Role(role)))
            assert response.status_code == status, (role, response.text)
        dates = {"received_from": "2026-05-02", "received_to": "2026-05-01"}
        bad = await funds.get(url, params=dates)
        assert (bad.status_code, "received_to" in bad.text) == (422, True)
        kind = await funds.get(url, params={"donor_kind": "alien"})
        assert (kind.status_code, "donor_kind" in kind.text) == (422, True)
        assert (await funds.get(f"/funds/{uuid4()}/donations")).status_code == 404


class TestDonorNames:
    async def test_a_name_given_without_consent_is_said_to_be_kept_nowhere(self, funds, fund, sql):
        fund_id = await fund(0)
        dropped = await donate(funds, fund_id, 100, donor_name="王秀英")
        assert dropped["donor_name_kept"] is False
        assert "not kept" in dropped["note"]
        named = await donate(funds, fund_id, 100, donor_name="李明", publish_donor_name=True)
        assert (named["donor_name_kept"], named["note"]) == (True, None)
        stored = await sql("SELECT data::text AS d FROM funds.events")
        assert not any("王秀英" in r["d"] for r in stored)


class TestRefundNotes:
    async def test_a_note_in_staff_words_is_kept_here_and_never_published(
        self, funds, fund, sql, public
    ):
        fund_id = await fund(0)
        donation = (await donate(funds, fund_id, 10_000))["donation_id"]
        url = f"/funds/{fund_id}/donations/{donation}/refund"
        note = "录入错误，捐款属江滨社区基金"
        unexplained = await funds.post(url, json={"amount_fen": 1_000})
        assert (unexplained.status_code, "reason" in unexplained.text) == (422, True)
        too_long = await funds.post(url, json={"reason": "wrong-fund", "note": "错" * 501})
        assert (too_long.status_code, "note" in too_long.text) == (422, True)
        refused = await funds.post(url, json={"amount_fen": 20_000, "note": note})
        assert refused.status_code == 409
        assert await sql("SELECT * FROM funds.refund_notes") == []  # refused: nothing kept

        refunded = await funds.post(url, json={"reason": "wrong-fund", "note": note})
        assert refunded.status_code == 201, refunded.text
        noted_only = await funds.post(f"{url}", json={"amount_fen": 1, "note": note})
        assert noted_only.status_code == 409  # nothing left to refund
        listed = (await funds.get(f"/funds/{fund_id}/donations")).json()["items"]
        [refund] = listed[0]["refunds"]
        assert (refund["refund_id"], refund["amount_fen"], refund["reason"], refund["note"]) == (
            refunded.json()["refund_id"], 10_000, "wrong-fund", note
        )  # fmt: skip

        # The events table is the outbox too: what is not in it never reaches the bus.
        events = await sql("SELECT data::text AS d FROM funds.events")
        assert not any(note in r["d"] for r in events)
        for page, code in (
            ("ledger", "wrong-fund"),
            ("ledger?format=html", "误入本基金"),
            ("ledger.csv", "误入本基金"),  # headed in Chinese, worded as the page
            ("ledger.csv?header=keys", "wrong-fund"),  # as stored and hashed
        ):
            shown = await public(f"/public/funds/{fund_id}/{page}")
            assert code in shown.text
            assert note not in shown.text

    async def test_a_note_alone_refunds_with_the_code_other(self, funds, fund):
        fund_id = await fund(0)
        donation = (await donate(funds, fund_id, 500))["donation_id"]
        url = f"/funds/{fund_id}/donations/{donation}/refund"
        assert (await funds.post(url, json={"note": "捐赠人要求退回"})).status_code == 201
        [listed] = (await funds.get(f"/funds/{fund_id}/donations")).json()["items"]
        assert [(r["reason"], r["note"]) for r in listed["refunds"]] == [
            ("other", "捐赠人要求退回")
        ]

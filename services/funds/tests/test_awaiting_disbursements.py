"""The office's tranches awaiting their approvers (`GET /disbursements?state=awaiting_approval`)
over HTTP against the real PostgreSQL: listed from their request until paid or withdrawn."""

from uuid import uuid4

from wushe_service.auth import Role

from .conftest import THRESHOLD

AWAITING = "/disbursements?state=awaiting_approval"


async def request(funds, application_id: str, amount: int, headers=None) -> str:
    response = await funds.post(
        f"/applications/{application_id}/disbursements",
        json={"amount_fen": amount},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    return response.json()["disbursement_id"]


async def listed(funds, query: str = "", headers=None) -> list[dict]:
    response = await funds.get(f"{AWAITING}{query}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def test_a_tranche_above_the_threshold_is_listed_until_its_second_approval_pays_it(
    funds, fund, grant_round, approved_grant, token_for
):
    fund_id = await fund()
    round_id = await grant_round(fund_id)
    at_once = await approved_grant(round_id)
    await request(funds, at_once, THRESHOLD)  # at the threshold: paid at once, never waits
    assert await listed(funds) == []

    grant = await approved_grant(round_id, amount=250_000, title="儿童课后托管")
    cashier = await token_for(Role.fund_manager, "出纳", person=uuid4())
    waiting = await request(funds, grant, 150_000, headers=cashier)
    [item] = await listed(funds)
    assert item["disbursement_id"] == waiting
    assert item["application_id"] == grant
    assert (item["title"], item["team_name"]) == ("儿童课后托管", "阳明青年志愿服务队")
    assert (item["fund_id"], item["fund_name"]) == (fund_id, "丰山社区慈善基金")
    assert (item["tranche"], item["amount_fen"], item["amount_yuan"]) == (1, 150_000, "1500.00")
    assert (item["approved_fen"], item["disbursed_fen"]) == (250_000, 0)
    assert (item["approvals"], item["approvals_required"], item["suspended"]) == (0, 2, False)
    assert item["requested_at"]

    approve = f"/applications/{grant}/disbursements/{waiting}/approve"
    first = await token_for(Role.fund_manager, "主任", person=uuid4())
    assert (await funds.post(approve, headers=first)).json()["paid"] is False
    [item] = await listed(funds)
    assert item["approvals"] == 1
    assert (await funds.post(approve)).json()["paid"] is True
    assert await listed(funds) == []


async def test_a_withdrawn_tranche_is_no_longer_listed(funds, fund, grant_round, approved_grant):
    grant = await approved_grant(await grant_round(await fund()))
    waiting = await request(funds, grant, 150_000)
    cancel = f"/applications/{grant}/disbursements/{waiting}/cancel"
    assert (await funds.post(cancel, json={"reason": "amount-wrong"})).status_code == 200
    assert await listed(funds) == []
    again = await request(funds, grant, 120_000)  # asked for again, right
    assert [i["disbursement_id"] for i in await listed(funds)] == [again]


async def test_the_list_pages_the_longest_waiting_first_and_filters_by_fund(
    funds, fund, grant_round, approved_grant
):
    first_fund, other_fund = await fund(), await fund(name="江滨社区慈善基金")
    rounds = [await grant_round(first_fund), await grant_round(other_fund)]
    grants = [await approved_grant(r) for r in (rounds[0], rounds[1], rounds[0])]
    waiting = [await request(funds, g, 150_000) for g in grants]

    page = (await funds.get(f"{AWAITING}&limit=2")).json()
    assert [i["disbursement_id"] for i in page["items"]] == waiting[:2]
    rest = (await funds.get(f"{AWAITING}&limit=2&cursor={page['next_cursor']}")).json()
    assert ([i["disbursement_id"] for i in rest["items"]], rest["next_cursor"]) == (
        waiting[2:],
        None,
    )
    of_fund = await listed(funds, f"&fund={other_fund}")
    assert [i["disbursement_id"] for i in of_fund] == [waiting[1]]


async def test_fund_staff_read_the_list_and_its_state_is_named(funds, token_for):
    assert await listed(funds, headers=await token_for(Role.auditor)) == []
    assert await listed(funds, headers=await token_for(Role.fund_manager)) == []
    as_reviewer = await funds.get(AWAITING, headers=await token_for(Role.reviewer))
    assert as_reviewer.status_code == 403
    assert (await funds.get("/disbursements")).status_code == 422
    assert (await funds.get("/disbursements?state=paid")).status_code == 422

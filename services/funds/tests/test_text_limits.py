"""A note, a reviewer's comments, a summary or a donor's name past its cap fails as any text
does (`string_too_long`, "at most N characters"), changing nothing; and the workbench's boxes
take what the API takes, no more, no less."""

from uuid import uuid4

from wushe_funds.commands.funds import ReceiveDonation, RefundDonation
from wushe_funds.commands.grants import CloseRound, Reject, Review, SubmitApplication
from wushe_service.testing import input_limits, max_length


def _the_error(response, field: str, cap: int) -> None:
    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    assert error == {
        "field": field,
        "message": f"at most {cap} characters",
        "type": "string_too_long",
    }


async def test_a_note_or_comments_past_the_cap_fail_as_any_text_does(
    funds, fund, grant_round, submitted, sql
):
    fund_id = await fund()
    round_id = await grant_round(fund_id)
    application = await submitted(round_id, checked=True)
    events = await sql("SELECT count(*) AS n FROM funds.events")

    review = {"reviewer_id": str(uuid4()), "scores": {"need": 80, "feasibility": 80}}
    url = f"/applications/{application}"
    _the_error(await funds.post(f"{url}/reviews", json={**review, "comments": "长" * 2001}),
               "comments", 2000)  # fmt: skip
    _the_error(await funds.post(f"{url}/reject", json={"note": "长" * 2001}), "note", 2000)
    for verb in ("close", "cancel"):
        body = {"reason": "policy-changed", "note": "长" * 2001}
        _the_error(await funds.post(f"/rounds/{round_id}/{verb}", json=body), "note", 2000)
    donations = (await funds.get(f"/funds/{fund_id}/donations")).json()["items"]
    refund = f"/funds/{fund_id}/donations/{donations[0]['donation_id']}/refund"
    _the_error(await funds.post(refund, json={"note": "错" * 501}), "note", 500)
    assert await sql("SELECT count(*) AS n FROM funds.events") == events  # nothing changed

    page = await funds.get("/workbench")
    limits = input_limits(page.text)
    assert limits["refund-form", "note"] == max_length(RefundDonation, "note") == 500
    assert limits["round-form", "note"] == max_length(CloseRound, "note") == 2000
    assert limits["reject-form", "note"] == max_length(Reject, "note") == 2000
    assert max_length(Review, "comments") == max_length(SubmitApplication, "summary") == 2000

    # At the cap each is taken.
    taken = await funds.post(f"{url}/reviews", json={**review, "comments": "长" * 2000})
    assert taken.status_code == 201, taken.text


async def test_a_summary_past_its_cap_fails_as_any_text_does(funds, fund, grant_round, known_team):
    round_id = await grant_round(await fund())
    body = {
        "team_id": await known_team(),
        "community_id": "fengshan",
        "title": "银龄互助小组",
        "summary": "长" * 2001,
        "requested_fen": 100_000,
        "budget_lines": [{"item": "活动物资", "amount_fen": 100_000}],
    }
    url = f"/rounds/{round_id}/applications"
    _the_error(await funds.post(url, json=body), "summary", 2000)


async def test_a_donor_s_name_has_one_cap_on_the_form_and_in_the_api(funds, fund):
    fund_id = await fund(0)
    url = f"/funds/{fund_id}/donations"
    body = {"amount_fen": 100, "donor_kind": "enterprise", "publish_donor_name": True}
    _the_error(await funds.post(url, json={**body, "donor_name": "某" * 101}), "donor_name", 100)
    assert (await funds.get(url)).json()["items"] == []
    named = await funds.post(url, json={**body, "donor_name": "某" * 100})
    assert named.status_code == 201, named.text

    page = await funds.get("/workbench")
    assert page.status_code == 200, page.text
    limits = input_limits(page.text)
    assert limits["donation-form", "donor_name"] == max_length(ReceiveDonation, "donor_name")

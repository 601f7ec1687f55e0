"""The funds service as a client reading only DESIGN.md calls it: each path of §5's table with
the request fields of §5 and the event catalogue (§4), minimal bodies, against the real
PostgreSQL and NATS. A create answers 201 with the new id under its catalogue name."""

import hashlib
from datetime import UTC, datetime, timedelta
from uuid import uuid4

from wushe_service.auth import Role


def created(response, id_name: str) -> str:
    assert response.status_code == 201, response.text
    return response.json()[id_name]


def done(response) -> dict:
    assert response.status_code == 200, response.text
    return response.json()


async def apply(funds, round_id: str, team_id: str) -> str:
    # budget_lines are required beyond the catalogue's fields (README, applications): what
    # the money is for is published with the grant.
    return created(
        await funds.post(
            f"/rounds/{round_id}/applications",
            json={
                "team_id": team_id,
                "community_id": "fengshan",
                "title": "银龄互助小组",
                "requested_fen": 50_000,
                "budget_lines": [{"item": "活动物资", "amount_fen": 50_000}],
            },
        ),
        "application_id",
    )


class TestTheFundsContract:
    async def test_a_fund_its_donations_a_round_and_a_grants_life(
        self, funds, known_team, token_for, public
    ):
        fund_id = created(
            await funds.post(
                "/funds", json={"community_id": "fengshan", "name": "丰山社区慈善基金"}
            ),
            "fund_id",
        )
        created(
            await funds.post(
                f"/funds/{fund_id}/donations",
                json={
                    "amount_fen": 200_000,
                    "donor_kind": "enterprise",
                    "donor_display": "丰山超市",
                    "channel": "bank-transfer",
                },
            ),
            "donation_id",
        )
        round_id = created(
            await funds.post(
                "/rounds",
                json={
                    "fund_id": fund_id,
                    "budget_fen": 100_000,
                    "themes": ["elderly-care"],
                    "closes_at": (datetime.now(UTC) + timedelta(days=30)).isoformat(),
                },
            ),
            "round_id",
        )
        the_id = await apply(funds, round_id, await known_team())
        url = f"/applications/{the_id}"
        done(await funds.post(f"{url}/eligibility"))  # beyond §5: staff check it first
        reviewer = str(uuid4())
        as_reviewer = await token_for(Role.reviewer, person=reviewer)
        created(
            await funds.post(
                f"{url}/reviews",
                headers=as_reviewer,
                json={"reviewer_id": reviewer, "score": 82, "comments": "需求明确"},
            ),
            "application_id",
        )
        assert done(await funds.post(f"{url}/approve", json={"approved_fen": 50_000}))["state"] == (
            "approved"
        )
        created(
            await funds.post(f"{url}/disbursements", json={"amount_fen": 30_000}),
            "disbursement_id",
        )
        created(
            await funds.post(
                f"{url}/expenses",
                json={
                    "amount_fen": 30_000,
                    "category": "materials",
                    "receipt_sha256": hashlib.sha256(b"receipt-1").hexdigest(),
                },
            ),
            "expense_id",
        )
        completed = await funds.post(f"{url}/complete", json={"beneficiaries": 30, "activities": 6})
        assert done(completed)["state"] == "completed"

        ledger = await public(f"/public/funds/{fund_id}/ledger")
        assert ledger.status_code == 200, ledger.text
        assert ledger.json()["fund_id"] == fund_id

    async def test_an_application_is_rejected_with_no_body_as_with_a_reason(
        self, funds, known_team
    ):
        fund_id = created(await funds.post("/funds", json={"name": "县慈善基金"}), "fund_id")
        round_id = created(
            await funds.post(
                "/rounds",
                json={
                    "fund_id": fund_id,
                    "budget_fen": 100_000,
                    "themes": ["children"],
                    "closes_at": (datetime.now(UTC) + timedelta(days=30)).isoformat(),
                },
            ),
            "round_id",
        )
        quiet = await apply(funds, round_id, await known_team())
        rejected = done(await funds.post(f"/applications/{quiet}/reject"))
        assert (rejected["state"], rejected["rejected_because"]) == ("rejected", "not-selected")
        reasoned = await apply(funds, round_id, await known_team("江滨青年志愿队"))
        rejected = done(
            await funds.post(f"/applications/{reasoned}/reject", json={"reason": "off-theme"})
        )
        assert rejected["rejected_because"] == "off-theme"

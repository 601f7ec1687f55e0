"""Grant rounds over HTTP against the real PostgreSQL and NATS: a grant's whole life, the
rules as 409s, racing disbursements and approvals, the team replica fed by the bus."""

import asyncio
import hashlib
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import orjson

from wushe_events.catalogue.volunteers import TeamMemberAdded, TeamRegistered
from wushe_events.testing import envelope_of, publish, wait_until
from wushe_service.auth import Role

SCORES = {"need": 85, "feasibility": 75}


def rule_of(response) -> str:
    assert response.status_code == 409, response.text
    return response.json()["rule"]


async def submit(funds, round_id, team_id, requested=200_000):
    return await funds.post(
        f"/rounds/{round_id}/applications",
        json={
            "team_id": team_id,
            "community_id": "fengshan",
            "title": "儿童课后托管",
            "summary": "放学后作业辅导与阅读",
            "theme": "children",
            "requested_fen": requested,
            "budget_lines": [
                {"item": "图书", "amount_fen": requested // 2},
                {"item": "场地与物资", "amount_fen": requested - requested // 2},
            ],
        },
    )


class TestAGrantsLife:
    async def test_from_application_to_completion_and_disclosure(
        self, funds, fund, grant_round, known_team, token_for, public
    ):
        member = uuid4()
        fund_id = await fund(1_000_000)
        round_id = await grant_round(fund_id)
        team_id = await known_team("阳光儿童服务社", members=[member])
        submitted = await submit(funds, round_id, team_id, 300_000)
        assert submitted.status_code == 201, submitted.text
        the_id = submitted.json()["application_id"]
        assert rule_of(await submit(funds, round_id, team_id)) == "one_application_per_team"
        url = f"/applications/{the_id}"

        checked = await funds.post(f"{url}/eligibility")
        assert checked.json()["state"] == "eligible"
        as_member = await token_for(Role.reviewer, person=member)
        refused = await funds.post(
            f"{url}/reviews",
            headers=as_member,
            json={"reviewer_id": str(member), "scores": SCORES},
        )
        assert rule_of(refused) == "reviewer_in_team"
        # A reviewer's token acts for its own person only: no reviewing under another name.
        disguised = await funds.post(
            f"{url}/reviews",
            headers=as_member,
            json={"reviewer_id": str(uuid4()), "scores": SCORES},
        )
        assert disguised.status_code == 403
        assert disguised.json()["detail"].startswith("reviewer_id")
        recused = await funds.post(
            f"{url}/recusals", headers=as_member, json={"reviewer_id": str(member)}
        )
        assert recused.status_code == 201, recused.text
        # No review yet (a recusal is none): no approval; the workbench does not offer it.
        assert rule_of(await funds.post(f"{url}/approve", json={"approved_fen": 1})) == (
            "not_reviewed"
        )
        reviewer = str(uuid4())
        as_reviewer = await token_for(Role.reviewer, person=reviewer)
        reviewed = await funds.post(
            f"{url}/reviews", headers=as_reviewer, json={"reviewer_id": reviewer, "scores": SCORES}
        )
        # The reviewer sees their own scores, not the running mean; fund staff see both.
        assert (reviewed.status_code, reviewed.json()["mean_score"]) == (201, None)
        assert [r["score"] for r in reviewed.json()["reviewers"]] == [80]
        assert (await funds.get(url)).json()["mean_score"] == 80
        twice = await funds.post(
            f"{url}/reviews", headers=as_reviewer, json={"reviewer_id": reviewer, "scores": SCORES}
        )
        assert rule_of(twice) == "already_reviewed"
        assert rule_of(await funds.post(f"{url}/approve", json={"approved_fen": 300_001})) == (
            "approval_exceeds_request"
        )
        approved = await funds.post(f"{url}/approve", json={"approved_fen": 250_000})
        assert approved.json()["state"] == "approved"

        first = await funds.post(f"{url}/disbursements", json={"amount_fen": 100_000})
        assert (first.status_code, first.json()["paid"]) == (201, True)
        assert rule_of(await funds.post(f"{url}/disbursements", json={"amount_fen": 1})) == (
            "tranche_not_released"
        )
        beyond = {"amount_fen": 100_001, "category": "materials", "receipt_sha256": "ef" * 32}
        over = await funds.post(f"{url}/expenses", json=beyond)
        assert rule_of(over) == "expense_beyond_disbursed"
        assert over.json()["unreported_fen"] == 100_000  # what may still be reported
        receipt = hashlib.sha256(b"receipt scan").hexdigest()
        expense = {"amount_fen": 60_000, "category": "materials", "receipt_sha256": receipt}
        assert (await funds.post(f"{url}/expenses", json=expense)).status_code == 201
        # Whoever asked for the tranche cannot pass its evaluation; someone else can, once.
        own = await funds.post(f"{url}/evaluations", json={"passed": True})
        assert rule_of(own) == "evaluator_requested_tranche"
        as_evaluator = await token_for(Role.reviewer, "评估专家", person=uuid4())
        evaluation = {"json": {"passed": True}, "headers": as_evaluator}
        passed = await funds.post(f"{url}/evaluations", **evaluation)
        assert passed.json()["tranches_released"] == 2
        again = await funds.post(f"{url}/evaluations", **evaluation)
        assert rule_of(again) == "tranche_already_released"

        # Above the threshold: two approvers, neither the requester.
        requester = await token_for(Role.fund_manager, "出纳")
        second = await funds.post(
            f"{url}/disbursements", headers=requester, json={"amount_fen": 150_000}
        )
        assert (second.status_code, second.json()["paid"]) == (201, False)
        approve = f"{url}/disbursements/{second.json()['disbursement_id']}/approve"
        assert rule_of(await funds.post(approve, headers=requester)) == "requester_cannot_approve"
        director = uuid4()
        one = await token_for(Role.fund_manager, "主任", person=director)
        assert (await funds.post(approve, headers=one)).json()["paid"] is False
        assert rule_of(await funds.post(approve, headers=one)) == "two_different_approvers"
        # A second token of the same person is the same approver.
        spare = await token_for(Role.fund_manager, "主任 (备用)", person=director)
        assert rule_of(await funds.post(approve, headers=spare)) == "two_different_approvers"
        assert (await funds.post(approve)).json()["paid"] is True

        outcomes = {"beneficiaries": 36, "activities": 48}
        early = await funds.post(f"{url}/complete", json=outcomes)
        assert rule_of(early) == "expenses_below_disbursed"
        assert early.json()["unreported_fen"] == 250_000 - 60_000  # for the page to say
        assert (early.json()["disbursed_fen"], early.json()["expenses_fen"]) == (250_000, 60_000)
        assert (await funds.get(url)).json()["state"] == "approved"  # and nothing changed
        rest = {**expense, "amount_fen": 190_000, "receipt_sha256": "cd" * 32}
        assert (await funds.post(f"{url}/expenses", json=rest)).status_code == 201
        done = await funds.post(f"{url}/complete", json=outcomes)
        assert (done.json()["state"], done.json()["disbursed_fen"]) == ("completed", 250_000)
        assert rule_of(await funds.post(f"{url}/disbursements", json={"amount_fen": 1})) == (
            "application_completed"
        )

        ledger = (await public(f"/public/funds/{fund_id}/ledger")).json()
        assert [(e["kind"], e["amount_fen"], e["balance_fen"]) for e in ledger["entries"]] == [
            ("donation", 1_000_000, 1_000_000),
            ("disbursement", 100_000, 900_000),
            ("disbursement", 150_000, 750_000),
        ]
        assert ledger["entries"][1]["counterpart"] == "阳光儿童服务社"
        assert ledger["entries"][2]["purpose"] == "儿童课后托管 (tranche 2)"
        [listed] = (await funds.get(f"/rounds/{round_id}/applications")).json()["items"]
        assert (listed["application_id"], listed["state"]) == (the_id, "completed")
        assert (await funds.get(f"/rounds/{uuid4()}/applications")).status_code == 404
        disclosed = (await public(f"/public/rounds/{round_id}/disclosure")).json()
        [grant] = disclosed["grants"]
        assert grant["grantee"] == "阳光儿童服务社"
        # Where the project is, by the community's name (from the needs service's events).
        assert (grant["community_id"], grant["community_name"], grant["community_street"]) == (
            "fengshan",
            "丰山社区",
            "凤山街道",
        )
        assert disclosed["state"] == "open"
        assert grant["amounts"] == {
            "requested_fen": 300_000,
            "approved_fen": 250_000,
            "disbursed_fen": 250_000,
            "tranches": 2,
        }
        reported = [e.pop("reported_at") for e in grant["expenses"]]
        assert grant["expenses"] == [
            {"category": "materials", "amount_fen": 60_000, "receipt_sha256": receipt},
            {"category": "materials", "amount_fen": 190_000, "receipt_sha256": "cd" * 32},
        ]
        assert reported == sorted(reported)
        assert reported[-1] <= grant["updated_at"]
        assert grant["outcomes"] == {"beneficiaries": 36, "activities": 48}
        assert grant["selection"]["reviews"] == 1

    async def test_a_failed_evaluation_suspends_the_next_tranche(
        self, funds, fund, grant_round, approved_grant
    ):
        the_id = await approved_grant(await grant_round(await fund()))
        url = f"/applications/{the_id}"
        assert rule_of(await funds.post(f"{url}/evaluations", json={"passed": False})) == (
            "nothing_disbursed"
        )
        await funds.post(f"{url}/disbursements", json={"amount_fen": 50_000})
        failed = await funds.post(f"{url}/evaluations", json={"passed": False})
        assert failed.json()["suspended"] is True
        assert rule_of(await funds.post(f"{url}/disbursements", json={"amount_fen": 1})) == (
            "grant_suspended"
        )

    async def test_a_rounds_applications_are_paged_and_filtered_by_state(
        self, funds, fund, grant_round, approved_grant
    ):
        round_id = await grant_round(await fund(), budget=500_000, cap=None)
        approved = [await approved_grant(round_id, amount=10_000) for _ in range(3)]
        pending = await approved_grant(round_id, amount=10_000, approve=False)
        url = f"/rounds/{round_id}/applications"
        first = (await funds.get(url, params={"state": "approved", "limit": 2})).json()
        assert [a["application_id"] for a in first["items"]] == approved[:2]
        second = (
            await funds.get(url, params={"state": "approved", "cursor": first["next_cursor"]})
        ).json()
        assert ([a["application_id"] for a in second["items"]], second["next_cursor"]) == (
            approved[2:], None,
        )  # fmt: skip
        eligible = (await funds.get(url, params={"state": "eligible"})).json()["items"]
        assert [a["application_id"] for a in eligible] == [pending]
        typo = await funds.get(url, params={"state": "aproved"})
        assert typo.status_code == 422

    async def test_completion_gives_the_unpaid_rest_back_to_the_round(
        self, funds, fund, grant_round, approved_grant, sql
    ):
        round_id = await grant_round(await fund(), budget=500_000, cap=None)
        the_id = await approved_grant(round_id, amount=200_000)
        url = f"/applications/{the_id}"
        paid = await funds.post(f"{url}/disbursements", json={"amount_fen": 90_000})
        assert paid.json()["paid"] is True, paid.text
        receipt = hashlib.sha256(uuid4().bytes).hexdigest()
        expense = {"amount_fen": 90_000, "category": "materials", "receipt_sha256": receipt}
        assert (await funds.post(f"{url}/expenses", json=expense)).status_code == 201
        done = await funds.post(f"{url}/complete", json={"beneficiaries": 5, "activities": 2})
        assert done.json()["state"] == "completed", done.text
        assert (await funds.get(f"/rounds/{round_id}")).json()["allocated_fen"] == 90_000
        released = await sql(
            "SELECT data::text AS data FROM funds.events WHERE event_type = $1",
            "wushe.funds.round.released.v1",
        )
        assert [orjson.loads(r["data"]) for r in released] == [
            {
                "round_id": round_id,
                "application_id": the_id,
                "amount_fen": 110_000,
                "community_id": "fengshan",
            }
        ]
        [completed] = await sql(
            "SELECT data::text AS data FROM funds.events WHERE event_type = $1",
            "wushe.funds.project.completed.v1",
        )
        settled = orjson.loads(completed["data"])
        assert (settled["disbursed_fen"], settled["unspent_fen"]) == (90_000, 110_000)

    async def test_a_tranche_waiting_for_approvers_can_be_withdrawn(
        self, funds, fund, grant_round, approved_grant
    ):
        the_id = await approved_grant(await grant_round(await fund()))
        url = f"/applications/{the_id}"
        pending = (await funds.post(f"{url}/disbursements", json={"amount_fen": 150_000})).json()
        cancel = f"{url}/disbursements/{pending['disbursement_id']}/cancel"
        withdrawn = await funds.post(cancel, json={"reason": "amount-wrong"})
        assert withdrawn.json()["disbursements"] == []
        paid = await funds.post(f"{url}/disbursements", json={"amount_fen": 100_000})
        assert paid.json()["paid"] is True
        assert (await funds.post(cancel, json={"reason": "x"})).status_code == 404

    async def test_an_unknown_team_cannot_apply_and_a_rejection_is_final(
        self, funds, fund, grant_round, approved_grant, sql
    ):
        round_id = await grant_round(await fund())
        assert rule_of(await submit(funds, round_id, str(uuid4()))) == "team_unknown"
        the_id = await approved_grant(round_id, approve=False)
        free_text = await funds.post(
            f"/applications/{the_id}/reject", json={"reason": "与主题不符"}
        )
        assert free_text.json()["errors"][0]["field"] == "reason"
        rejected = await funds.post(
            f"/applications/{the_id}/reject",
            json={"reason": "off-theme", "note": "与本轮为老服务主题不符，建议下轮申请"},
        )
        assert (rejected.json()["state"], rejected.json()["rejected_because"]) == (
            "rejected", "off-theme",
        )  # fmt: skip
        assert rejected.json()["rejection_note"] == "与本轮为老服务主题不符，建议下轮申请"
        [published] = await sql(
            "SELECT data::text AS data FROM funds.events WHERE event_type = $1",
            "wushe.funds.application.rejected.v1",
        )
        assert orjson.loads(published["data"]) == {"application_id": the_id, "reason": "off-theme"}
        assert (
            rule_of(await funds.post(f"/applications/{the_id}/approve", json={"approved_fen": 1}))
            == "application_rejected"
        )

    async def test_bad_input_is_a_422_and_unknown_ids_a_404(
        self, funds, fund, grant_round, approved_grant, token_for
    ):
        round_id = await grant_round(await fund())
        the_id = await approved_grant(round_id)
        bad_receipt = {"amount_fen": 1, "category": "materials", "receipt_sha256": "not-a-hash"}
        response = await funds.post(f"/applications/{the_id}/expenses", json=bad_receipt)
        assert response.json()["errors"][0]["field"] == "receipt_sha256"
        assert (await funds.get(f"/applications/{uuid4()}")).status_code == 404
        assert (await funds.post(f"/rounds/{uuid4()}/applications", json={
            "team_id": str(uuid4()), "community_id": "x", "title": "t", "requested_fen": 1,
            "budget_lines": [{"item": "物资", "amount_fen": 1}],
        })).status_code == 404  # fmt: skip
        zero = await funds.post(
            f"/applications/{the_id}/expenses",
            json={"amount_fen": 0, "category": "materials", "receipt_sha256": "a" * 64},
        )
        assert zero.json()["errors"][0]["field"] == "amount_fen"

        # Scores out of range, on an application still under review.
        pending = await approved_grant(round_id, approve=False)
        reviewer = uuid4()
        reviews = await funds.post(
            f"/applications/{pending}/reviews",
            headers=await token_for(Role.reviewer, person=reviewer),
            json={"reviewer_id": str(reviewer), "scores": {"need": 101, "feasibility": 50}},
        )
        assert reviews.status_code == 422
        assert "scores" in reviews.json()["errors"][0]["field"]

    async def test_published_text_carries_no_phone_or_id_number(
        self, funds, fund, grant_round, known_team
    ):
        round_id = await grant_round(await fund())
        application = {
            "team_id": await known_team(),
            "community_id": "fengshan",
            "title": "银龄互助",
            "requested_fen": 1_000,
            "budget_lines": [{"item": "物资", "amount_fen": 1_000}],
        }
        for field, value in [
            ("title", "联系王阿姨 13812345678"),
            ("summary", "负责人身份证 110105 19491231 002X"),
            ("budget_lines", [{"item": "电话 0574-62345678", "amount_fen": 1_000}]),
        ]:
            response = await funds.post(
                f"/rounds/{round_id}/applications", json={**application, field: value}
            )
            assert response.status_code == 422, field
            assert response.json()["errors"][0]["field"].startswith(field)
        donation = {"amount_fen": 100, "donor_kind": "individual", "publish_donor_name": True}
        response = await funds.post(
            f"/funds/{await fund(0)}/donations", json={**donation, "donor_name": "13812345678"}
        )
        assert response.json()["errors"][0]["field"] == "donor_name"
        # Slugs are published too: a reason, a channel, a category.
        phone, landline, somewhere = "call-138-1234-5678", "wang-0574-62345678", uuid4()
        fund_id = await fund(0)
        for url, body, field in [
            (f"/funds/{fund_id}/donations", {**donation, "channel": phone}, "channel"),
            (f"/funds/{fund_id}/donations/{somewhere}/refund", {"reason": phone}, "reason"),
            (
                f"/applications/{somewhere}/expenses",
                {"amount_fen": 1, "category": landline, "receipt_sha256": "ab" * 32},
                "category",
            ),
            (f"/applications/{somewhere}/disbursements/{somewhere}/cancel",
             {"reason": phone}, "reason"),
            (
                f"/applications/{somewhere}/recusals",
                {"reviewer_id": str(somewhere), "reason": landline},
                "reason",
            ),
            (
                "/rounds",
                {"fund_id": fund_id, "budget_fen": 1, "themes": ["t"], "criteria": ["need", phone],
                 "closes_at": "2099-01-01T00:00:00Z"},
                "criteria",
            ),
        ]:  # fmt: skip
            response = await funds.post(url, json=body)
            assert response.status_code == 422, (url, response.text)
            assert response.json()["errors"][0]["field"].startswith(field), response.text

    async def test_only_granted_applications_are_disclosed(
        self, fund, grant_round, approved_grant, public
    ):
        round_id = await grant_round(await fund())
        pending = await approved_grant(round_id, approve=False)
        assert (await public(f"/public/applications/{pending}/disclosure")).status_code == 404
        granted = await approved_grant(round_id)
        assert (await public(f"/public/applications/{granted}/disclosure")).status_code == 200


class TestReviewing:
    async def test_staff_see_the_project_and_every_review_and_comments_stay_off_the_bus(
        self, funds, fund, grant_round, known_team, token_for, sql
    ):
        round_id = await grant_round(await fund())
        need = str(uuid4())
        coordinator = uuid4()
        team_id = await known_team("阳光儿童服务社", coordinators=[coordinator])
        body = {**(await _application(team_id, 100_000)), "summary": "放学后作业辅导",
                "theme": "children", "need_ids": [need]}  # fmt: skip
        the_id = (await funds.post(f"/rounds/{round_id}/applications", json=body)).json()[
            "application_id"
        ]
        url = f"/applications/{the_id}"
        await funds.post(f"{url}/eligibility")
        first, second, recusing = uuid4(), uuid4(), uuid4()
        as_first = await token_for(Role.reviewer, person=first)
        too_long = await funds.post(
            f"{url}/reviews",
            headers=as_first,
            json={"reviewer_id": str(first), "scores": SCORES, "comments": "长" * 2001},
        )
        assert too_long.json()["errors"][0]["field"] == "comments"
        assert (await funds.get(url)).json()["reviews"] == 0
        for who, scores, comments in [
            (first, {"need": 88, "feasibility": 82}, "需求明确"),
            (second, {"need": 90, "feasibility": 85}, None),
        ]:
            reviewed = await funds.post(
                f"{url}/reviews",
                headers=await token_for(Role.reviewer, person=who),
                json={"reviewer_id": str(who), "scores": scores, "comments": comments},
            )
            assert reviewed.status_code == 201, reviewed.text
        await funds.post(
            f"{url}/recusals",
            headers=await token_for(Role.reviewer, person=recusing),
            json={"reviewer_id": str(recusing)},
        )

        # Fund staff see every review; a reviewer their own only (each scores on their own).
        as_first_sees = (await funds.get(url, headers=as_first)).json()
        assert [r["reviewer_id"] for r in as_first_sees["reviewers"]] == [str(first)]
        assert as_first_sees["recusals"] == []
        assert as_first_sees["mean_score"] is None  # under review: not the running mean
        seen = (await funds.get(url, headers=await token_for(Role.auditor))).json()
        assert seen["mean_score"] == 86.25
        listed = f"/rounds/{round_id}/applications"
        for role, person, mean in [
            (Role.reviewer, first, None),
            (Role.coordinator, coordinator, None),
            (Role.fund_manager, None, 86.25),
        ]:
            headers = await token_for(role, person=person)
            [item] = (await funds.get(listed, headers=headers)).json()["items"]
            assert item["mean_score"] == mean, role
        assert (seen["team_name"], seen["summary"], seen["theme"], seen["need_ids"]) == (
            "阳光儿童服务社", "放学后作业辅导", "children", [need],
        )  # fmt: skip
        assert seen["budget_lines"] == [{"item": "图书", "amount_fen": 100_000}]
        assert {r["reviewer_id"]: (r["scores"], r["comments"]) for r in seen["reviewers"]} == {
            str(first): ({"need": 88, "feasibility": 82}, "需求明确"),
            str(second): ({"need": 90, "feasibility": 85}, None),
        }
        assert seen["recusals"] == [
            {
                "reviewer_id": str(recusing),
                "reviewer_name": "test reviewer",  # what their token calls them
                "reason": "conflict-of-interest",
            }
        ]
        as_team = (
            await funds.get(url, headers=await token_for(Role.coordinator, person=coordinator))
        ).json()
        assert as_team["summary"] == "放学后作业辅导"
        assert "reviewers" not in as_team
        as_viewer = (await funds.get(url, headers=await token_for(Role.viewer))).json()
        assert {"summary", "reviewers", "budget_lines"}.isdisjoint(as_viewer)
        published = await sql("SELECT data::text AS data FROM funds.events")
        assert not any("需求明确" in row["data"] for row in published)


class TestApplying:
    async def test_only_the_teams_own_coordinators_or_fund_staff_apply_for_it(
        self, funds, fund, grant_round, known_team, token_for
    ):
        round_id = await grant_round(await fund())
        ours, theirs, member = uuid4(), uuid4(), uuid4()
        our_team = await known_team("阳光社工", coordinators=[ours], members=[member])
        their_team = await known_team("青年志愿队", coordinators=[theirs])
        as_ours = await token_for(Role.coordinator, person=ours)
        squatted = await funds.post(
            f"/rounds/{round_id}/applications",
            headers=as_ours,
            json=(await _application(their_team)),
        )
        assert rule_of(squatted) == "not_team_coordinator"
        as_member = await token_for(Role.coordinator, person=member)
        assert (
            rule_of(
                await funds.post(
                    f"/rounds/{round_id}/applications",
                    headers=as_member,
                    json=(await _application(our_team)),
                )
            )
            == "not_team_coordinator"
        )
        nobody = await token_for(Role.coordinator)
        anonymous = await funds.post(
            f"/rounds/{round_id}/applications", headers=nobody, json=(await _application(our_team))
        )
        assert anonymous.status_code == 403
        assert (await funds.get(f"/rounds/{round_id}/applications")).json()["items"] == []

        as_theirs = await token_for(Role.coordinator, person=theirs)
        own = await funds.post(
            f"/rounds/{round_id}/applications",
            headers=as_theirs,
            json=(await _application(their_team)),
        )
        assert own.status_code == 201, own.text
        staff = await funds.post(
            f"/rounds/{round_id}/applications",
            headers=await token_for(Role.fund_manager),
            json=(await _application(our_team)),
        )
        assert staff.status_code == 201, staff.text

    async def test_budget_lines_are_required_and_add_up_to_the_request(
        self, funds, fund, grant_round, known_team
    ):
        round_id = await grant_round(await fund())
        body = await _application(await known_team())
        for lines in [[], [{"item": "图书", "amount_fen": 1}], None]:
            sent = {**body, "budget_lines": lines} if lines is not None else {
                k: v for k, v in body.items() if k != "budget_lines"
            }  # fmt: skip
            response = await funds.post(f"/rounds/{round_id}/applications", json=sent)
            assert response.status_code == 422, response.text
            assert response.json()["errors"][0]["field"] == "budget_lines"
        assert (await funds.get(f"/rounds/{round_id}/applications")).json()["items"] == []

    async def test_a_team_withdraws_before_review_and_applies_again(
        self, funds, fund, grant_round, known_team, token_for, sql
    ):
        round_id = await grant_round(await fund())
        coordinator, stranger = uuid4(), uuid4()
        team_id = await known_team(coordinators=[coordinator])
        await known_team(coordinators=[stranger])
        as_team = await token_for(Role.coordinator, person=coordinator)
        url = f"/rounds/{round_id}/applications"
        first = await funds.post(url, headers=as_team, json=await _application(team_id, 100_000))
        the_id = first.json()["application_id"]
        as_stranger = await token_for(Role.coordinator, person=stranger)
        assert (
            rule_of(await funds.post(f"/applications/{the_id}/withdraw", headers=as_stranger))
            == "not_team_coordinator"
        )

        withdrawn = await funds.post(f"/applications/{the_id}/withdraw", headers=as_team)
        assert withdrawn.json()["state"] == "withdrawn", withdrawn.text
        again = await funds.post(url, headers=as_team, json=await _application(team_id, 90_000))
        assert (again.status_code, again.json()["application_id"]) == (201, the_id)
        [listed] = (await funds.get(url)).json()["items"]
        assert (listed["state"], listed["requested_fen"]) == ("submitted", 90_000)

        [published] = await sql(
            "SELECT data::text AS data FROM funds.events WHERE event_type = $1",
            "wushe.funds.application.withdrawn.v1",
        )  # the event the relay publishes from the outbox
        data = orjson.loads(published["data"])
        assert data == {"application_id": the_id, "round_id": round_id, "team_id": team_id}

        await funds.post(f"/applications/{the_id}/eligibility")
        reviewer = uuid4()
        await funds.post(
            f"/applications/{the_id}/reviews",
            headers=await token_for(Role.reviewer, person=reviewer),
            json={"reviewer_id": str(reviewer), "scores": SCORES},
        )
        late = await funds.post(f"/applications/{the_id}/withdraw", headers=as_team)
        assert rule_of(late) == "already_reviewed"


async def _application(team_id: str, requested: int = 100_000) -> dict:
    return {
        "team_id": team_id,
        "community_id": "fengshan",
        "title": "儿童课后托管",
        "requested_fen": requested,
        "budget_lines": [{"item": "图书", "amount_fen": requested}],
    }


class TestConcurrency:
    async def test_a_receipt_backs_one_expense_even_when_claimed_at_once(
        self, funds, fund, grant_round, approved_grant
    ):
        round_id = await grant_round(await fund())
        grants = [await approved_grant(round_id, 50_000) for _ in range(2)]
        for grant in grants:
            paid = await funds.post(f"/applications/{grant}/disbursements", json={"amount_fen": 9})
            assert paid.json()["paid"], paid.text
        expense = {"amount_fen": 3, "category": "materials", "receipt_sha256": "ab" * 32}
        racing = await asyncio.gather(
            *(funds.post(f"/applications/{grant}/expenses", json=expense) for grant in grants)
        )
        assert sorted(r.status_code for r in racing) == [201, 409]
        for grant in grants:  # again, on the same application or the other
            assert (
                rule_of(await funds.post(f"/applications/{grant}/expenses", json=expense))
                == "receipt_already_claimed"
            )
        other = {**expense, "receipt_sha256": "cd" * 32}
        assert (await funds.post(f"/applications/{grants[0]}/expenses", json=other)).is_success

    async def test_thirty_racing_disbursements_from_a_fund_that_covers_ten_ten_succeed(
        self, funds, fund, grant_round, approved_grant, public
    ):
        fund_id = await fund(10 * 1_000)
        round_id = await grant_round(fund_id, budget=30 * 5_000, cap=None)
        grants = [await approved_grant(round_id, amount=5_000) for _ in range(30)]
        responses = await asyncio.gather(
            *(
                funds.post(f"/applications/{g}/disbursements", json={"amount_fen": 1_000})
                for g in grants
            )
        )
        codes = sorted(r.status_code for r in responses)
        assert codes == [201] * 10 + [409] * 20
        assert {r.json()["rule"] for r in responses if r.status_code == 409} == {
            "fund_balance_insufficient"
        }
        assert (await funds.get(f"/funds/{fund_id}")).json()["balance_fen"] == 0
        ledger = (await public(f"/public/funds/{fund_id}/ledger")).json()
        assert [e["balance_fen"] for e in ledger["entries"]] == [
            10_000 - 1_000 * n for n in range(11)
        ]
        assert (await public(f"/public/funds/{fund_id}/ledger/verify")).json()["valid"] is True

    async def test_racing_approvals_never_exceed_the_round_budget(
        self, funds, fund, grant_round, approved_grant
    ):
        round_id = await grant_round(await fund(), budget=300_000, cap=None)
        pending = [await approved_grant(round_id, amount=100_000, approve=False) for _ in range(6)]
        responses = await asyncio.gather(
            *(
                funds.post(f"/applications/{a}/approve", json={"approved_fen": 100_000})
                for a in pending
            )
        )
        assert sorted(r.status_code for r in responses) == [200] * 3 + [409] * 3
        assert {r.json()["rule"] for r in responses if r.status_code == 409} == {
            "round_budget_exceeded"
        }
        assert {r.json()["left_fen"] for r in responses if r.status_code == 409} == {0}
        assert (await funds.get(f"/rounds/{round_id}")).json()["allocated_fen"] == 300_000


async def _team_with_a_member(js, office) -> tuple[UUID, UUID]:
    """A team and its member, as the volunteers service publishes them: their ids."""
    team_id, member = uuid4(), uuid4()
    await publish(
        js,
        envelope_of(
            office, TeamRegistered(team_id=team_id, kind="social_org", name="余姚阳光社工"), 1
        ),
        envelope_of(office, TeamMemberAdded(team_id=team_id, volunteer_id=member), 2),
    )
    return team_id, member


async def _member_known(sql, team_id: UUID, member: UUID) -> bool:
    """Whether the funds service's replica has the member (waited for apart from a command
    that would record something while it has not)."""
    rows = "SELECT 1 FROM funds.team_members WHERE team_id = $1 AND volunteer_id = $2"
    return bool(await sql(rows, team_id, member))


class TestTeamReplica:
    async def test_teams_and_members_come_from_the_volunteers_events(
        self, funds, fund, grant_round, js, office, token_for, sql
    ):
        round_id = await grant_round(await fund())
        team_id, member = await _team_with_a_member(js, office)

        async def submitted():
            response = await submit(funds, round_id, str(team_id))
            return response.json() if response.status_code == 201 else None

        the_id = (await wait_until(submitted, message="team known"))["application_id"]
        await funds.post(f"/applications/{the_id}/eligibility")

        # Waited for apart from the review: a review posted before the member is known is
        # recorded, and every later one is then refused as already made.
        await wait_until(lambda: _member_known(sql, team_id, member), message="member known")
        response = await funds.post(
            f"/applications/{the_id}/reviews",
            headers=await token_for(Role.reviewer, person=member),
            json={"reviewer_id": str(member), "scores": SCORES},
        )
        assert response.status_code == 409, response.text
        assert response.json()["rule"] == "reviewer_in_team"

    async def test_a_teams_coordinators_come_from_the_volunteers_events(
        self, funds, fund, grant_round, js, office, token_for
    ):
        round_id = await grant_round(await fund())
        team_id, member = uuid4(), uuid4()
        await publish(
            js,
            envelope_of(office, TeamRegistered(team_id=team_id, kind="social_org", name="阳光"), 1),
            envelope_of(office, TeamMemberAdded(team_id=team_id, volunteer_id=member), 2),
        )
        as_member = await token_for(Role.coordinator, person=member)
        url = f"/rounds/{round_id}/applications"

        async def refused():
            response = await funds.post(
                url, headers=as_member, json=await _application(str(team_id))
            )
            return response.status_code == 409 and response.json()["rule"] == "not_team_coordinator"

        assert await wait_until(refused, message="member known, not as a coordinator")
        promoted = TeamMemberAdded(team_id=team_id, volunteer_id=member, role="coordinator")
        await publish(js, envelope_of(office, promoted, 3))

        async def applied():
            response = await funds.post(
                url, headers=as_member, json=await _application(str(team_id))
            )
            return response.status_code == 201

        assert await wait_until(applied, message="coordinator known")

    async def test_a_member_of_the_team_cannot_evaluate_its_grant_and_auditors_never_do(
        self, funds, fund, grant_round, js, office, token_for, sql
    ):
        round_id = await grant_round(await fund())
        team_id, member = await _team_with_a_member(js, office)

        await wait_until(lambda: _member_known(sql, team_id, member), message="member known")
        submitted = await submit(funds, round_id, str(team_id))
        assert submitted.status_code == 201, submitted.text
        url = f"/applications/{submitted.json()['application_id']}"
        for verb, body in [
            ("eligibility", None),
            ("reviews", {"reviewer_id": str(uuid4()), "scores": SCORES}),
            ("approve", {"approved_fen": 200_000}),
            ("disbursements", {"amount_fen": 50_000}),
        ]:
            response = await funds.post(f"{url}/{verb}", json=body)
            assert response.is_success, response.text
        before = (await funds.get(url)).json()

        as_member = await token_for(Role.reviewer, person=member)
        for passed in (True, False):
            evaluated = await funds.post(
                f"{url}/evaluations", headers=as_member, json={"passed": passed}
            )
            assert rule_of(evaluated) == "evaluator_in_team"
        auditor = await token_for(Role.auditor)
        audited = await funds.post(f"{url}/evaluations", headers=auditor, json={"passed": True})
        assert audited.status_code == 403
        # A reviewer's token naming nobody cannot be checked against the team: refused.
        nobody = await token_for(Role.reviewer)
        anonymous = await funds.post(f"{url}/evaluations", headers=nobody, json={"passed": True})
        assert anonymous.status_code == 403
        assert anonymous.json()["detail"].startswith("evaluator")
        assert (await funds.get(url)).json() == before
        as_outsider = await token_for(Role.reviewer, person=uuid4())
        passed = await funds.post(f"{url}/evaluations", headers=as_outsider, json={"passed": True})
        assert passed.json()["tranches_released"] == 2


async def test_the_ledger_csv_quotes_text_excel_would_run(
    funds, fund, grant_round, approved_grant, public
):
    fund_id = await fund()
    the_id = await approved_grant(await grant_round(fund_id), title="=HYPERLINK(1)")
    paid = await funds.post(f"/applications/{the_id}/disbursements", json={"amount_fen": 1_000})
    assert paid.status_code == 201, paid.text
    csv = (await public(f"/public/funds/{fund_id}/ledger.csv")).text
    assert "'=HYPERLINK(1)" in csv
    assert ",=HYPERLINK" not in csv


class TestOnlyTheGrantsTeamReportsAndCompletes:
    async def test_another_teams_coordinator_can_neither_report_expenses_nor_complete(
        self, funds, fund, grant_round, approved_grant, known_team, token_for
    ):
        ours, theirs = uuid4(), uuid4()
        team_id = await known_team("阳光儿童服务社", coordinators=[ours])
        await known_team("别的志愿队", coordinators=[theirs])
        the_id = await approved_grant(await grant_round(await fund()), team_id=team_id)
        url = f"/applications/{the_id}"
        paid = await funds.post(f"{url}/disbursements", json={"amount_fen": 100_000})
        assert paid.json()["paid"] is True, paid.text
        before = (await funds.get(url)).json()
        expense = {"amount_fen": 100_000, "category": "materials", "receipt_sha256": "ef" * 32}
        outcomes = {"beneficiaries": 20, "activities": 6}

        as_theirs = await token_for(Role.coordinator, person=theirs)
        for verb, body in [("expenses", expense), ("complete", outcomes)]:
            refused = await funds.post(f"{url}/{verb}", headers=as_theirs, json=body)
            assert rule_of(refused) == "not_team_coordinator"
            assert team_id in refused.json()["detail"]
            # A coordinator's token naming nobody acts for no team.
            nobody = await funds.post(
                f"{url}/{verb}", headers=await token_for(Role.coordinator), json=body
            )
            assert nobody.status_code == 403
        assert (await funds.get(url)).json() == before

        as_ours = await token_for(Role.coordinator, person=ours)
        reported = await funds.post(f"{url}/expenses", headers=as_ours, json=expense)
        assert reported.status_code == 201, reported.text
        completed = await funds.post(f"{url}/complete", headers=as_ours, json=outcomes)
        assert (completed.status_code, completed.json()["state"]) == (200, "completed")

    async def test_a_member_who_does_not_coordinate_cannot_report_for_the_team(
        self, funds, fund, grant_round, approved_grant, known_team, token_for
    ):
        member = uuid4()
        team_id = await known_team("阳光儿童服务社", members=[member])
        the_id = await approved_grant(await grant_round(await fund()), team_id=team_id)
        url = f"/applications/{the_id}"
        await funds.post(f"{url}/disbursements", json={"amount_fen": 50_000})
        expense = {"amount_fen": 50_000, "category": "materials", "receipt_sha256": "fa" * 32}
        as_member = await token_for(Role.coordinator, person=member)
        refused = await funds.post(f"{url}/expenses", headers=as_member, json=expense)
        assert rule_of(refused) == "not_team_coordinator"
        assert (await funds.get(url)).json()["expenses_fen"] == 0
        # Fund staff report for any team.
        as_manager = await token_for(Role.fund_manager)
        staff = await funds.post(f"{url}/expenses", headers=as_manager, json=expense)
        assert staff.status_code == 201, staff.text


class TestCommunityEnvelopes:
    """A round of an office-wide fund parted between communities (每个社区的额度)."""

    async def open_round(self, funds, fund_id, envelopes, budget=300_000):
        return await funds.post(
            "/rounds",
            json={
                "fund_id": fund_id,
                "budget_fen": budget,
                "themes": ["elderly-care"],
                "closes_at": (datetime.now(UTC) + timedelta(days=30)).isoformat(),
                "criteria": ["need", "feasibility"],
                "community_budgets_fen": envelopes,
            },
        )

    async def test_no_community_is_granted_more_than_its_envelope_even_racing(
        self, funds, known_team, approved_grant
    ):
        opened = await funds.post("/funds", json={"name": "全市慈善基金", "community_id": None})
        fund_id = opened.json()["fund_id"]
        envelopes = {"fengshan": 150_000, "jiangbin": 100_000}

        over = await self.open_round(funds, fund_id, envelopes, budget=200_000)
        assert over.status_code == 422, over.text
        assert over.json()["errors"][0]["field"] == "community_budgets_fen"
        unknown = await self.open_round(funds, fund_id, {"fengshan": 1, "no-such-place": 1})
        assert rule_of(unknown) == "community_unknown"
        assert unknown.json()["detail"].startswith("community_budgets_fen")
        assert (await funds.get("/rounds", params={"fund": fund_id})).json()["items"] == []

        opened = await self.open_round(funds, fund_id, envelopes)
        assert opened.status_code == 201, opened.text
        round_id = opened.json()["round_id"]
        too_much = await funds.post(
            f"/rounds/{round_id}/applications",
            json={
                "team_id": await known_team(),
                "community_id": "jiangbin",
                "title": "邻里守望",
                "requested_fen": 100_001,
                "budget_lines": [{"item": "物资", "amount_fen": 100_001}],
            },
        )
        assert rule_of(too_much) == "project_cap_exceeded"
        assert "jiangbin's envelope" in too_much.json()["detail"]
        assert too_much.json()["cap_fen"] == 100_000  # the most it may ask for there

        pending = [await approved_grant(round_id, amount=50_000, approve=False) for _ in range(4)]
        responses = await asyncio.gather(
            *(
                funds.post(f"/applications/{a}/approve", json={"approved_fen": 50_000})
                for a in pending
            )
        )
        assert sorted(r.status_code for r in responses) == [200] * 3 + [409]
        refused = next(r for r in responses if r.status_code == 409)
        assert refused.json()["rule"] == "community_budget_exceeded"
        assert refused.json()["left_fen"] == 0  # what is left of the envelope, in fen
        # The round's budget has room; fengshan's envelope has none.
        round_ = (await funds.get(f"/rounds/{round_id}")).json()
        assert round_["allocated_fen"] == 150_000
        assert round_["communities"] == [
            {
                "community_id": "fengshan",
                "name": "丰山社区",
                "street": "凤山街道",
                "budget_fen": 150_000,
                "allocated_fen": 150_000,
                "left_fen": 0,
            },
            {
                "community_id": "jiangbin",
                "name": "江滨社区",
                "street": "阳明街道",
                "budget_fen": 100_000,
                "allocated_fen": 0,
                "left_fen": 100_000,
            },
        ]
        page = await funds.get(f"/public/rounds/{round_id}/disclosure?format=html")
        assert "各社区额度" in page.text
        assert (
            "凤山街道 丰山社区</td><td class='n' data-label='额度（元）'>1,500.00</td>"
            "<td class='n' data-label='已立项（元）'>1,500.00</td>"
        ) in page.text

"""Micro-wishes over HTTP against the real PostgreSQL and NATS: claims under concurrency, the
claimant replica fed by the bus, the public board, expiry."""

import asyncio
import html
import json
import re
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from wushe_events.catalogue.volunteers import (
    VolunteerErased,
    VolunteerRegistered,
    VolunteerSuspended,
)
from wushe_events.testing import envelope_of, publish, wait_until
from wushe_needs.commands.wishes import sweep
from wushe_service.auth import Role

from .conftest import RESIDENT


async def post(needs, body) -> str:
    response = await needs.post("/wishes", json=body)
    assert response.status_code == 201, response.text
    return response.json()["wish_id"]


class TestClaims:
    async def test_twenty_concurrent_claims_of_one_wish_one_succeeds(
        self, needs, community, known_volunteer, wish_body, token_for
    ):
        await community()
        wish_id = await post(needs, wish_body())
        volunteers = [await known_volunteer() for _ in range(20)]
        tokens = {v: await token_for(Role.volunteer, person=v) for v in volunteers}

        async def claim(volunteer_id):
            return await needs.post(
                f"/wishes/{wish_id}/claim",
                headers=tokens[volunteer_id],
                json={"claimant_id": volunteer_id},
            )

        responses = await asyncio.gather(*(claim(v) for v in volunteers))
        codes = sorted(r.status_code for r in responses)
        assert codes == [200] + [409] * 19
        winner = next(r for r in responses if r.status_code == 200).json()["claimant_id"]
        assert {r.json()["rule"] for r in responses if r.status_code == 409} == {"wish_not_open"}
        wish = (await needs.get(f"/wishes/{wish_id}")).json()
        assert (wish["state"], wish["claimant_id"]) == ("claimed", winner)

    async def test_a_volunteer_not_yet_known_is_refused_until_their_registration_arrives(
        self, needs, community, wish_body, js, office
    ):
        await community()
        wish_id = await post(needs, wish_body())
        volunteer_id = uuid4()
        refused = await needs.post(
            f"/wishes/{wish_id}/claim", json={"claimant_id": str(volunteer_id)}
        )
        assert refused.status_code == 409
        assert refused.json()["rule"] == "claimant_unknown"

        registered = VolunteerRegistered(
            volunteer_id=volunteer_id,
            community_id="fengshan",
            certification="none",
            display_name="李志愿者",
        )
        await publish(js, envelope_of(office, registered))

        async def accepted():
            response = await needs.post(
                f"/wishes/{wish_id}/claim", json={"claimant_id": str(volunteer_id)}
            )
            return response.json() if response.status_code == 200 else None

        wish = await wait_until(accepted, message="claim accepted once the volunteer is known")
        assert wish["claimant_display"] == "李志愿者"

    async def test_a_suspended_volunteer_gives_back_the_wishes_they_hold(
        self, needs, community, known_volunteer, wish_body, js, office, sql
    ):
        await community()
        held = [await post(needs, wish_body()) for _ in range(2)]
        kept = await post(needs, wish_body())
        volunteer, other = await known_volunteer(), await known_volunteer()
        for wish_id, claimant in [(held[0], volunteer), (held[1], volunteer), (kept, other)]:
            response = await needs.post(f"/wishes/{wish_id}/claim", json={"claimant_id": claimant})
            assert response.status_code == 200, response.text
        suspended = envelope_of(
            office, VolunteerSuspended(volunteer_id=volunteer, community_id="fengshan"), 2
        )
        await publish(js, suspended)

        async def released():
            states = [(await needs.get(f"/wishes/{w}")).json()["state"] for w in held]
            return states == ["posted", "posted"]

        await wait_until(released, message="the suspended volunteer's wishes are back")
        assert (await needs.get(f"/wishes/{kept}")).json()["state"] == "claimed"
        reasons = await sql(
            """SELECT data->>'reason' FROM needs.events
               WHERE event_type = 'wushe.needs.wish.released.v1'"""
        )
        assert [r[0] for r in reasons] == ["claimant_inactive", "claimant_inactive"]
        refused = await needs.post(f"/wishes/{held[0]}/claim", json={"claimant_id": volunteer})
        assert refused.status_code == 409

    async def test_a_wish_goes_from_claim_to_confirmation(
        self, needs, community, known_volunteer, wish_body, token_for, sql
    ):
        await community()
        wish_id = await post(needs, wish_body())
        volunteer = await known_volunteer()
        as_volunteer = await token_for(Role.volunteer, person=volunteer)
        claimed = await needs.post(
            f"/wishes/{wish_id}/claim", json={"claimant_id": volunteer}, headers=as_volunteer
        )
        assert claimed.status_code == 200, claimed.text
        # The volunteer acts as themself: naming the claimant is optional after the claim.
        for verb, body in [
            ("progress", {"claimant_id": volunteer}),
            ("fulfil", {"hours": 2.5}),
        ]:
            response = await needs.post(
                f"/wishes/{wish_id}/{verb}", json=body, headers=as_volunteer
            )
            assert response.status_code == 200, response.text
        refused = await needs.post(f"/wishes/{wish_id}/confirm", headers=as_volunteer)
        assert refused.status_code == 403
        social_worker = str(uuid4())
        confirmed = await needs.post(
            f"/wishes/{wish_id}/confirm",
            headers=await token_for(Role.social_worker, person=social_worker),
        )
        assert confirmed.json()["state"] == "confirmed"
        # What the social worker verified: the hours reported, and when the wish was done.
        assert confirmed.json()["hours"] == 2.5
        [listed] = (await needs.get("/wishes?state=confirmed")).json()["items"]
        assert listed["hours"] == 2.5
        assert listed["fulfilled_at"] is not None
        # Who confirmed it, for the volunteers service to record as who verified the hours.
        [(data,)] = await sql(
            "SELECT data FROM needs.events WHERE event_type = 'wushe.needs.wish.confirmed.v1' "
            "AND aggregate_id = $1",
            str(wish_id),
        )
        assert json.loads(data)["confirmed_by"] == social_worker

    async def test_a_volunteer_token_acts_only_for_its_own_person(
        self, needs, community, known_volunteer, wish_body, token_for
    ):
        await community()
        wish_id = await post(needs, wish_body())
        volunteer, other = await known_volunteer(), await known_volunteer()
        refusals = [
            (await token_for(Role.volunteer), {"claimant_id": volunteer}, "names none"),
            (
                await token_for(Role.volunteer, person=other),
                {"claimant_id": volunteer},
                "claimant_id: only the volunteer themself, a coordinator, a social worker or an "
                "admin may claim a wish for a volunteer — this token acts for",
            ),
            (
                await token_for(Role.volunteer, person=volunteer),
                {"claimant_id": volunteer, "claimant_kind": "team"},
                "not a team",
            ),
        ]
        for token, body, why in refusals:
            refused = await needs.post(f"/wishes/{wish_id}/claim", json=body, headers=token)
            assert refused.status_code == 403, refused.text
            assert why in refused.json()["detail"]
            assert refused.json()["detail"].startswith("claimant")
        assert (await needs.get(f"/wishes/{wish_id}")).json()["state"] == "posted"

        as_volunteer = await token_for(Role.volunteer, person=volunteer)
        claimed = await needs.post(
            f"/wishes/{wish_id}/claim", json={"claimant_id": volunteer}, headers=as_volunteer
        )
        assert claimed.status_code == 200
        # Another volunteer cannot release it in their name; a coordinator (staff) can.
        as_other = await token_for(Role.volunteer, person=other)
        hijack = await needs.post(
            f"/wishes/{wish_id}/release", json={"claimant_id": volunteer}, headers=as_other
        )
        assert hijack.status_code == 403
        assert hijack.json()["detail"].startswith(
            "claimant_id: only the claimant themself, a coordinator, a social worker or an admin "
            "may give a claimed wish back — "
        )
        released = await needs.post(
            f"/wishes/{wish_id}/release", json={}, headers=await token_for(Role.coordinator)
        )
        assert released.json()["state"] == "posted"

    @pytest.mark.parametrize(
        ("deadline", "kind"),
        [("9999-12-31T00:00:00Z", "deadline_too_far"), ("2020-01-01T00:00:00Z", "in_the_past")],
    )
    async def test_a_deadline_past_or_more_than_a_year_ahead_is_a_422(
        self, needs, community, wish_body, deadline, kind
    ):
        await community()
        response = await needs.post("/wishes", json=wish_body(deadline=deadline))
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"] == "deadline"
        assert response.json()["errors"][0]["type"] == kind

    async def test_a_wish_over_the_offices_cap_is_refused(self, needs, community, wish_body):
        await community()
        response = await needs.post("/wishes", json=wish_body(estimated_value_fen=50_001))
        assert response.status_code == 409
        assert response.json()["rule"] == "wish_value_cap"
        assert response.json()["cap_fen"] == "50000"  # for a page to say the cap


class TestPublicBoard:
    async def test_the_board_needs_no_login_and_never_names_the_resident(
        self, needs, resident, known_volunteer, wish_body
    ):
        resident_id = await resident()
        wish_id = await post(needs, wish_body(resident_id=resident_id))
        volunteer = await known_volunteer(display="李志愿者")
        await needs.post(f"/wishes/{wish_id}/claim", json={"claimant_id": volunteer})
        response = await needs.get("/public/wishes", headers={"Authorization": ""})
        assert response.status_code == 200
        [item] = response.json()["items"]
        assert item == {
            "wish_id": wish_id,
            "community_id": "fengshan",
            "community_name": "丰山社区",
            "category": "daily-goods",
            "category_label": "生活用品",
            "title": "一台收音机",
            "value_fen": 15_000,
            "deadline": item["deadline"],
            "state": "claimed",
            "posted_at": item["posted_at"],
            "claimant_kind": "volunteer",
            "claimant_name": "李志愿者",
        }
        assert resident_id not in response.text
        assert "王秀英" not in response.text

    async def test_the_board_is_also_a_page_to_read_and_print(
        self, needs, resident, known_volunteer, wish_body
    ):
        resident_id = await resident()
        first = await post(needs, wish_body(resident_id=resident_id, title="<b>一台收音机</b>"))
        await post(needs, wish_body(title="一副老花镜", estimated_value_fen=4_550))
        volunteer = await known_volunteer(display="李志愿者")
        await needs.post(f"/wishes/{first}/claim", json={"claimant_id": volunteer})

        page = await needs.get(
            "/public/wishes?limit=1", headers={"Authorization": "", "Accept": "text/html"}
        )

        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        for shown in (
            "&lt;b&gt;一台收音机&lt;/b&gt;",
            "已认领",
            "认领：李志愿者",
            "丰山社区",
            "生活用品",  # daily-goods, as people read it
            "¥150.00",
        ):
            assert shown in page.text
        for hidden in ("<b>", resident_id, "王秀英", "daily-goods"):
            assert hidden not in page.text
        [following] = re.findall(r"href='([^']*cursor=[^']*)'", page.text)
        assert re.search(r"limit=1&amp;.*format=html", following)
        second = await needs.get(html.unescape(following), headers={"Authorization": ""})
        for shown in ("一副老花镜", "¥45.50", "待认领"):
            assert shown in second.text
        assert "下一页" not in second.text

    async def test_a_claimant_whose_data_is_erased_is_named_no_more(
        self, needs, community, known_volunteer, wish_body, js, office
    ):
        await community()
        wish_id = await post(needs, wish_body())
        volunteer = await known_volunteer(display="李志愿者")
        await needs.post(f"/wishes/{wish_id}/claim", json={"claimant_id": volunteer})
        assert (await needs.get(f"/wishes/{wish_id}")).json()["claimant_display"] == "李志愿者"
        erased = VolunteerErased(volunteer_id=volunteer, community_id="fengshan")
        await publish(js, envelope_of(office, erased, 3))

        async def nameless():
            [item] = (await needs.get("/public/wishes")).json()["items"]
            return item["claimant_name"] is None and item

        item = await wait_until(nameless, message="the erased claimant's name is gone")
        assert (item["state"], item["claimant_kind"]) == ("claimed", "volunteer")
        # Nor do the staff's lists keep the name given at the claim (确认心愿 on the workbench).
        assert (await needs.get(f"/wishes/{wish_id}")).json()["claimant_display"] is None
        [listed] = (await needs.get("/wishes")).json()["items"]
        assert (listed["claimant_id"], listed["claimant_display"]) == (volunteer, None)

    async def test_a_filter_the_board_does_not_take_is_refused_not_ignored(self, needs):
        response = await needs.get("/public/wishes?community=fengshan")
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "query.community"
        assert "community_id" in response.json()["detail"]

    async def test_the_board_refuses_states_it_does_not_show_or_does_not_know(self, needs):
        for query in ("state=cancelled", "state=posted&state=expired"):
            response = await needs.get(f"/public/wishes?{query}", headers={"Authorization": ""})
            assert response.status_code == 422, query
            assert "state" in response.text
        unknown = await needs.get("/wishes?state=lost")
        assert unknown.status_code == 422
        assert "state" in unknown.text

    async def test_the_board_pages_and_filters_by_community(self, needs, community, wish_body):
        await community("fengshan")
        await community("lanjiang", "兰江社区", "兰江街道")
        for n in range(3):
            await post(needs, wish_body(title=f"心愿{n}"))
        await post(needs, wish_body(community_id="lanjiang", title="兰江的心愿"))
        first = (await needs.get("/public/wishes?community_id=fengshan&limit=2")).json()
        second = (
            await needs.get(
                f"/public/wishes?community_id=fengshan&limit=2&cursor={first['next_cursor']}"
            )
        ).json()
        titles = [w["title"] for w in first["items"] + second["items"]]
        assert titles == ["心愿0", "心愿1", "心愿2"]
        assert second["next_cursor"] is None

    async def test_a_claimants_wishes_are_found_by_them_in_every_state_asked(
        self, needs, community, known_volunteer, wish_body
    ):
        await community()
        li, zhang = await known_volunteer(), await known_volunteer()
        claimed, fulfilled, theirs, _ = [
            await post(needs, wish_body(title=f"心愿{n}")) for n in range(4)
        ]
        for wish_id, claimant in ((claimed, li), (fulfilled, li), (theirs, zhang)):
            answer = await needs.post(f"/wishes/{wish_id}/claim", json={"claimant_id": claimant})
            assert answer.status_code == 200, answer.text
        assert (await needs.post(f"/wishes/{fulfilled}/fulfil", json={})).status_code == 200

        async def found(query: str) -> list[str]:
            return [w["wish_id"] for w in (await needs.get(f"/wishes?{query}")).json()["items"]]

        assert await found(f"claimant_id={li}") == [claimed]  # live ones, by default
        both = f"claimant_id={li}&state=claimed&state=fulfilled"
        assert await found(both) == [claimed, fulfilled]
        assert await found(f"claimant_id={zhang}") == [theirs]
        assert (await needs.get("/wishes?claimant_id=li")).status_code == 422


class TestSweep:
    async def test_wishes_expire_and_idle_claims_are_released_by_the_sweep(
        self, needs, runtime, community, known_volunteer, wish_body
    ):
        await community()
        soon = datetime.now(UTC) + timedelta(hours=1)
        expiring = await post(needs, wish_body(deadline=soon.isoformat()))
        idle = await post(needs, wish_body())
        await needs.post(f"/wishes/{idle}/claim", json={"claimant_id": await known_volunteer()})
        later = datetime.now(UTC) + timedelta(days=15)
        done = await sweep(runtime.store, later, timedelta(days=14))
        # The idle wish's deadline (7 days) has passed by then too: both expire.
        assert done == {"expired": 2, "released": 0}
        assert (await needs.get(f"/wishes/{expiring}")).json()["state"] == "expired"
        assert (await needs.get(f"/wishes/{idle}")).json()["state"] == "expired"

    async def test_a_claim_idle_for_the_offices_days_goes_back_to_the_board(
        self, needs, runtime, community, known_volunteer, wish_body
    ):
        await community()
        far = datetime.now(UTC) + timedelta(days=60)
        wish_id = await post(needs, wish_body(deadline=far.isoformat()))
        await needs.post(f"/wishes/{wish_id}/claim", json={"claimant_id": await known_volunteer()})
        assert await sweep(
            runtime.store, datetime.now(UTC) + timedelta(days=13), timedelta(days=14)
        ) == {"expired": 0, "released": 0}
        assert await sweep(
            runtime.store, datetime.now(UTC) + timedelta(days=15), timedelta(days=14)
        ) == {"expired": 0, "released": 1}
        wish = (await needs.get(f"/wishes/{wish_id}")).json()
        assert (wish["state"], wish["claimant_id"]) == ("posted", None)


class TestWishesOfNeeds:
    async def answered(self, needs, resident, surveyed, wish_body, **changes):
        rid = await resident()
        [need_id] = await surveyed(rid, ("meal-delivery", "material", "high"))
        body = wish_body(need_id=need_id, community_id=None, **changes)
        return need_id, await post(needs, body)

    async def test_a_cancelled_wish_puts_its_need_back_on_the_list(
        self, needs, resident, surveyed, wish_body
    ):
        need_id, wish_id = await self.answered(needs, resident, surveyed, wish_body)
        matched = (await needs.get(f"/needs/{need_id}")).json()
        assert (matched["state"], matched["match_id"]) == ("matched", wish_id)

        assert (await needs.post(f"/wishes/{wish_id}/cancel", json={})).status_code == 200

        listed = (await needs.get(f"/needs/{need_id}")).json()
        assert (listed["state"], listed["match_kind"], listed["match_id"]) == ("open", None, None)
        again = await needs.post("/wishes", json=wish_body(need_id=need_id, community_id=None))
        assert again.status_code == 201, again.text

    async def test_a_confirmed_wish_resolves_its_need(
        self, needs, resident, surveyed, wish_body, known_volunteer
    ):
        need_id, wish_id = await self.answered(needs, resident, surveyed, wish_body)
        await needs.post(f"/wishes/{wish_id}/claim", json={"claimant_id": await known_volunteer()})
        await needs.post(f"/wishes/{wish_id}/fulfil", json={"hours": 1})
        assert (await needs.get(f"/needs/{need_id}")).json()["state"] == "matched"

        assert (await needs.post(f"/wishes/{wish_id}/confirm")).status_code == 200

        resolved = (await needs.get(f"/needs/{need_id}")).json()
        assert (resolved["state"], resolved["reason"]) == ("resolved", "wish-confirmed")
        listed = (await needs.get("/communities/fengshan/needs")).json()
        assert need_id not in str(listed["items"])

    async def test_an_expired_wish_puts_its_need_back_on_the_list(
        self, needs, runtime, resident, surveyed, wish_body, sql
    ):
        soon = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
        need_id, _ = await self.answered(needs, resident, surveyed, wish_body, deadline=soon)
        await sweep(runtime.store, datetime.now(UTC) + timedelta(days=1), timedelta(days=14))
        assert (await needs.get(f"/needs/{need_id}")).json()["state"] == "open"
        types = await sql(
            "SELECT event_type FROM needs.events WHERE aggregate_id = $1 ORDER BY version",
            need_id,
        )
        assert [t[0] for t in types][-1] == "wushe.needs.need.unmatched.v1"

    async def test_a_need_with_a_live_wish_is_neither_resolved_nor_answered_twice(
        self, needs, resident, surveyed, wish_body
    ):
        need_id, wish_id = await self.answered(needs, resident, surveyed, wish_body)
        closing = await needs.post(
            f"/needs/{need_id}/resolve", json={"outcome": "closed", "reason": "moved-away"}
        )
        assert closing.status_code == 409, closing.text
        assert closing.json()["rule"] == "need_has_live_wish"
        second = await needs.post("/wishes", json=wish_body(need_id=need_id, community_id=None))
        assert second.status_code == 409, second.text
        assert second.json()["rule"] == "need_has_live_wish"

        await needs.post(f"/wishes/{wish_id}/cancel", json={})
        closed = await needs.post(
            f"/needs/{need_id}/resolve", json={"outcome": "closed", "reason": "moved-away"}
        )
        assert closed.status_code == 200, closed.text

    async def test_a_need_whose_wish_was_fulfilled_is_resolved(
        self, needs, resident, surveyed, wish_body, known_volunteer
    ):
        need_id, wish_id = await self.answered(needs, resident, surveyed, wish_body)
        await needs.post(f"/wishes/{wish_id}/claim", json={"claimant_id": await known_volunteer()})
        await needs.post(f"/wishes/{wish_id}/fulfil", json={})
        resolved = await needs.post(
            f"/needs/{need_id}/resolve", json={"outcome": "resolved", "reason": "service-provided"}
        )
        assert resolved.status_code == 200, resolved.text
        assert resolved.json()["state"] == "resolved"


class TestTitles:
    async def test_a_title_naming_the_resident_is_refused_as_it_is_public(
        self, needs, resident, wish_body, count_events
    ):
        resident_id = await resident()
        before = await count_events()
        for title in ("给王秀英买收音机", "秀英奶奶的收音机", "王奶奶想要一台收音机"):
            response = await needs.post(
                "/wishes", json=wish_body(resident_id=resident_id, title=title)
            )
            assert response.status_code == 422, title
            assert response.json()["errors"][0]["field"] == "title"
            assert response.json()["errors"][0]["type"] == "title_names_someone"
        assert await count_events() == before

    async def test_a_title_naming_someone_else_is_the_social_workers_call(
        self, needs, resident, wish_body
    ):
        resident_id = await resident()
        for title in ("李奶奶推荐的收音机", "王家小院的收音机"):
            response = await needs.post(
                "/wishes", json=wish_body(resident_id=resident_id, title=title)
            )
            assert response.status_code == 201, title

    async def test_a_title_naming_another_resident_of_the_office_is_refused_unrepeated(
        self, needs, resident, community, surveyed, wish_body, count_events
    ):
        await resident(name="陈建国", id_number=None, phone=None)
        registered = await needs.post(
            "/residents", json={**RESIDENT, "name": "张桂英", "id_number": None}
        )
        zhang = registered.json()["resident_id"]
        need_id = (await surveyed(zhang, ("daily-goods", "material", "normal")))[0]
        await community("shengshan2", name="胜山二村", street="朗霞街道")
        before = await count_events()
        for body in (
            wish_body(community_id="shengshan2", title="给陈建国家孩子买书包"),
            wish_body(community_id="shengshan2", title="给陈 建·国家孩子买书包"),
            wish_body(community_id=None, need_id=need_id, title="请陈建国的邻居老人帮买菜"),
        ):
            response = await needs.post("/wishes", json=body)
            assert response.status_code == 422, body["title"]
            assert response.json()["errors"][0]["field"] == "title"
            assert response.json()["errors"][0]["type"] == "title_names_someone"
            assert "陈建国" not in response.text
        assert await count_events() == before

    async def test_a_title_naming_an_erased_resident_or_no_resident_is_posted(
        self, needs, resident, wish_body
    ):
        erased = await resident(name="陈建国", id_number=None, phone=None)
        gone = await needs.delete(f"/residents/{erased}/personal-data")
        assert gone.status_code == 200, gone.text
        for title in ("给陈建国家孩子买书包", "给李明华买一台收音机"):
            assert (await needs.post("/wishes", json=wish_body(title=title))).status_code == 201

    async def test_a_surname_with_xing_or_a_phone_tail_is_refused_for_any_wish(
        self, needs, community, wish_body, count_events
    ):
        await community()
        before = await count_events()
        titles = (
            ("张姓独居老人要一台收音机", "title_names_someone"),
            ("姓张的老人要收音机", "title_names_someone"),
            ("手机尾号2345的老人", "title_gives_details"),
            ("尾号２３４５", "title_gives_details"),
        )
        for title, kind in titles:
            response = await needs.post("/wishes", json=wish_body(title=title))
            assert response.status_code == 422, title
            assert response.json()["errors"][0]["field"] == "title"
            assert response.json()["errors"][0]["type"] == kind
        assert await count_events() == before

    async def test_a_title_giving_the_residents_address_is_refused_without_repeating_it(
        self, needs, resident, wish_body, count_events
    ):
        resident_id = await resident()
        before = await count_events()
        for title in ("丰山社区3幢2单元101需要轮椅", "3幢2单元的轮椅"):
            response = await needs.post(
                "/wishes", json=wish_body(resident_id=resident_id, title=title)
            )
            assert response.status_code == 422, title
            assert response.json()["errors"][0]["field"] == "title"
            assert response.json()["errors"][0]["type"] == "title_gives_details"
            assert "3幢" not in response.text
        assert await count_events() == before
        fine = await needs.post(
            "/wishes", json=wish_body(resident_id=resident_id, title="丰山社区的一台轮椅")
        )
        assert fine.status_code == 201, fine.text

    async def test_a_title_with_a_phone_number_is_refused(self, needs, community, wish_body):
        await community()
        response = await needs.post("/wishes", json=wish_body(title="联系13812345678"))
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "title"

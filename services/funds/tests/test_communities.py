"""The funds service's replica of the needs service's communities, fed by the real bus: a
fund or a project names a registered community, and the public reads its name."""

from uuid import uuid4

from wushe_events.catalogue.needs import CommunityRegistered, CommunityRenamed
from wushe_events.testing import envelope_of, publish, wait_until


def a_slug() -> str:
    return f"meiyuan-{uuid4().hex[:8]}"


async def known(funds, community_id: str, name: str | None = None):
    async def probe():
        response = await funds.get(f"/communities/{community_id}")
        if response.status_code != 200:
            return None
        found = response.json()
        return found if name is None or found["name"] == name else None

    return await wait_until(probe, message=f"{community_id} known to funds")


class TestTheReplica:
    async def test_communities_and_their_renaming_come_from_the_needs_events(
        self, funds, js, office
    ):
        slug = a_slug()
        assert (await funds.get(f"/communities/{slug}")).status_code == 404
        registered = envelope_of(
            office, CommunityRegistered(community_id=slug, name="梅园社区", street="凤山街道"), 1
        )
        await publish(js, registered)
        assert (await known(funds, slug))["street"] == "凤山街道"
        renamed = CommunityRenamed(community_id=slug, name="梅园新村社区", street="凤山街道")
        await publish(js, envelope_of(office, renamed, 2))
        await known(funds, slug, "梅园新村社区")
        # An older registration arriving late (another id: not a redelivery) changes nothing,
        # and neither does the same registration delivered again.
        late = CommunityRegistered(community_id=slug, name="梅园社区", street="凤山街道")
        await publish(js, envelope_of(office, late, 1), registered)
        marker = a_slug()
        marked = CommunityRegistered(community_id=marker, name="标记社区", street="凤山街道")
        await publish(js, envelope_of(office, marked, 1))
        await known(funds, marker)  # consumed in order: the late ones were handled before it
        assert (await funds.get(f"/communities/{slug}")).json()["name"] == "梅园新村社区"

    async def test_the_communities_known_are_listed_by_street(self, funds, js, office):
        first, second, elsewhere = sorted(a_slug() for _ in range(3))
        street = f"梅园街道{uuid4().hex[:4]}"  # its own: the fixtures register others
        for slug, on in ((first, street), (second, street), (elsewhere, "兰江街道")):
            registered = CommunityRegistered(community_id=slug, name=f"{slug}社区", street=on)
            await publish(js, envelope_of(office, registered, 1))
            await known(funds, slug)

        async def listed(query: str) -> list[str]:
            page = (await funds.get(f"/communities?{query}")).json()
            return [c["community_id"] for c in page["items"]]

        assert await listed(f"street={street}") == [first, second]  # by id
        assert await listed(f"street={street}&limit=1") == [first]
        assert set(await listed("limit=200")) >= {first, second, elsewhere}

    async def test_a_fund_of_a_community_shows_its_name_to_the_public(
        self, funds, js, office, public
    ):
        slug = a_slug()
        event = CommunityRegistered(community_id=slug, name="梅园社区", street="凤山街道")
        await publish(js, envelope_of(office, event, 1))
        await known(funds, slug)
        opened = await funds.post("/funds", json={"name": "梅园社区慈善基金", "community_id": slug})
        assert opened.status_code == 201, opened.text
        fund_id = opened.json()["fund_id"]

        ledger = (await public(f"/public/funds/{fund_id}/ledger")).json()
        assert (ledger["community_id"], ledger["community_name"], ledger["community_street"]) == (
            slug,
            "梅园社区",
            "凤山街道",
        )
        listed = (await public(f"/public/funds?community={slug}")).json()["items"]
        assert [(f["community_name"], f["community_street"]) for f in listed] == [
            ("梅园社区", "凤山街道")
        ]
        page = (await public(f"/public/funds/{fund_id}/ledger?format=html")).text
        assert "社区：凤山街道 梅园社区" in page
        assert f"社区：{slug}" not in page


class TestUnknownCommunities:
    async def test_a_fund_of_an_unknown_community_is_refused_and_not_opened(self, funds):
        before = (await funds.get("/funds", params={"limit": 200})).json()["items"]
        response = await funds.post("/funds", json={"name": "无名基金", "community_id": "nowhere"})
        assert response.status_code == 409, response.text
        assert response.json()["rule"] == "community_unknown"
        assert "community_id" in response.json()["detail"]
        assert (await funds.get("/funds", params={"limit": 200})).json()["items"] == before

    async def test_a_project_in_an_unknown_community_is_refused(
        self, funds, grant_round, known_team
    ):
        office_wide = await funds.post("/funds", json={"name": "全域公益创投基金"})
        round_id = await grant_round(office_wide.json()["fund_id"])
        body = {
            "team_id": await known_team(),
            "community_id": "nowhere",
            "title": "无处可去",
            "requested_fen": 1_000,
            "budget_lines": [{"item": "物资", "amount_fen": 1_000}],
        }
        response = await funds.post(f"/rounds/{round_id}/applications", json=body)
        assert response.status_code == 409, response.text
        assert response.json()["rule"] == "community_unknown"
        assert "community_id" in response.json()["detail"]
        listed = (await funds.get(f"/rounds/{round_id}/applications")).json()["items"]
        assert listed == []

"""Small-cell suppression of the figures anyone reads: without a token, a count about residents
from 1 to N-1 (N = `WUSHE_PUBLIC_MIN_COUNT`) is withheld and every other one rounded; an
auditor's, viewer's or admin's token reads every count exact — over the real PostgreSQL and NATS.

The scripted office (conftest): 丰山社区 has two residents and one open need, 江滨社区 one
resident; the office three residents, four surveys, two open needs."""

from datetime import date
from uuid import uuid4

import pytest

from wushe_events.catalogue import needs as n
from wushe_events.subjects import stream_name
from wushe_events.testing import envelope_of, publish, wait_until
from wushe_reporting import snapshots
from wushe_service.auth import Role
from wushe_service.testing import serving, token_for

LEAST = 3


async def rebuilt(client) -> None:
    """Once the replay a new database starts with is over: while it runs the figures are
    cleared and filled again (a community asked for then is not yet there, a 404)."""

    async def done() -> bool:
        return (await client.get("/api/lag")).json()["rebuilding"] is False

    await wait_until(done, message="the replay over")


@pytest.fixture
async def public(reporting_app, js, office, history, consumed):
    """The reporting service withholding counts below 3, with the scripted office's events."""
    app = reporting_app(public_min_count=LEAST)
    async with serving(app, token="") as client:  # no token, unless a test gives one
        client.app = app
        events = history(office)
        await publish(js, *events)
        await wait_until(lambda: consumed(len(events)), message="all consumed")
        await rebuilt(client)
        yield client


@pytest.fixture
async def fenghuang(reporting_app, js, office, consumed):
    """An office of one street, 凤凰街道: four residents, not few; but three live in 东山 and one
    in 西山."""
    events = [
        envelope_of(office, n.CommunityRegistered(community_id=c, name=c, street="凤凰街道"))
        for c in ("dongshan", "xishan")
    ]
    for community in ["dongshan"] * 3 + ["xishan"]:
        registered = n.ResidentRegistered(
            resident_id=uuid4(), community_id=community, groups=["elderly"], age_band="80_plus"
        )
        events.append(envelope_of(office, registered))
    app = reporting_app(public_min_count=LEAST)
    async with serving(app, token="") as client:
        await publish(js, *events)
        await wait_until(lambda: consumed(len(events)), message="all consumed")
        await rebuilt(client)
        yield client


@pytest.fixture
def token(public):
    return token_for(public.app.state.runtime)


async def figures_of(client, headers=None, **params):
    response = await client.get("/api/figures", params=params, headers=headers or {})
    assert response.status_code == 200, response.text
    return response.json()


class TestWithoutAToken:
    async def test_a_community_s_small_counts_are_withheld_and_its_table_says_so(
        self, public, office
    ):
        fengshan = await figures_of(public, office=office, community="fengshan")
        residents = fengshan["residents"]
        assert residents["total"] is None  # two residents
        assert residents["by_group"] == {"dibao": None, "elderly": None, "elderly_alone": None}
        assert (residents["below"], residents["rounded_to"]) == (LEAST, LEAST)
        needs = fengshan["needs"]
        assert needs["open"] is None
        assert needs["by_category"] == {"meal-delivery": None}
        assert needs["coverage"] is None  # a share of counts withheld would narrow them back
        assert fengshan["surveys"]["dimensions"]["physical"]["2"] is None
        assert fengshan["surveys"]["by_month"][0]["count"] is None

    async def test_money_volunteers_and_hours_point_at_nobody_and_stay_exact(
        self, public, office, token
    ):
        viewer = await token(Role.viewer)
        shown = await figures_of(public, office=office, community="fengshan")
        exact = await figures_of(public, viewer, office=office, community="fengshan")
        for section in ("money", "volunteers", "hours", "organisations", "activities", "grants"):
            assert shown[section] == exact[section], section

    async def test_an_office_s_totals_are_rounded_too(self, public, office):
        whole = await figures_of(public, office=office)
        assert whole["residents"]["total"] == 3
        assert whole["surveys"]["total"] == 3  # four
        assert whole["residents"]["by_group"]["elderly"] is None  # one, in the whole office
        assert whole["residents"]["below"] == LEAST
        assert whole["needs"]["open"] is None  # two open needs: small, office or not

    async def test_zero_is_shown_as_zero(self, public, office):
        # No survey in December: zeros point at nobody.
        quiet = await figures_of(public, office=office, **{"from": "2026-12", "to": "2026-12"})
        assert quiet["surveys"]["total"] == 0
        assert quiet["surveys"]["by_method"] == {}

    async def test_the_drill_down_and_the_overview_withhold_small_counts_too(self, public, office):
        places = (await public.get(f"/api/offices/{office}/communities")).json()
        communities = {c["community_id"]: c for s in places["streets"] for c in s["communities"]}
        assert communities["fengshan"]["residents"] is None
        assert communities["fengshan"]["below"] == LEAST
        overview = (await public.get("/api/overview")).json()
        [mine] = [o for o in overview["offices"] if o["office"] == office]
        assert mine["residents"] == 3  # an office's total, not small (3 is its own rounding)
        assert mine["open_needs"] is None
        assert mine["raised_fen"] == 1_520_000

    async def test_a_snapshot_withholds_as_the_live_figures_do(self, public, office, database_url):
        runtime = public.app.state.runtime
        await snapshots.take(
            runtime.store,
            database_url,
            runtime.js,
            stream=stream_name(office),
            subjects="wushe.*.>",
            as_of=date(2026, 11, 30),
            offices=runtime.settings.configured_offices(),
        )
        shown = (await public.get(f"/api/snapshots/2026-11-30?office={office}")).json()
        assert shown["figures"]["residents"]["total"] == 3
        assert shown["figures"]["residents"]["by_group"]["elderly"] is None
        assert shown["figures"]["needs"]["open"] is None
        whole = (await public.get("/api/snapshots/2026-11-30")).json()
        assert whole["figures"]["needs"]["open"] is None
        [mine] = [o for o in whole["overview"]["offices"] if o["office"] == office]
        assert mine["open_needs"] is None


class TestAPlaceAboveACommunity:
    """Exact, the street less its other communities, or the office less its other streets,
    would give 西山's one resident back: they are rounded as it is."""

    async def test_a_street_and_its_communities_are_rounded(self, fenghuang, office):
        street = (await figures_of(fenghuang, office=office, street="凤凰街道"))["residents"]
        assert street["total"] == 3  # 4, rounded to a multiple of 3
        assert street["by_group"] == {"elderly": 3}
        assert street["below"] == LEAST
        dongshan = (await figures_of(fenghuang, office=office, community="dongshan"))["residents"]
        assert (dongshan["total"], dongshan["by_group"]) == (3, {"elderly": 3})
        assert dongshan["below"] == LEAST  # three, and rounded as every count is
        xishan = (await figures_of(fenghuang, office=office, community="xishan"))["residents"]
        assert xishan["total"] is None

    async def test_an_office_and_all_offices_are_rounded_total_and_all(self, fenghuang, office):
        for whole in (await figures_of(fenghuang, office=office), await figures_of(fenghuang)):
            residents = whole["residents"]
            assert residents["total"] == 3  # four: less 东山's 3 it gives 0, not 西山's 1
            assert residents["by_group"] == {"elderly": 3}
            assert residents["by_age_band"]["80_plus"] == 3
            assert residents["below"] == LEAST


class TestWithAToken:
    @pytest.mark.parametrize("role", [Role.viewer, Role.auditor, Role.admin])
    async def test_staff_who_read_figures_get_every_count_exact(self, public, office, token, role):
        headers = await token(role)
        fengshan = await figures_of(public, headers, office=office, community="fengshan")
        assert fengshan["residents"]["total"] == 2
        assert fengshan["residents"]["by_group"]["elderly"] == 1
        assert "below" not in fengshan["residents"]
        assert fengshan["needs"]["open"] == 1
        places = (await public.get(f"/api/offices/{office}/communities", headers=headers)).json()
        residents = {
            c["community_id"]: c["residents"] for s in places["streets"] for c in s["communities"]
        }
        assert residents["fengshan"] == 2
        overview = (await public.get("/api/overview", headers=headers)).json()
        [mine] = [o for o in overview["offices"] if o["office"] == office]
        assert mine["open_needs"] == 2

    async def test_another_role_s_token_is_refused_naming_who_may(self, public, office, token):
        response = await public.get("/api/figures", headers=await token(Role.volunteer))
        assert response.status_code == 403
        assert "auditor" in response.json()["detail"]
        unknown = await public.get("/api/figures", headers={"Authorization": "Bearer wst_nope"})
        assert unknown.status_code == 401


class TestExports:
    async def test_the_needs_rows_export_only_with_a_token_while_counts_are_withheld(
        self, public, office, token
    ):
        listed = {t["table"]: t for t in (await public.get("/api/export")).json()["tables"]}
        assert (listed["needs"]["token"], listed["needs"]["per_person"]) == (True, False)
        assert listed["wishes"]["token"] is False  # each wish is on the public board
        assert listed["residents"]["token"] is True
        refused = await public.get("/api/export/needs.csv?community=fengshan")
        assert refused.status_code == 401
        rows = await public.get(
            "/api/export/needs.csv?community=fengshan", headers=await token(Role.viewer)
        )
        assert rows.status_code == 200
        assert len(rows.text.removeprefix("\ufeff").splitlines()) == 1 + 2  # n1, n2: exact
        assert (await public.get("/api/export/wishes.csv")).status_code == 200

    async def test_with_every_count_shown_the_needs_rows_export_to_anyone(self, reporting_app):
        async with serving(reporting_app(public_min_count=1), token="") as client:
            listed = {t["table"]: t for t in (await client.get("/api/export")).json()["tables"]}
            assert listed["needs"]["token"] is False
            assert (await client.get("/api/export/needs.csv")).status_code == 200

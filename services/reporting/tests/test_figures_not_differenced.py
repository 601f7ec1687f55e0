"""The public figures cannot be subtracted to give a withheld count back: not an office or a
street less its shown communities, not a period less its shown months, not a snapshot's
offices less one — over the real PostgreSQL and NATS (WUSHE_PUBLIC_MIN_COUNT 3).

The office: one street, 凤凰街道; 东山 has four residents, 西山 one (withheld wherever it
stands alone). 东山's four were surveyed three in October and one in November."""

from datetime import UTC, date, datetime
from uuid import uuid4

import pytest

from wushe_events.catalogue import needs as n
from wushe_events.subjects import stream_name
from wushe_events.testing import envelope_of, publish, wait_until
from wushe_reporting import snapshots
from wushe_service.auth import Role
from wushe_service.testing import serving, token_for

LEAST = 3
OCTOBER = datetime(2026, 10, 10, 2, tzinfo=UTC)
NOVEMBER = datetime(2026, 11, 10, 2, tzinfo=UTC)
LEVELS = n.Dimensions(physical=1, psychological=0, material=2, spiritual=0)
MARKED = {"below": LEAST, "rounded_to": LEAST}


def history(office):
    events = [
        envelope_of(
            office, n.CommunityRegistered(community_id=c, name=c, street="凤凰街道"), at=OCTOBER
        )
        for c in ("dongshan", "xishan")
    ]
    for i, community in enumerate(["dongshan"] * 4 + ["xishan"]):
        resident = uuid4()
        registered = n.ResidentRegistered(
            resident_id=resident, community_id=community, groups=["elderly"], age_band="80_plus"
        )
        events.append(envelope_of(office, registered, at=OCTOBER))
        if community == "dongshan":
            surveyed_at = NOVEMBER if i == 3 else OCTOBER
            survey = n.SurveyRecorded(
                survey_id=uuid4(),
                resident_id=resident,
                community_id=community,
                method="home_visit",
                surveyed_at=surveyed_at,
                dimensions=LEVELS,
            )
            events.append(envelope_of(office, survey, at=surveyed_at))
    return events


@pytest.fixture
async def fenghuang(reporting_app, js, office, consumed):
    events = history(office)
    app = reporting_app(public_min_count=LEAST)
    async with serving(app, token="") as client:
        client.app = app
        await publish(js, *events)
        await wait_until(lambda: consumed(len(events)), message="all consumed")
        yield client


async def get(client, path, headers=None, **params):
    response = await client.get(path, params=params, headers=headers or {})
    assert response.status_code == 200, response.text
    return response.json()


async def residents_of(client, headers=None, **place):
    return (await get(client, "/api/figures", headers, **place))["residents"]["total"]


class TestPlaces:
    async def test_the_office_or_street_less_its_shown_communities_is_not_the_withheld_one(
        self, fenghuang, office
    ):
        exact = await token_for(fenghuang.app.state.runtime)(Role.viewer)
        shown = {
            "office": await residents_of(fenghuang, office=office),
            "street": await residents_of(fenghuang, office=office, street="凤凰街道"),
            "dongshan": await residents_of(fenghuang, office=office, community="dongshan"),
            "xishan": await residents_of(fenghuang, office=office, community="xishan"),
        }
        assert shown == {"office": 6, "street": 6, "dongshan": 3, "xishan": None}
        assert shown["office"] - shown["dongshan"] != 1  # 西山's one resident
        assert await residents_of(fenghuang, exact, office=office) == 5  # the exact, for scale

    async def test_the_overview_less_the_drill_down_is_not_the_withheld_one(
        self, fenghuang, office
    ):
        [mine] = [
            o for o in (await get(fenghuang, "/api/overview"))["offices"] if o["office"] == office
        ]
        assert (mine["residents"], mine["surveys"]) == (6, 3)
        assert mine["below"] == LEAST
        places = await get(fenghuang, f"/api/offices/{office}/communities")
        rows = {c["community_id"]: c for s in places["streets"] for c in s["communities"]}
        assert (rows["dongshan"]["residents"], rows["xishan"]["residents"]) == (3, None)
        # Due a visit: three or four of 东山's (as November's visit is in the last 30 days).
        assert (rows["dongshan"]["surveys"], rows["dongshan"]["due_visit"]) == (3, 3)
        assert {k: rows["dongshan"][k] for k in MARKED} == MARKED


class TestPeriods:
    async def test_two_months_less_one_is_not_the_other(self, fenghuang, office):
        def surveys(**period):
            return get(fenghuang, "/api/figures", office=office, **period)

        both = (await surveys(**{"from": "2026-10", "to": "2026-11"}))["surveys"]
        october = (await surveys(**{"from": "2026-10", "to": "2026-10"}))["surveys"]
        november = (await surveys(**{"from": "2026-11", "to": "2026-11"}))["surveys"]
        assert (both["total"], october["total"], november["total"]) == (3, 3, None)
        assert both["by_month"] == [
            {"month": "2026-10", "count": 3},
            {"month": "2026-11", "count": None},
        ]
        assert both["dimensions"]["material"]["2"] == 3  # four: less October's 3, not 1
        assert october["dimensions"]["material"]["2"] == 3
        assert {k: both[k] for k in MARKED} == {k: october[k] for k in MARKED} == MARKED


async def test_a_snapshot_is_rounded_at_every_level_it_publishes(fenghuang, office, database_url):
    runtime = fenghuang.app.state.runtime
    await snapshots.take(
        runtime.store,
        database_url,
        runtime.js,
        stream=stream_name(office),
        subjects="wushe.*.>",
        as_of=date(2026, 11, 30),
        offices=runtime.settings.configured_offices(),
    )
    whole = await get(fenghuang, "/api/snapshots/2026-11-30")
    one = await get(fenghuang, "/api/snapshots/2026-11-30", office=office)
    assert whole["figures"]["residents"]["total"] == one["figures"]["residents"]["total"] == 6
    assert whole["figures"]["surveys"]["total"] == one["figures"]["surveys"]["total"] == 3
    [mine] = [o for o in whole["overview"]["offices"] if o["office"] == office]
    assert (mine["residents"], whole["overview"]["totals"]["residents"]) == (6, 6)
    assert whole["overview"]["totals"]["below"] == LEAST
    exact = await token_for(runtime)(Role.auditor)
    kept = await get(fenghuang, "/api/snapshots/2026-11-30", exact)
    assert kept["figures"]["residents"]["total"] == 5

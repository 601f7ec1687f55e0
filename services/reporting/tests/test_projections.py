"""The overview projection for a scripted history, with exact numbers (real PostgreSQL)."""

from uuid import uuid4

import pytest

from wushe_events.catalogue.funds import DonationReceived, FundOpened
from wushe_events.catalogue.needs import CommunityRegistered, ResidentRegistered, SurveyRecorded
from wushe_events.catalogue.volunteers import VolunteerRegistered
from wushe_events.database import create_engine, create_pool
from wushe_events.migrate import upgrade
from wushe_events.store import EventStore
from wushe_reporting import queries
from wushe_reporting.main import MIGRATIONS
from wushe_reporting.projections.overview import project

FUND = uuid4()
HISTORY = [
    CommunityRegistered(community_id="fengshan", name="丰山社区", street="阳明街道"),
    CommunityRegistered(community_id="lanjiang", name="兰江社区", street="兰江街道"),
    ResidentRegistered(
        resident_id=uuid4(), community_id="fengshan", groups=["elderly"], age_band="70_79"
    ),
    ResidentRegistered(
        resident_id=uuid4(), community_id="fengshan", groups=["child"], age_band="under_14"
    ),
    SurveyRecorded(
        survey_id=uuid4(),
        resident_id=uuid4(),
        community_id="fengshan",
        method="home_visit",
        surveyed_at="2026-11-28T01:00:00Z",
        dimensions={"physical": 1, "psychological": 0, "material": 2, "spiritual": 0},
    ),
    VolunteerRegistered(volunteer_id=uuid4(), community_id="lanjiang", certification="none"),
    FundOpened(fund_id=FUND, community_id="lanjiang", name="兰江社区慈善基金"),
    DonationReceived(
        donation_id=uuid4(),
        fund_id=FUND,
        amount_fen=50_000,
        donor_kind="individual",
        donor_display=None,
    ),
    DonationReceived(
        donation_id=uuid4(),
        fund_id=FUND,
        amount_fen=1_234,
        donor_kind="enterprise",
        donor_display="某某公司",
    ),
]


@pytest.fixture
async def reporting_store(database_url, office):
    engine = create_engine(database_url, "reporting")
    await upgrade(engine, "reporting", [MIGRATIONS])
    await engine.dispose()
    pool = await create_pool(database_url, "reporting")
    yield EventStore(pool, office)
    await pool.close()


async def apply_all(store, envelopes):
    for envelope in envelopes:
        async with store.transaction() as tx:
            await project(tx, envelope)


async def test_the_overview_of_a_scripted_history(reporting_store, office, envelope):
    await apply_all(reporting_store, [envelope(e, office) for e in HISTORY])
    await apply_all(reporting_store, [envelope(HISTORY[0], "weifang")])
    async with reporting_store.connection() as db:
        data = await queries.overview(db)
        communities = await queries.communities(db, office)
    by_office = {o["office"]: o for o in data["offices"]}
    assert {k: by_office[office][k] for k in queries.OVERVIEW_COLUMNS} == {
        "communities": 2,
        "residents": 2,
        "surveys": 1,
        "volunteers": 1,
        "funds": 1,
        "donations": 2,
        "raised_fen": 51_234,
    }
    assert by_office["weifang"]["communities"] == 1
    assert data["totals"]["communities"] == 3
    assert communities == [
        {
            "community_id": "lanjiang",
            "name": "兰江社区",
            "street": "兰江街道",
            "residents": 0,
            "surveys": 0,
            "volunteers": 1,
            "funds": 1,
            "raised_fen": 51_234,
        },
        {
            "community_id": "fengshan",
            "name": "丰山社区",
            "street": "阳明街道",
            "residents": 2,
            "surveys": 1,
            "volunteers": 0,
            "funds": 0,
            "raised_fen": 0,
        },
    ]


async def test_unknown_event_types_only_mark_the_office_as_alive(reporting_store, office, envelope):
    stranger = envelope(HISTORY[0], office).model_copy(
        update={"type": "wushe.needs.community.renamed.v9"}
    )
    await apply_all(reporting_store, [stranger])
    async with reporting_store.connection() as db:
        [row] = (await queries.overview(db))["offices"]
    assert row["communities"] == 0
    assert row["last_event_at"] is not None


async def test_the_csv_export_has_a_bom_and_chinese_text(reporting_store, office, envelope):
    await apply_all(reporting_store, [envelope(HISTORY[0], office)])
    async with reporting_store.connection() as db:
        text = await queries.export_csv(db, "community_overview")
    assert text.startswith("\ufeffoffice,community_id,name,street")
    assert f"{office},fengshan,丰山社区,阳明街道" in text

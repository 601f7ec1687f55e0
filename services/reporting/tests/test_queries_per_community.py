"""The residents due a visit counted for every community at once (one query grouped by
community, the drill-down's) are each community's own, and the place's (real PostgreSQL)."""

from datetime import UTC, datetime

import pytest

from wushe_reporting import queries
from wushe_reporting.projections import project
from wushe_reporting.queries.filters import COMMUNITY, ONE
from wushe_reporting.queries.needs import due_visits_per


@pytest.fixture
async def scripted(reporting_store, office, history):
    for envelope in history(office):
        async with reporting_store.transaction() as tx:
            await project(tx, envelope)
    return reporting_store


async def test_due_visits_per_community_and_for_the_filter_s_place(scripted, office):
    early = datetime(2026, 9, 2, tzinfo=UTC)
    async with scripted.connection() as db:
        per = await due_visits_per(db, queries.Filters(office=office, at=early), COMMUNITY)
        whole = await due_visits_per(db, queries.Filters(office=office, at=early), ONE)
        nobody = await due_visits_per(db, queries.Filters(office="nowhere"), ONE)
    assert per == {(office, "fengshan"): 2, (office, "jiangbin"): 1}
    assert whole == {(): 3}
    assert nobody == {(): 0}  # a count of no rows is still a count

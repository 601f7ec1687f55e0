"""The figures about residents counted for every community at once (one query per count, grouped
by community) are each community's own figures, for any filter (real PostgreSQL)."""

from datetime import UTC, date, datetime

import pytest

from wushe_reporting import queries
from wushe_reporting.projections import project
from wushe_reporting.queries.filters import COMMUNITY, ONE
from wushe_reporting.queries.needs import (
    consent_per,
    due_visits_per,
    needs_per,
    residents_per,
    surveys_per,
)

SECTIONS = {
    "residents": (residents_per, queries.residents),
    "surveys": (surveys_per, queries.surveys),
    "needs": (needs_per, queries.needs),
    "consent": (consent_per, queries.consent),
}
COMMUNITIES = ("fengshan", "xinjian", "jiangbin")


def counted(value):
    """Every count in `value`: the numbers of a tally, a list of months, levels by dimension."""
    if isinstance(value, dict):
        return [n for inner in value.values() for n in counted(inner)]
    if isinstance(value, list):
        return [n for inner in value for n in counted(inner)]
    return [value] if isinstance(value, int) and not isinstance(value, bool) and value else []


@pytest.fixture
async def scripted(reporting_store, office, history):
    for envelope in history(office):
        async with reporting_store.transaction() as tx:
            await project(tx, envelope)
    return reporting_store


@pytest.mark.parametrize("name", SECTIONS)
@pytest.mark.parametrize(
    "period",
    [
        {},
        {"start": date(2026, 10, 1), "end": date(2026, 11, 1)},
        {"at": datetime(2026, 9, 2, tzinfo=UTC)},
    ],
    ids=["now", "october", "early"],
)
async def test_every_community_s_figures_at_once_are_its_own(scripted, office, name, period):
    per_community, one = SECTIONS[name]
    async with scripted.connection() as db:
        found = await per_community(db, queries.Filters(office=office, **period), COMMUNITY)
        for community in COMMUNITIES:
            own = await one(db, queries.Filters(office=office, community=community, **period))
            if (office, community) in found:
                assert found[office, community] == own, community
            else:  # counted nowhere: its own figures count nothing either
                assert not any(counted(own)), community
        assert {place for place in found if place[0] == office} <= {
            (office, c) for c in COMMUNITIES
        }
        assert any(found.values()), "the scripted office has figures in every section"


async def test_a_street_s_communities_are_counted_and_no_other(scripted, office):
    async with scripted.connection() as db:
        found = await residents_per(db, queries.Filters(street="阳明街道"), COMMUNITY)
    # 江滨社区 is of 兰江街道; 新建村's one resident was erased.
    assert {place for place in found if place[0] == office} == {(office, "fengshan")}
    assert found[office, "fengshan"]["total"] == 2


async def test_due_visits_per_community_and_for_the_filter_s_place(scripted, office):
    early = datetime(2026, 9, 2, tzinfo=UTC)
    async with scripted.connection() as db:
        per = await due_visits_per(db, queries.Filters(office=office, at=early), COMMUNITY)
        whole = await due_visits_per(db, queries.Filters(office=office, at=early), ONE)
        nobody = await due_visits_per(db, queries.Filters(office="nowhere"), ONE)
    assert per == {(office, "fengshan"): 2, (office, "jiangbin"): 1}
    assert whole == {(): 3}
    assert nobody == {(): 0}  # a count of no rows is still a count

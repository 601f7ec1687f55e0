"""Which sections of a street's, an office's or all offices' figures are coarsened because one
of their communities has a small count: the same as looking at each community's own figures
one by one (real PostgreSQL)."""

from dataclasses import replace
from datetime import UTC, date, datetime
from uuid import uuid4

import pytest

from wushe_events.catalogue import needs as n
from wushe_events.testing import envelope_of
from wushe_reporting import queries, withheld
from wushe_reporting.projections import project
from wushe_service.small_cells import has_small

T0 = datetime(2026, 9, 1, 2, 0, tzinfo=UTC)
LEVELS = {"physical": 2, "psychological": 1, "material": 3, "spiritual": 0}
ONE_BY_ONE = {
    "residents": queries.residents,
    "surveys": queries.surveys,
    "needs": queries.needs,
    "consent": queries.consent,
}


async def one_by_one(db, f, least):
    """The sections with a small count in one of the filter's communities, each community's
    figures counted by themselves."""
    rows = await db.fetch(
        """SELECT office, community_id FROM communities WHERE name IS NOT NULL
           AND ($1::text IS NULL OR street = $1) AND ($2::text IS NULL OR office = $2)""",
        f.street,
        f.office,
    )
    small = set()
    for row in rows:
        here = replace(f, office=row["office"], street=None, community=row["community_id"])
        for name, keys in withheld.SECTIONS.items():
            section = await ONE_BY_ONE[name](db, here)
            counts = [count for key in keys for count in withheld.counts(section.get(key))]
            if has_small(counts, least):
                small.add(name)
    return small


def three_hills(office):
    """东山 and 西山 of 凤凰街道, three residents each: 东山's surveyed in September with a need and
    consent each, one of 西山's with consent; 南山 of 青龙街道, one resident."""
    events = [
        n.CommunityRegistered(community_id=c, name=c, street=street)
        for c, street in [("dongshan", "凤凰街道"), ("xishan", "凤凰街道"), ("nanshan", "青龙街道")]
    ]
    for community, residents in [("dongshan", 3), ("xishan", 3), ("nanshan", 1)]:
        for i in range(residents):
            resident, survey = uuid4(), uuid4()
            events.append(
                n.ResidentRegistered(
                    resident_id=resident, community_id=community, groups=["elderly"],
                    age_band="80_plus",
                )
            )  # fmt: skip
            if community == "dongshan":
                events.append(
                    n.SurveyRecorded(
                        survey_id=survey, resident_id=resident, community_id=community,
                        method="home_visit", surveyed_at=T0, dimensions=LEVELS,
                    )
                )  # fmt: skip
                events.append(
                    n.NeedIdentified(
                        need_id=uuid4(), community_id=community, resident_id=resident,
                        survey_id=survey, category="meal-delivery", dimension="material",
                        urgency="high",
                    )
                )  # fmt: skip
            if community == "dongshan" or (community == "xishan" and i == 0):
                events.append(
                    n.ConsentGranted(
                        resident_id=resident, community_id=community, purpose="personal_data",
                        given_by="self", given_at=T0,
                    )
                )  # fmt: skip
    return [envelope_of(office, e, at=T0) for e in events]


@pytest.fixture
async def hills(reporting_store, office):
    for envelope in three_hills(office):
        async with reporting_store.transaction() as tx:
            await project(tx, envelope)
    return reporting_store


@pytest.mark.parametrize("least", [2, 3, 5])
@pytest.mark.parametrize(
    "place",
    [{"office": True}, {"office": True, "street": "凤凰街道"}, {"street": "青龙街道"}, {}],
    ids=["office", "street", "street-of-any-office", "all-offices"],
)
@pytest.mark.parametrize(
    "period", [{}, {"start": date(2026, 10, 1), "end": date(2026, 11, 1)}], ids=["all", "october"]
)
async def test_the_sections_coarsened_are_those_of_each_community_one_by_one(
    hills, office, least, place, period
):
    f = queries.Filters(**(place | {"office": office} if place.get("office") else place), **period)
    async with hills.connection() as db:
        expected = await one_by_one(db, f, least)
        assert await withheld.small_within(db, f, least) == expected


@pytest.mark.parametrize(
    ("least", "street", "small"),
    [
        (3, "凤凰街道", {"consent"}),  # 西山's one consent
        (3, "青龙街道", {"residents"}),  # 南山's one resident
        (3, None, {"consent", "residents"}),
        (5, "凤凰街道", set(withheld.SECTIONS)),  # 东山's threes
        (1, None, set()),
    ],
)
async def test_a_place_is_coarsened_where_one_of_its_communities_has_a_small_count(
    hills, office, least, street, small
):
    async with hills.connection() as db:
        f = queries.Filters(office=office, street=street)
        assert await withheld.small_within(db, f, least) == small


async def test_a_community_or_an_office_of_none_has_no_community_to_look_at(hills, office):
    async with hills.connection() as db:
        assert await withheld.small_within(db, queries.Filters(office="nowhere"), 3) == set()
        nanshan = queries.Filters(office=office, community="nanshan")
        assert await withheld.small_within(db, nanshan, 3) == set()

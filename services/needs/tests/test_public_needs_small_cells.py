"""Small-cell suppression on the public needs list: a count from 1 to N-1 (N =
`WUSHE_PUBLIC_MIN_COUNT`, 3 by default) could point at a household, so it is withheld, and the
other counts rounded so that subtraction does not give it back (every one: see
test_public_needs_rounded.py); the staff keep exact counts —
against the real PostgreSQL and NATS."""

from itertools import count

import pytest

from wushe_needs.main import create_app
from wushe_needs.settings import NeedsSettings
from wushe_service import testing
from wushe_service.personal_data import new_office_key

PUBLIC = {"Authorization": ""}
BROWSER = {"Authorization": "", "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
NAMES = ["陈阿婆", "周大伯", "吴奶奶", "郑爷爷"]


@pytest.fixture
def least() -> int | None:
    """`WUSHE_PUBLIC_MIN_COUNT`; None: left at its default."""
    return None


@pytest.fixture
async def needs(database_url, nats_url, office, least):
    """The needs service with the public list's threshold `least`."""
    fields = {} if least is None else {"public_min_count": least}
    settings = testing.settings_for(
        NeedsSettings, database_url, nats_url, office, office_key=new_office_key(), **fields
    )
    async with testing.serving(create_app(settings)) as client:
        yield client


@pytest.fixture
def neighbours(resident, surveyed):
    """Residents of a community, each found needing meals delivered at `urgencies` in turn."""
    phones = count(13900000000)

    async def survey(*urgencies: str, community_id: str = "fengshan") -> None:
        for i, urgency in enumerate(urgencies):
            someone = await resident(
                community_id=community_id,
                name=NAMES[i],
                phone=str(next(phones)),
                id_number=None,
                address=None,
                notes=None,
            )
            await surveyed(someone, ("meal-delivery", "physical", urgency), days_ago=2)

    return survey


def _fengshan(listed: dict) -> dict:
    [fengshan] = [c for c in listed["items"] if c["community_id"] == "fengshan"]
    return fengshan


class TestSmallCounts:
    async def test_one_household_needing_meals_is_shown_as_fewer_than_three(
        self, needs, neighbours
    ):
        await neighbours("high")
        response = await needs.get("/public/needs", headers=PUBLIC)
        assert response.status_code == 200, response.text
        [meals] = _fengshan(response.json())["categories"]
        assert meals["open"] is None
        assert meals["total"] is None
        assert meals["by_urgency"] == {"critical": 0, "high": None, "normal": 0, "low": 0}
        assert meals["matched"] == 0
        assert meals["oldest_open_since"] is None  # the day of that one visit
        assert (meals["below"], meals["rounded_to"]) == (3, 3)
        totals = response.json()["totals"]
        assert (totals["open"], totals["below"]) == (None, 3)

    async def test_the_staff_list_keeps_the_exact_count(self, needs, neighbours):
        await neighbours("high")
        staff = (await needs.get("/communities/fengshan/needs?state=open")).json()
        assert len(staff["items"]) == 1


class TestNoSubtraction:
    async def test_a_category_total_does_not_give_back_its_one_critical_need(
        self, needs, neighbours
    ):
        await neighbours("high", "high", "high", "critical")
        [meals] = _fengshan((await needs.get("/public/needs", headers=PUBLIC)).json())["categories"]
        assert meals["by_urgency"] == {"critical": None, "high": 3, "normal": 0, "low": 0}
        # 4 rounded to 3: the total less the high ones is 0, not the 1 withheld.
        assert (meals["total"], meals["open"]) == (3, 3)
        assert meals["rounded_to"] == 3

    async def test_the_totals_do_not_give_back_a_small_community(self, needs, neighbours):
        await neighbours("high", "high", "high")
        await neighbours("normal", community_id="xinan")
        listed = (await needs.get("/public/needs", headers=PUBLIC)).json()
        assert _fengshan(listed)["totals"]["open"] == 3
        # 4 rounded to 3: less 丰山's 3, nothing is left of 新安's 1.
        assert (listed["totals"]["open"], listed["totals"]["rounded_to"]) == (3, 3)
        assert listed["totals"]["communities"] == 2


class TestPage:
    async def test_the_page_says_fewer_than_three_and_about(self, needs, neighbours):
        await neighbours("high", "high", "high", "critical")
        await neighbours("normal", community_id="xinan")
        page = (await needs.get("/public/needs", headers=BROWSER)).text
        assert '<td data-label="紧急">少于3</td>' in page
        assert '<td data-label="较急">约3</td>' in page
        assert "待回应 少于3 项" in page  # 新安社区


@pytest.mark.parametrize("least", [0, 1])
async def test_zero_or_one_shows_every_count_exactly(needs, neighbours, least):
    await neighbours("high")
    listed = (await needs.get("/public/needs", headers=PUBLIC)).json()
    [meals] = _fengshan(listed)["categories"]
    assert (meals["open"], meals["by_urgency"]["high"], listed["totals"]["open"]) == (1, 1, 1)
    assert "below" not in meals

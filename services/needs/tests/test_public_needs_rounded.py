"""The public needs list rounds every count as the reporting figures read without a token do
(one rule, `wushe_service.small_cells`): a table with no small count is rounded too, so that
neither one table less another nor the same needs on the dashboard narrows a withheld count
back — in the JSON and on the page (约, 少于) — against the real PostgreSQL and NATS."""

import pytest

from .test_public_needs_small_cells import BROWSER, PUBLIC, _fengshan
from .test_public_needs_small_cells import least as least
from .test_public_needs_small_cells import needs as needs
from .test_public_needs_small_cells import neighbours as neighbours


async def test_a_table_with_no_small_count_is_rounded_and_says_so(needs, neighbours):
    await neighbours("high", "high", "high", "high")
    listed = (await needs.get("/public/needs", headers=PUBLIC)).json()
    fengshan = _fengshan(listed)
    [meals] = fengshan["categories"]
    # 4 needing meals, all high: 3, never the 4 less the 3 shown of another table.
    assert (meals["total"], meals["open"], meals["matched"]) == (3, 3, 0)
    assert meals["by_urgency"] == {"critical": 0, "high": 3, "normal": 0, "low": 0}
    assert meals["matched_by_kind"] == {"wish": 0, "activity": 0, "grant": 0}
    assert meals["oldest_open_since"] is not None  # 3 waiting point at nobody's visit
    assert (meals["below"], meals["rounded_to"]) == (3, 3)
    assert (fengshan["totals"]["open"], fengshan["totals"]["rounded_to"]) == (3, 3)
    totals = listed["totals"]
    assert (totals["total"], totals["open"], totals["rounded_to"]) == (3, 3, 3)
    assert totals["communities"] == 1  # not a count about residents: exact


async def test_a_street_and_the_office_are_rounded_alike(needs, neighbours):
    await neighbours("high", "high", "high", "normal")  # 丰山社区, 阳明街道: 4
    await neighbours("normal", "normal", "normal", "normal", community_id="xinan")  # 兰江街道: 4
    office = (await needs.get("/public/needs", headers=PUBLIC)).json()
    street = (await needs.get("/public/needs?street=阳明街道", headers=PUBLIC)).json()
    # 8 in all, 4 in 阳明街道: 9 and 3, whose difference 6 is not 新安's 4 (shown 3).
    assert (office["totals"]["open"], street["totals"]["open"]) == (9, 3)
    assert office["totals"]["by_urgency"] == {"critical": 0, "high": 3, "normal": 6, "low": 0}
    assert (street["totals"]["below"], street["totals"]["rounded_to"]) == (3, 3)
    [meals] = _fengshan(street)["categories"]
    assert meals["by_urgency"] == {"critical": 0, "high": 3, "normal": None, "low": 0}


async def test_the_page_marks_every_rounded_count_and_says_what_it_means(needs, neighbours):
    await neighbours("high", "high", "high", "high")
    page = (await needs.get("/public/needs", headers=BROWSER)).text
    assert '<td data-label="较急">约3</td>' in page
    assert '<td data-label="紧急">0</td>' in page  # zero points at nobody: as it is
    assert "1 个社区 · 待回应 约3 项" in page
    assert (
        "为保护隐私，数量都取最接近的 3 的倍数（写作“约3”“约6”），1 至 2 项写作“少于3”，"
        "以免指向个人。"
    ) in page


@pytest.mark.parametrize("least", [0])
async def test_with_nothing_withheld_the_counts_are_exact_and_unmarked(needs, neighbours):
    await neighbours("high", "high", "high", "high")
    listed = (await needs.get("/public/needs", headers=PUBLIC)).json()
    [meals] = _fengshan(listed)["categories"]
    assert (meals["open"], listed["totals"]["open"]) == (4, 4)
    assert "rounded_to" not in meals
    page = (await needs.get("/public/needs", headers=BROWSER)).text
    assert "待回应 4 项" in page
    assert "约" not in page.split("<h1>")[1]

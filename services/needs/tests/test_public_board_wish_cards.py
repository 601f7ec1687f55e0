"""A wish on the public board as a donor reads it: its value is said to be what the wish is
worth, not a sum asked for; its deadline is when it is hoped to come true (the office's date,
not UTC's), and only while it has not — against the real PostgreSQL and NATS."""

import re
from datetime import UTC, datetime, timedelta

import pytest

PUBLIC = {"Authorization": ""}


def card_of(page: str, title: str) -> str:
    [card] = [c for c in re.findall(r"<li class=\"wish.*?</li>", page, re.S) if title in c]
    return card


@pytest.fixture
async def board(needs, community, wish_body, known_volunteer):
    """Three wishes due at 17:30 UTC in ten days — past midnight in Beijing: one posted, one
    claimed, one fulfilled. The board's page, of every state."""
    await community()
    due = (datetime.now(UTC) + timedelta(days=10)).replace(hour=17, minute=30)
    ids = {}
    for title in ("一台收音机", "一副老花镜", "一床棉被"):
        body = wish_body(title=title, deadline=due.isoformat(), estimated_value_fen=15_000)
        posted = await needs.post("/wishes", json=body)
        assert posted.status_code == 201, posted.text
        ids[title] = posted.json()["wish_id"]
    for title in ("一副老花镜", "一床棉被"):
        claim = {"claimant_id": await known_volunteer()}
        assert (await needs.post(f"/wishes/{ids[title]}/claim", json=claim)).status_code == 200
    assert (await needs.post(f"/wishes/{ids['一床棉被']}/fulfil", json={})).status_code == 200
    query = "state=posted&state=claimed&state=fulfilled&format=html"
    response = await needs.get(f"/public/wishes?{query}", headers=PUBLIC)
    assert response.status_code == 200, response.text
    beijing_day = (due + timedelta(hours=8)).date().isoformat()
    return response.text, beijing_day


async def test_a_wishs_value_is_said_to_be_its_worth(board):
    page, _day = board
    assert "估价约 ¥150.00" in card_of(page, "一台收音机")


@pytest.mark.parametrize("title", ["一台收音机", "一副老花镜"])
async def test_a_wish_not_yet_come_true_says_by_when_it_is_hoped_to_in_beijing(board, title):
    page, day = board
    assert f"希望 {day} 前实现" in card_of(page, title)
    assert "截止" not in card_of(page, title)


async def test_a_fulfilled_wish_has_no_deadline(board):
    page, day = board
    assert day not in card_of(page, "一床棉被")

"""The public wish board of one community, as a reader sent there from that community's needs
(需求清单 → 认领微心愿) reads it: it says whose wishes it lists and leads to every community's,
lest a community's few wishes, or its 暂无微心愿, be taken for the whole board's — against the
real PostgreSQL and NATS."""

import re
from html import escape, unescape

import pytest

from .conftest import PLACES

PUBLIC = {"Authorization": ""}


def links_of(page: str) -> list[str]:
    return [unescape(href) for href in re.findall(r"href=['\"]([^'\"]+)['\"]", page)]


@pytest.fixture
async def boards(needs, community, wish_body):
    """A wish in 丰山社区 and one in 新安社区 (a name with markup in it)."""
    for slug in ("fengshan", "xinan"):
        await community(slug, *PLACES[slug])
        posted = await needs.post(
            "/wishes", json=wish_body(community_id=slug, title=f"{slug}的心愿")
        )
        assert posted.status_code == 201, posted.text

    async def board(query: str = "") -> str:
        response = await needs.get(f"/public/wishes?format=html{query}", headers=PUBLIC)
        assert response.status_code == 200, response.text
        return response.text

    return board


async def test_a_communitys_board_names_the_community(boards):
    page = await boards("&community_id=fengshan")
    assert "只列出<strong>阳明街道 丰山社区</strong>的微心愿" in page
    assert "<title>丰山社区 · 微心愿墙</title>" in page
    assert "xinan的心愿" not in page


async def test_it_leads_to_every_communitys_wishes_in_the_same_state(boards):
    page = await boards("&community_id=fengshan&state=posted")
    everyone = "/public/wishes?state=posted&limit=50&format=html"
    assert everyone in links_of(page)
    assert f"<a href='{escape(everyone)}'>查看全部社区的微心愿</a>" in page


async def test_a_community_with_nothing_in_a_state_is_said_to_be_that_community(boards):
    page = await boards("&community_id=xinan&state=confirmed")
    assert "暂无微心愿" in page
    assert "只列出<strong>兰江街道 新安&lt;b&gt;社区&lt;/b&gt;</strong>的微心愿" in page


async def test_the_whole_board_says_nothing_of_a_community(boards):
    page = await boards()
    assert "只列出" not in page
    assert "查看全部社区的微心愿" not in page
    assert "<title>微心愿墙</title>" in page

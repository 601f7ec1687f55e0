"""The funds' public pages as a donor moves between them: a ledger or a disclosure reached by
a shared link leads to the lists it belongs to (基金公示, 项目清单), and each list to the other
— against the real PostgreSQL and NATS."""

import re

import pytest

BROWSER = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


def links_of(page: str) -> set[str]:
    return set(re.findall(r"href=['\"]([^'\"]+)['\"]", page))


@pytest.fixture
async def published(funds, fund, grant_round, approved_grant):
    """A fund, its round and a grant of it: the pages a donor reads, by name."""
    fund_id = await fund()
    round_id = await grant_round(fund_id)
    grant = await approved_grant(round_id)
    return {
        "ledger": f"/public/funds/{fund_id}/ledger",
        "grant": f"/public/applications/{grant}/disclosure",
        "round": f"/public/rounds/{round_id}/disclosure",
        "funds": "/public/funds",
        "projects": "/public/projects",
    }


@pytest.mark.parametrize("page", ["ledger", "grant", "round"])
async def test_a_page_reached_by_a_link_leads_to_the_lists(public, published, page):
    response = await public(f"{published[page]}?format=html")
    assert response.status_code == 200, response.text
    assert {"/public/funds", "/public/projects"} <= links_of(response.text)


@pytest.mark.parametrize(("page", "other"), [("funds", "projects"), ("projects", "funds")])
async def test_each_list_leads_to_the_other_and_names_itself(public, published, page, other):
    response = await public(f"{published[page]}?format=html")
    assert response.status_code == 200, response.text
    assert published[other] in links_of(response.text)
    assert published[page] not in links_of(response.text)  # where the reader is, not a link

"""The needs' public pages — the wish board and the needs list — pass an accessibility audit —
axe-core: WCAG 2.1 A/AA, as GB/T 37668-2019 asks of a government's pages, and axe's best
practices — at a desktop's width and a phone's, with wishes posted and claimed and needs found,
and so does the page of a mistyped address, in a real Chromium, against the real PostgreSQL and
NATS."""

import pytest

from wushe_service.accessibility_audit import AUDIT, SCREENS, accessibility_violations

NEIGHBOURS = [
    {"name": "李建国", "birth_year": 1950, "id_number": None, "phone": "13700001111"},
    {"name": "赵桂兰", "birth_year": 1958, "id_number": None, "phone": "13700002222"},
]


@pytest.fixture
async def public_pages(needs, resident, surveyed, wish_body, known_volunteer):
    """The address of each public page of the needs, with something in each."""
    for changes in [{}, *NEIGHBOURS]:
        await surveyed(await resident(**changes), ("meal-delivery", "physical", "high"))
    await surveyed(await resident(**NEIGHBOURS[0] | {"phone": "13700003333", "name": "钱芳"}),
                   ("repair", "material", "normal"))  # fmt: skip
    posted = await needs.post("/wishes", json=wish_body())
    assert posted.status_code == 201, posted.text
    free = wish_body(title="陪老人聊天一下午", category="companionship", estimated_value_fen=0)
    claimed = await needs.post("/wishes", json=free)
    assert claimed.status_code == 201, claimed.text
    volunteer = await known_volunteer("小陈")
    claiming = {"claimant_id": volunteer}
    wish_id = claimed.json()["wish_id"]
    assert (await needs.post(f"/wishes/{wish_id}/claim", json=claiming)).status_code == 200
    return [
        "/public/wishes",
        "/public/wishes?community_id=fengshan",
        "/public/needs",
        "/public/needs?community_id=nowhere",  # a mistyped community: the error page (404)
        "/public/wishes?state=lost",  # and one naming what is wrong in the address (422)
    ]


@pytest.mark.parametrize("screen", SCREENS)
async def test_the_public_pages_have_no_accessibility_violation(served, tab, public_pages, screen):
    found = {}
    async with tab(viewport=SCREENS[screen]) as page:
        for path in public_pages:
            await page.goto(f"{served}{path}{'&' if '?' in path else '?'}format=html")
            if violations := await accessibility_violations(page, **AUDIT):
                found[path] = violations
    assert not found, "\n".join(f"{path}:\n  " + "\n  ".join(v) for path, v in found.items())

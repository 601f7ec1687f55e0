"""The public wish board read by a resident or a donor who is not a volunteer: it says what a
micro-wish is, who may claim one, whom to ask to become a volunteer, and where the other needs
are listed — against the real PostgreSQL and NATS."""

PUBLIC = {"Authorization": ""}


async def board(needs) -> str:
    response = await needs.get("/public/wishes?format=html", headers=PUBLIC)
    assert response.status_code == 200, response.text
    return response.text


async def test_the_board_says_what_a_micro_wish_is(needs):
    assert "微心愿是社区里有困难的居民的小小心愿" in await board(needs)


async def test_the_board_says_whom_to_ask_to_become_a_volunteer(needs):
    page = await board(needs)
    assert '已登记的志愿者<a href="/my">登录后认领</a>' in page
    assert "还不是志愿者？请联系心愿所在社区的居委会（村委会）或社工站" in page


async def test_the_board_leads_to_the_needs_list(needs):
    page = await board(needs)
    assert '<a href="/public/needs?format=html">需求清单</a>' in page
    listed = await needs.get("/public/needs?format=html", headers=PUBLIC)
    assert listed.status_code == 200, listed.text

"""审计查询's period is of days: a wrong date on the page reads 起始日期 / 截止日期, not the
dashboard's months, and a reversed period is said once."""

BROWSER = {"Authorization": "", "Accept": "text/html"}  # the test client's token, left off


async def test_a_bad_first_or_last_day_on_the_audit_page_is_named_as_a_date(volunteers):
    first = await volunteers.get("/audit?from=2026-13-01", headers=BROWSER)
    last = await volunteers.get("/audit?to=2026-12-32", headers=BROWSER)
    assert (first.status_code, last.status_code) == (422, 422)
    assert first.headers["content-type"].startswith("text/html")
    assert "起始日期（<code>from</code>）：应为日期，如 2026-12-05" in first.text
    assert "截止日期（<code>to</code>）：应为日期，如 2026-12-05" in last.text
    for page in (first, last):
        assert "月份" not in page.text


async def test_a_reversed_period_on_the_audit_page_is_said_once(volunteers):
    page = await volunteers.get("/audit?from=2026-12-05&to=2026-12-01", headers=BROWSER)
    program = await volunteers.get("/audit?from=2026-12-05&to=2026-12-01")
    assert page.status_code == 422
    assert "<li>起始日期晚于截止日期，请对调 from 和 to 的值</li>" in page.text
    assert page.text.count("起始日期") == 1
    assert "reversed" not in page.text
    # The JSON answer keeps its English words and its code, on `from`.
    [error] = program.json()["errors"]
    assert (error["field"], error["type"]) == ("query.from", "period_reversed")

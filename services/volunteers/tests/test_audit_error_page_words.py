"""审计查询's period is of days: a wrong date on the page reads 起始日期 / 截止日期, not the
dashboard's months."""

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

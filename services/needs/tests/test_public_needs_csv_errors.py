"""`/public/needs.csv` is a file for people, linked from the needs list's page: opened in a
browser, its errors are a page in Chinese, as a fund's `ledger.csv` and reporting's exports
answer theirs (`error_pages.FOR_PEOPLE`); programs still get the JSON — against the real
PostgreSQL and NATS."""

from .test_public_needs_small_cells import BROWSER, PUBLIC
from .test_public_needs_small_cells import least as least
from .test_public_needs_small_cells import needs as needs


async def test_a_community_the_office_does_not_have_is_a_page_naming_it(needs):
    page = await needs.get("/public/needs.csv?community_id=fengshna", headers=BROWSER)
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "社区</code>：没有“fengshna”，请检查网址" in page.text
    assert "查看全部" not in page.text  # a file has no page to show whole
    assert "attachment" not in page.headers.get("content-disposition", "")


async def test_a_parameter_the_file_does_not_take_is_a_page_naming_it(needs):
    page = await needs.get("/public/needs.csv?limit=10", headers=BROWSER)
    assert page.status_code == 422
    assert page.headers["content-type"].startswith("text/html")
    assert "每页条数（<code>limit</code>）：此页面不接受这个条件" in page.text


async def test_a_program_still_reads_the_error_as_json(needs):
    answer = await needs.get("/public/needs.csv?community_id=fengshna", headers=PUBLIC)
    assert answer.status_code == 404
    assert answer.json() == {"detail": "no community fengshna"}

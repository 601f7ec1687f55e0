"""`/public/needs.csv` fetched by a spreadsheet program or a script that asks for CSV: its errors
are the error page's words as plain text in Chinese, the status unchanged; a client asking for
JSON, or anything, still reads JSON, and a browser a page — against the real PostgreSQL and
NATS."""

from .test_public_needs_small_cells import PUBLIC
from .test_public_needs_small_cells import least as least
from .test_public_needs_small_cells import needs as needs

CSV = {**PUBLIC, "Accept": "text/csv"}


async def test_a_community_the_office_does_not_have_is_said_as_text(needs):
    answer = await needs.get("/public/needs.csv?community_id=fengshna", headers=CSV)
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "text/plain; charset=utf-8"
    assert answer.text.splitlines() == [
        "找不到要查看的内容",
        "社区：没有“fengshna”，请检查网址",
        "（错误代码 404）",
    ]


async def test_a_parameter_the_file_does_not_take_is_named_as_text(needs):
    answer = await needs.get("/public/needs.csv?limit=10", headers=CSV)
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "text/plain; charset=utf-8"
    assert "每页条数（limit）：此页面不接受这个条件" in answer.text
    assert "<" not in answer.text


async def test_json_for_json_or_anything_and_a_page_for_a_browser(needs):
    for accept in ("application/json", "*/*", "text/csv, application/json"):
        answer = await needs.get(
            "/public/needs.csv?community_id=fengshna", headers={**PUBLIC, "Accept": accept}
        )
        assert answer.status_code == 404
        assert answer.json() == {"detail": "no community fengshna"}, accept
    browser = {**PUBLIC, "Accept": "text/html,text/csv;q=0.9,*/*;q=0.8"}
    page = await needs.get("/public/needs.csv?community_id=fengshna", headers=browser)
    assert page.headers["content-type"].startswith("text/html")


async def test_a_route_that_is_no_file_keeps_json_for_a_csv_client(needs):
    answer = await needs.get("/public/needs?community_id=fengshna", headers=CSV)
    assert answer.status_code == 404
    assert answer.json() == {"detail": "no community fengshna"}


async def test_the_openapi_document_says_the_file_s_errors_are_text_too(needs):
    document = (await needs.get("/openapi.json")).json()
    answers = document["paths"]["/public/needs.csv"]["get"]["responses"]
    assert {"application/json", "text/html", "text/plain"} <= set(answers["422"]["content"])
    assert set(answers["500"]["content"]) == {"application/json"}
    listing = document["paths"]["/public/needs"]["get"]["responses"]["422"]["content"]
    assert "text/plain" not in listing

"""Reporting's CSV exports fetched by a spreadsheet program or a script that asks for CSV: their
errors are said as plain text in Chinese, the status and the WWW-Authenticate header unchanged;
JSON for a client asking for it or for anything — against the real PostgreSQL and NATS."""

import pytest

from wushe_service.testing import serving

CSV = {"Accept": "text/csv"}


@pytest.fixture
async def public(reporting_app):
    app = reporting_app()
    async with serving(app, token="") as client:
        yield client


async def test_an_export_without_a_token_is_refused_as_text(public):
    refused = await public.get("/api/export/residents.csv", headers=CSV)
    assert refused.status_code == 401
    assert refused.headers["content-type"] == "text/plain; charset=utf-8"
    assert refused.headers["WWW-Authenticate"] == "Bearer"
    assert refused.text.splitlines()[0] == "需要登录"
    assert "此页面只对工作人员开放" in refused.text


async def test_an_unknown_table_is_said_as_text(reporting):
    answer = await reporting.get("/api/export/nosuch.csv", headers=CSV)
    assert answer.status_code == 404, answer.text
    assert answer.headers["content-type"] == "text/plain; charset=utf-8"
    lines = answer.text.splitlines()
    assert lines[0] == "找不到要查看的内容"
    assert lines[1].startswith("没有名为“nosuch”的数据表，请检查网址。可导出的表：")
    assert "residents.csv" in lines[1]
    assert lines[-1] == "（错误代码 404）"


async def test_json_for_json_or_anything(public):
    for accept in ("application/json", "*/*"):
        refused = await public.get("/api/export/residents.csv", headers={"Accept": accept})
        assert refused.status_code == 401
        assert "detail" in refused.json()

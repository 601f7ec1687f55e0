"""A fund's `ledger.csv` fetched by a spreadsheet program or a script that asks for CSV: its
errors are said as plain text in Chinese, the status unchanged; JSON for a client asking for it
or for anything — against the real PostgreSQL and NATS."""

from uuid import uuid4

CSV = {"Accept": "text/csv"}


async def test_an_unknown_fund_is_said_as_text(funds):
    unknown = uuid4()
    answer = await funds.get(f"/public/funds/{unknown}/ledger.csv", headers=CSV)
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "text/plain; charset=utf-8"
    assert answer.text.splitlines() == [
        "找不到要查看的内容",
        f"基金：没有“{unknown}”，请检查网址",
        "（错误代码 404）",
    ]


async def test_a_wrong_parameter_is_named_as_text(funds):
    answer = await funds.get(f"/public/funds/{uuid4()}/ledger.csv?header=english", headers=CSV)
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "text/plain; charset=utf-8"
    assert answer.text.startswith("网址中的条件有误\nheader：")


async def test_json_for_json_or_anything(funds):
    for accept in ("application/json", "*/*"):
        answer = await funds.get(f"/public/funds/{uuid4()}/ledger.csv", headers={"Accept": accept})
        assert answer.status_code == 404
        assert answer.json()["detail"].startswith("no fund"), answer.text

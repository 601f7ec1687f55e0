"""An import of more rows than a batch (`resident_import.BATCH`), its batches registered at once:
the report keeps the file's order, and two imports of the same people at once, in opposite
orders, register each person once — their batches' name locks taken in one order, never a
deadlock."""

import asyncio
import csv
import io

import pytest

from wushe_needs.commands import resident_import
from wushe_service.identity import check_digit

HEADERS = ["姓名", "身份证号", "出生年份", "手机号", "地址", "人群类别", "社区", "同意", "备注"]
SURNAMES = "王李张刘陈杨赵黄周吴"
GIVEN = "秀英桂芳玉兰建国志强丽华明军"
PEOPLE = resident_import.BATCH * 2 + resident_import.BATCH // 2  # three batches


def person(i: int) -> list[str]:
    first_17 = f"33028119{40 + i // 12:02d}{i % 12 + 1:02d}15{i % 1000:03d}"
    name = SURNAMES[i % 10] + GIVEN[(i // 10) % 12] + GIVEN[(i // 120) % 12]
    return [name, first_17 + check_digit(first_17), "", "", "", "老人", "丰山社区", "本人", ""]


def csv_of(rows: list[list[str]]) -> dict:
    out = io.StringIO(newline="")
    csv.writer(out).writerows([HEADERS, *rows])
    return {"file": ("台账.csv", out.getvalue().encode(), "text/csv")}


@pytest.fixture
async def fengshan(community):
    return await community("fengshan", "丰山社区", "阳明街道")


async def test_the_report_keeps_the_files_order_across_batches(needs, fengshan, sql):
    answer = await needs.post("/residents/import", files=csv_of([person(i) for i in range(PEOPLE)]))
    assert answer.status_code == 200, answer.text
    rows = answer.json()["rows"]
    assert [r["row"] for r in rows] == list(range(2, PEOPLE + 2))
    assert {r["status"] for r in rows} == {"registered"}
    assert len({r["resident_id"] for r in rows}) == PEOPLE
    assert (await sql("SELECT count(*) FROM needs.residents"))[0][0] == PEOPLE


async def test_two_imports_of_the_same_people_in_opposite_orders_register_each_once(
    needs, fengshan, sql
):
    people = [person(i) for i in range(PEOPLE)]
    answers = await asyncio.gather(
        needs.post("/residents/import", files=csv_of(people)),
        needs.post("/residents/import", files=csv_of(people[::-1])),
    )
    assert [a.status_code for a in answers] == [200, 200], [a.text for a in answers]
    counts = [a.json()["counts"] for a in answers]
    assert sum(c["registered"] for c in counts) == PEOPLE, counts
    assert sum(c["already_registered"] for c in counts) == PEOPLE, counts
    assert (await sql("SELECT count(*) FROM needs.residents"))[0][0] == PEOPLE

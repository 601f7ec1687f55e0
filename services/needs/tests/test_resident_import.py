"""Importing residents from the office's spreadsheet (批量导入居民) over HTTP, against the real
PostgreSQL and NATS: the check writes nothing and tells each row's status and errors by
column; the import registers the rows that pass, once, however often the file is sent."""

import asyncio
import csv
import io
import json
import logging
from datetime import datetime

import openpyxl
import pytest

from wushe_events.subjects import stream_name
from wushe_events.testing import stream_messages, wait_until
from wushe_needs.resident_sheet import MAX_ROWS
from wushe_service.auth import Role
from wushe_service.identity import check_digit

HEADERS = ["姓名", "身份证号", "出生年份", "手机号", "地址", "人群类别", "社区", "同意", "备注"]


def id_number(first_17: str) -> str:
    return first_17 + check_digit(first_17)


ADULT = id_number("33028119520314001")  # born 1952
CHILD = id_number("33028120180601002")  # born 2018: under 14
ANOTHER = id_number("33028119610202003")
BAD = ADULT[:-1] + "1"  # the check character wrong

ROWS = [
    [
        "李桂芳",
        ADULT,
        "",
        "13900001111",
        "丰山社区5幢101",
        "独居老人、低保",
        "丰山社区",
        "本人",
        "",
    ],
    ["赵小明", CHILD, "2018", "", "丰山社区6幢202", "儿童，留守儿童", "丰山社区", "", ""],
    ["钱大海", BAD, "1952", "", "", "老人", "丰山社区", "本人", ""],
    ["李桂芳", ADULT, "1952", "", "", "独居老人", "丰山社区", "本人", "又抄了一遍"],
    ["孙玉兰", ANOTHER, "1961", "0574-62345678", "", "退役军人", "fengshan", "本人", ""],
]


def xlsx(rows, headers=HEADERS, numbers=False) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["丰山社区居民台账（2026年）"])  # a title above the headers, as 台账 have
    sheet.append(headers)
    for row in rows:
        sheet.append([int(c) if numbers and c.isdigit() else c for c in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def gbk_csv(rows, headers=HEADERS) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out).writerows([headers, *rows])
    return out.getvalue().encode("gbk")


def upload(content: bytes, name: str = "台账.xlsx") -> dict:
    return {"file": (name, content, "application/octet-stream")}


@pytest.fixture
async def fengshan(community):
    return await community("fengshan", "丰山社区", "阳明街道")


@pytest.fixture
def count_residents(sql):
    async def count() -> int:
        return (await sql("SELECT count(*) FROM needs.residents"))[0][0]

    return count


class TestCheck:
    async def test_each_row_is_told_ok_or_what_is_wrong_by_column_and_nothing_is_written(
        self, needs, fengshan, count_events, sql
    ):
        before = await count_events()
        answer = await needs.post("/residents/import/check", files=upload(xlsx(ROWS)))
        assert answer.status_code == 200, answer.text
        assert answer.headers["cache-control"] == "no-store"
        report = answer.json()
        rows = {r["row"]: r for r in report["rows"]}
        # The title is row 1, the headers row 2: the residents start on row 3, as Excel shows.
        assert sorted(rows) == [3, 4, 5, 6, 7]
        assert rows[3]["status"] == "ok"
        assert rows[3]["errors"] == []
        assert rows[3]["cells"]["姓名"] == "李桂芳"
        [guardian] = rows[4]["errors"]
        assert (rows[4]["status"], guardian["column"], guardian["type"]) == (
            "error",
            "同意",
            "guardian_consent_required",
        )
        assert "监护人" in guardian["message"]
        [bad] = rows[5]["errors"]
        assert (bad["column"], bad["field"], bad["type"]) == (
            "身份证号",
            "id_number",
            "id_number_check",
        )
        assert bad["message"] == "校验码不对，请逐位核对"
        assert BAD not in json.dumps(rows[5]["errors"], ensure_ascii=False)
        [twice] = rows[6]["errors"]
        assert (twice["column"], twice["type"], rows[6]["duplicate_of_row"]) == (
            "身份证号",
            "duplicate_in_file",
            3,
        )
        assert "第 3 行" in twice["message"]
        assert rows[7]["status"] == "ok"  # its community by id
        assert report["counts"] == {
            "ok": 2,
            "registered": 0,
            "already_registered": 0,
            "possible_duplicate": 0,
            "erased": 0,
            "error": 3,
        }
        assert await count_events() == before
        assert (await sql("SELECT count(*) FROM needs.personal_data"))[0][0] == 0

    async def test_a_resident_on_record_is_already_registered_by_id_number_a_namesake_possibly(
        self, needs, resident
    ):
        kept = await resident()  # 王秀英, 1949, 13812345678, in fengshan
        by_id = ["王秀英", "11010519491231002X", "", "", "", "独居老人", "丰山社区", "本人", ""]
        by_name = ["王秀英", "", "1949", "", "", "老人", "丰山社区", "本人", ""]
        other = ["王秀英", "", "1988", "", "", "其他", "丰山社区", "本人", ""]  # another person
        reports = []
        for row in (by_id, by_name, other):
            answer = await needs.post("/residents/import/check", files=upload(xlsx([row])))
            assert answer.status_code == 200, answer.text
            reports.append(answer.json()["rows"][0])
        assert [(r["status"], r["matched_by"], r["resident_id"]) for r in reports] == [
            ("already_registered", "id_number", kept),
            ("possible_duplicate", "name", kept),
            ("ok", None, None),
        ]
        assert reports[0]["note"].startswith("已登记")
        assert reports[1]["note"].startswith("可能重复")

    async def test_rows_of_one_person_by_name_and_birth_year_are_a_duplicate_in_the_file(
        self, needs, fengshan
    ):
        rows = [
            ["周建国", "", "1950", "", "", "老人", "丰山社区", "本人", ""],
            ["周 建国", "", "1950", "13900002222", "", "老人", "丰山社区", "本人", ""],
            ["周建国", "", "1950", "", "", "老人", "", "本人", ""],  # community from the form
        ]
        answer = await needs.post(
            "/residents/import/check",
            files=upload(gbk_csv(rows), "台账.csv"),
            data={"community_id": "fengshan"},
        )
        assert answer.status_code == 200, answer.text
        first, second, third = answer.json()["rows"]
        assert first["status"] == "ok"
        assert (second["status"], second["duplicate_of_row"]) == ("error", 2)
        assert second["errors"][0]["column"] == "姓名"
        assert third["duplicate_of_row"] == 2

    async def test_the_cells_of_a_row_are_checked_as_a_registration_is(self, needs, fengshan):
        rows = [
            ["", "", "", "12345", "", "老弱", "无名社区", "朋友", ""],
            ["吴芳", "", "1990", "", "", "老人", "丰山社区", "", ""],  # 60 or over only
            ["郑强", "", "", "", "", "其他", "丰山社区", "", ""],  # no birth year, no ID number
        ]
        answer = await needs.post("/residents/import/check", files=upload(xlsx(rows)))
        assert answer.status_code == 200, answer.text
        empty, young, yearless = answer.json()["rows"]
        told = {e["column"]: e["type"] for e in empty["errors"]}
        assert told == {
            "姓名": "missing",
            "出生年份": "birth_year_missing",
            "手机号": "phone_form",
            "人群类别": "unknown_group",
            "社区": "unknown_community",
            "同意": "consent_value",
        }
        assert [e["column"] for e in empty["errors"]] == [
            "姓名",
            "出生年份",
            "手机号",
            "人群类别",
            "社区",
            "同意",
        ]  # in the file's order of columns
        assert [(e["column"], e["type"]) for e in young["errors"]] == [
            ("人群类别", "group_60_or_over")
        ]
        assert [e["column"] for e in yearless["errors"]] == ["出生年份"]

    async def test_a_birth_date_column_as_many_台账_have_gives_the_birth_year(
        self, needs, fengshan
    ):
        headers = ["姓名", "出生日期", "人群类别", "社区"]
        rows = [
            ["沈秋月", datetime(1948, 3, 5), "老人", "丰山社区"],  # a date cell
            ["韩春生", "1950年7月", "老人", "丰山社区"],
            ["杨冬梅", "1990", "老人", "丰山社区"],  # too young to be 老人: the year was read
        ]
        book = openpyxl.Workbook()
        book.active.append(headers)
        for row in rows:
            book.active.append(row)
        out = io.BytesIO()
        book.save(out)
        answer = await needs.post("/residents/import/check", files=upload(out.getvalue()))
        assert answer.status_code == 200, answer.text
        assert answer.json()["columns"] == ["姓名", "出生年份", "人群类别", "社区"]
        statuses = [(r["status"], [e["type"] for e in r["errors"]]) for r in answer.json()["rows"]]
        assert statuses == [("ok", []), ("ok", []), ("error", ["group_60_or_over"])]

    async def test_an_id_number_excel_kept_as_a_number_is_told_to_be_retyped_as_text(
        self, needs, fengshan
    ):
        rows = [["冯秀珍", ADULT, "", "", "", "老人", "丰山社区", "本人", ""]]  # digits only
        answer = await needs.post("/residents/import/check", files=upload(xlsx(rows, numbers=True)))
        assert answer.status_code == 200, answer.text
        [row] = answer.json()["rows"]
        assert [(e["column"], e["type"]) for e in row["errors"]] == [
            ("身份证号", "id_number_as_number")
        ]

    async def test_a_token_of_a_street_imports_into_its_communities_only(
        self, needs, fengshan, community, token_for
    ):
        await community("jiangbin", "江滨社区", "兰江街道")
        station = await token_for(Role.social_worker, street="阳明街道")
        rows = [
            ["陈阿婆", "", "1940", "", "", "老人", "丰山社区", "本人", ""],
            ["陈阿公", "", "1941", "", "", "老人", "江滨社区", "本人", ""],
        ]
        answer = await needs.post(
            "/residents/import/check", files=upload(xlsx(rows)), headers=station
        )
        assert answer.status_code == 200, answer.text
        mine, theirs = answer.json()["rows"]
        assert mine["status"] == "ok"
        [outside] = theirs["errors"]
        assert (outside["column"], outside["type"]) == ("社区", "outside_street")
        assert "兰江街道" in outside["message"]

    async def test_excels_unicode_text_tab_separated_in_utf_16_is_read(self, needs, fengshan):
        lines = ["\t".join(HEADERS), "\t".join(ROWS[0])]
        content = "\r\n".join(lines).encode("utf-16")  # with its BOM
        answer = await needs.post("/residents/import/check", files=upload(content, "台账.txt"))
        assert answer.status_code == 200, answer.text
        [row] = answer.json()["rows"]
        assert (row["status"], row["cells"]["姓名"]) == ("ok", "李桂芳")

    async def test_the_community_chosen_for_the_file_must_be_the_tokens_to_serve(
        self, needs, fengshan, community, token_for, count_events
    ):
        await community("jiangbin", "江滨社区", "兰江街道")
        station = await token_for(Role.social_worker, street="阳明街道")
        rows = [["陈阿婆", "", "1940", "", "", "老人", "", "本人", ""]]
        before = await count_events()
        refused = await needs.post(
            "/residents/import",
            files=upload(xlsx(rows)),
            data={"community_id": "jiangbin"},
            headers=station,
        )
        assert refused.status_code == 403, refused.text
        assert "阳明街道" in refused.json()["detail"]
        unknown = await needs.post(
            "/residents/import", files=upload(xlsx(rows)), data={"community_id": "nowhere"}
        )
        assert unknown.status_code == 422
        assert unknown.json()["errors"][0]["field"] == "community_id"
        assert await count_events() == before


class TestCheckedSpreadsheet:
    async def test_the_check_as_a_spreadsheet_marks_the_wrong_cells_to_correct_and_import(
        self, needs, fengshan, count_events
    ):
        before = await count_events()
        answer = await needs.post("/residents/import/check.xlsx", files=upload(xlsx(ROWS)))
        assert answer.status_code == 200, answer.text
        assert answer.headers["cache-control"] == "no-store"
        assert "attachment" in answer.headers["content-disposition"]
        assert await count_events() == before
        book = openpyxl.load_workbook(io.BytesIO(answer.content))
        sheet = book.active
        heads = [c.value for c in sheet[1]]
        assert heads == ["原行号", "状态", *HEADERS, "问题"]
        rows = {r[0].value: r for r in sheet.iter_rows(min_row=2)}
        bad = rows[5][heads.index("身份证号")]
        assert (bad.value, bad.fill.fgColor.rgb) == (BAD, "FFFDECEA")
        assert bad.comment.text == "校验码不对，请逐位核对"
        assert rows[5][1].value == "有误"
        assert "身份证号：校验码不对" in rows[5][heads.index("问题")].value
        assert rows[3][heads.index("身份证号")].fill.fgColor.rgb != "FFFDECEA"

        # Corrected in Excel — the ID number retyped, a guardian's consent, the second row of
        # one person deleted — it is imported as it is.
        rows[5][heads.index("身份证号")].value = id_number("33028119520314002")
        rows[4][heads.index("同意")].value = "监护人"
        sheet.delete_rows(rows[6][0].row)
        out = io.BytesIO()
        book.save(out)
        imported = await needs.post("/residents/import", files=upload(out.getvalue()))
        assert imported.status_code == 200, imported.text
        assert imported.json()["counts"] == {
            "ok": 0,
            "registered": 4,
            "already_registered": 0,
            "possible_duplicate": 0,
            "erased": 0,
            "error": 0,
        }


class TestRefusedFiles:
    async def test_a_file_of_too_many_rows_is_refused_naming_the_limit(self, needs, fengshan):
        rows = [["某某", "", "1950", "", "", "老人", "丰山社区", "", ""]] * (MAX_ROWS + 1)
        answer = await needs.post("/residents/import/check", files=upload(gbk_csv(rows), "a.csv"))
        assert answer.status_code == 422, answer.text
        [error] = answer.json()["errors"]
        assert (error["field"], error["type"]) == ("file", "too_many_rows")
        assert str(MAX_ROWS) in error["message"]

    async def test_a_file_over_5_mb_is_refused_naming_the_limit(
        self, needs, fengshan, count_events
    ):
        before = await count_events()
        answer = await needs.post(
            "/residents/import", files=upload(b"x" * (5 * 1024 * 1024 + 1), "a.csv")
        )
        assert answer.status_code == 422, answer.text
        assert answer.json()["errors"][0]["type"] == "file_too_large"
        assert "5 MB" in answer.json()["detail"]
        assert await count_events() == before

    async def test_a_file_without_the_required_columns_is_refused_naming_them(
        self, needs, fengshan
    ):
        content = gbk_csv([["李四", "1950"]], headers=["姓名", "出生年份"])
        answer = await needs.post("/residents/import/check", files=upload(content, "a.csv"))
        assert answer.status_code == 422, answer.text
        assert "人群类别" in answer.json()["detail"]

    async def test_an_old_xls_file_is_refused_with_what_to_do(self, needs, fengshan):
        answer = await needs.post(
            "/residents/import/check", files=upload(b"\xd0\xcf\x11\xe0" + b"\0" * 600, "a.xls")
        )
        assert answer.status_code == 422
        assert answer.json()["errors"][0]["type"] == "file_xls"

    async def test_roles_other_than_social_workers_and_admins_are_refused(
        self, needs, fengshan, token_for
    ):
        viewer = await token_for(Role.coordinator)
        answer = await needs.post("/residents/import", files=upload(xlsx(ROWS[:1])), headers=viewer)
        assert answer.status_code == 403


class TestImport:
    async def test_the_rows_that_pass_are_registered_once_however_often_the_file_is_sent(
        self, needs, fengshan, count_residents, token_for
    ):
        content = gbk_csv(ROWS)
        first = await needs.post("/residents/import", files=upload(content, "台账.csv"))
        assert first.status_code == 200, first.text
        report = first.json()
        assert report["counts"] == {
            "ok": 0,
            "registered": 2,
            "already_registered": 0,
            "possible_duplicate": 0,
            "erased": 0,
            "error": 3,
        }
        registered = {
            r["row"]: r["resident_id"] for r in report["rows"] if r["status"] == "registered"
        }
        assert sorted(registered) == [2, 6]  # a CSV has no title row here: residents from row 2
        assert all(r.get("cells") is None for r in report["rows"])  # nothing echoed back
        assert await count_residents() == 2
        worker = await token_for(Role.social_worker)
        shown = await needs.get(f"/residents/{registered[2]}", headers=worker)
        assert shown.json()["personal_data"]["name"] == "李桂芳"
        assert shown.json()["personal_data"]["birth_year"] == 1952  # from the ID number
        assert shown.json()["groups"] == ["dibao", "elderly_alone"]
        assert [c["given_by"] for c in shown.json()["consents"]] == ["self"]

        again = await needs.post("/residents/import", files=upload(content, "台账.csv"))
        assert again.status_code == 200, again.text
        assert again.json()["counts"]["registered"] == 0
        assert again.json()["counts"]["already_registered"] == 2
        skipped = {r["row"]: r["resident_id"] for r in again.json()["rows"] if r["resident_id"]}
        assert skipped == registered
        assert await count_residents() == 2

    async def test_an_import_cut_short_is_finished_by_importing_the_file_again(
        self, needs, fengshan, count_residents
    ):
        half = await needs.post("/residents/import", files=upload(xlsx(ROWS[:1])))
        assert half.json()["counts"]["registered"] == 1
        whole = await needs.post("/residents/import", files=upload(xlsx(ROWS)))
        assert whole.status_code == 200, whole.text
        statuses = {r["row"]: r["status"] for r in whole.json()["rows"]}
        assert statuses == {
            3: "already_registered",
            4: "error",
            5: "error",
            6: "error",
            7: "registered",
        }
        assert await count_residents() == 2

    async def test_two_imports_of_one_file_at_once_register_each_person_once(
        self, needs, fengshan, count_residents
    ):
        rows = [
            *ROWS,
            ["蒋阿姨", "", "1945", "13900003333", "", "老人", "丰山社区", "本人", ""],  # no ID
        ]
        content = xlsx(rows)
        answers = await asyncio.gather(
            *(needs.post("/residents/import", files=upload(content)) for _ in range(2))
        )
        assert [a.status_code for a in answers] == [200, 200]
        registered = sum(a.json()["counts"]["registered"] for a in answers)
        skipped = sum(a.json()["counts"]["already_registered"] for a in answers)
        # The row without an ID number, to the import second, is a namesake on record.
        possible = sum(a.json()["counts"]["possible_duplicate"] for a in answers)
        assert (registered, skipped, possible) == (3, 2, 1)
        assert await count_residents() == 3

    async def test_names_and_id_numbers_reach_neither_the_bus_nor_the_logs(
        self, needs, fengshan, relay, js, office, caplog
    ):
        caplog.set_level(logging.DEBUG)
        answer = await needs.post("/residents/import", files=upload(xlsx(ROWS)))
        assert answer.json()["counts"]["registered"] == 2

        async def both_published():
            found = await stream_messages(js, stream_name(office))
            kinds = [json.loads(m.data)["type"] for m in found]
            return found if kinds.count("wushe.needs.resident.registered.v1") == 2 else None

        messages = await wait_until(both_published, message="the registrations reach the bus")
        on_the_bus = "\n".join(m.data.decode() for m in messages)
        logs = caplog.text
        assert "residents_imported" in logs
        for secret in ("李桂芳", "孙玉兰", ADULT, ANOTHER, BAD, CHILD, "13900001111", "5幢"):
            assert secret not in on_the_bus, f"{secret!r} is on the bus"
            assert secret not in logs, f"{secret!r} is in the logs"


class TestTemplate:
    async def test_the_xlsx_template_has_the_headers_an_example_row_and_the_id_as_text(
        self, needs, fengshan
    ):
        answer = await needs.get("/residents/import/template.xlsx", headers={"Authorization": ""})
        assert answer.status_code == 200
        assert "attachment" in answer.headers["content-disposition"]
        sheet = openpyxl.load_workbook(io.BytesIO(answer.content)).active
        headers = [c.value for c in sheet[1]]
        assert headers[:7] == HEADERS[:7]
        assert sheet["G2"].value == "丰山社区"
        assert sheet["B3"].number_format == "@"  # the ID number column, to fill in, is text

    async def test_the_template_filled_in_is_imported_and_its_example_row_is_not(
        self, needs, fengshan
    ):
        template = await needs.get("/residents/import/template.xlsx")
        book = openpyxl.load_workbook(io.BytesIO(template.content))
        filled = ["褚红梅", ANOTHER, "", "", "", "低保", "丰山社区", "本人", ""]
        for column, value in enumerate(filled, start=1):
            book.active.cell(3, column, value)  # the row under the example, as one types it
        out = io.BytesIO()
        book.save(out)
        answer = await needs.post("/residents/import/check", files=upload(out.getvalue()))
        assert answer.status_code == 200, answer.text
        example, filled = answer.json()["rows"]
        assert [e["type"] for e in example["errors"]] == ["example_row"]
        assert filled["status"] == "ok"

    async def test_a_template_saved_on_its_instructions_sheet_is_read_from_its_residents(
        self, needs, fengshan
    ):
        template = await needs.get("/residents/import/template.xlsx")
        book = openpyxl.load_workbook(io.BytesIO(template.content))
        residents = book["居民台账"]
        filled = ["褚红梅", ANOTHER, "", "", "", "低保", "丰山社区", "本人", ""]
        for column, value in enumerate(filled, start=1):  # over the example, as told
            residents.cell(2, column, value)
        book.active = book.sheetnames.index("填写说明")  # on screen when it was saved
        out = io.BytesIO()
        book.save(out)
        answer = await needs.post("/residents/import/check", files=upload(out.getvalue()))
        assert answer.status_code == 200, answer.text
        assert [r["status"] for r in answer.json()["rows"]] == ["ok"]

    async def test_the_csv_template_opens_in_excel_as_utf_8(self, needs, fengshan):
        answer = await needs.get("/residents/import/template.csv")
        assert answer.status_code == 200
        assert answer.content.startswith(b"\xef\xbb\xbf")
        assert answer.content.decode("utf-8-sig").splitlines()[0].startswith("姓名,身份证号")

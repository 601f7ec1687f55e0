"""Reading a residents' spreadsheet (居民台账) as offices keep them: pure, no servers."""

import io
import zipfile

import openpyxl
import pytest

from wushe_events.errors import InvalidReference
from wushe_needs import resident_sheet, resident_template
from wushe_needs.resident_sheet import MAX_ROWS, read


def workbook(*rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def refusal(content: bytes) -> str:
    with pytest.raises(InvalidReference) as refused:
        read(content)
    assert refused.value.field == "file"
    return refused.value.code


class TestHeaders:
    def test_headers_are_found_by_their_names_marks_and_aliases_in_any_order(self):
        sheet = read(
            workbook(
                [
                    "序号",
                    " *姓名 ",
                    "身份证号码",
                    "联系电话",
                    "类别（可多选）",
                    "社区（村）",
                    "性别",
                ],
                [1, "王秀英", "11010519491231002X", 13812345678, "独居老人", "丰山社区", "女"],
            )
        )
        assert sheet.columns == ["name", "id_number", "phone", "groups", "community"]
        assert sheet.ignored == ["序号", "性别"]
        [row] = sheet.rows
        assert row.cells["phone"] == "13812345678"  # a number, without its .0
        assert row.numbers == {"phone"}

    def test_title_rows_above_the_headers_and_blank_rows_keep_excels_numbering(self):
        sheet = read(
            workbook(
                ["丰山社区居民台账"],
                [],
                ["姓名", "人群类别"],
                ["王秀英", "老人"],
                [],
                ["李桂芳", "低保"],
            )
        )
        assert [(r.number, r.cells["name"]) for r in sheet.rows] == [(4, "王秀英"), (6, "李桂芳")]

    def test_a_sheet_without_the_required_headers_is_refused_naming_them(self):
        assert refusal(workbook(["居民", "年份"], ["王秀英", 1949])) == "no_header"
        with pytest.raises(InvalidReference, match="人群类别"):
            read(workbook(["姓名", "出生年份"], ["王秀英", 1949]))

    def test_a_column_twice_is_refused(self):
        content = workbook(["姓名", "人群类别", "电话", "手机号"], ["王秀英", "老人", "1", "2"])
        with pytest.raises(InvalidReference, match="手机号"):
            read(content)


class TestEncodings:
    ROWS = "姓名,人群类别,社区\r\n王秀英,独居老人,丰山社区\r\n"

    @pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
    def test_a_csv_is_read_in_utf_8_with_or_without_bom_or_gbk(self, encoding):
        [row] = read(self.ROWS.encode(encoding)).rows
        assert row.cells == {"name": "王秀英", "groups": "独居老人", "community": "丰山社区"}

    def test_a_csv_in_no_known_encoding_is_refused(self):
        assert refusal(b"\xff\xff\xff\x80\x81\xfe\n") == "file_encoding"


class TestLimits:
    def test_more_rows_than_an_import_takes_are_refused(self):
        content = ("姓名,人群类别\n" + "王秀英,老人\n" * (MAX_ROWS + 1)).encode()
        assert refusal(content) == "too_many_rows"
        assert len(read(("姓名,人群类别\n" + "王秀英,老人\n" * MAX_ROWS).encode()).rows) == MAX_ROWS

    def test_an_xlsx_that_unpacks_to_more_than_the_limit_is_refused(self, monkeypatch):
        monkeypatch.setattr(resident_sheet, "UNPACKED_LIMIT", 1000)
        assert refusal(workbook(["姓名", "人群类别"], ["王秀英" * 200, "老人"])) == "file_too_large"

    def test_a_zip_that_is_no_workbook_is_refused(self):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as packed:
            packed.writestr("hello.txt", "你好")
        assert refusal(out.getvalue()) == "file_unreadable"

    def test_an_empty_file_and_a_file_of_headers_only_are_refused(self):
        assert refusal(b"  \n") == "file_empty"
        assert refusal("姓名,人群类别\n".encode()) == "no_rows"


def test_the_templates_read_back_as_their_example_row():
    for content in (
        resident_template.template_xlsx("丰山社区"),
        resident_template.template_csv("丰山社区"),
    ):
        [row] = read(content).rows
        assert row.cells["community"] == "丰山社区"
        assert row.cells["id_number"] == resident_template.EXAMPLE["id_number"]

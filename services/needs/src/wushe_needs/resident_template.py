"""The residents' spreadsheet to fill in (居民台账导入模板): the headers an import reads, an
example row to delete, the columns of ID numbers and phones as text, and how to fill each
column; as .xlsx, or as CSV for Excel."""

from __future__ import annotations

import csv
import io

import openpyxl
from openpyxl.styles import Font

from wushe_needs.resident_labels import GIVERS, GROUP_WORDS, GROUPS
from wushe_needs.resident_sheet import HEADERS, MAX_BYTES, MAX_ROWS

# The columns a registration takes (街道 only tells apart two communities of one name, which
# the template's own office seldom has).
TEMPLATE = ("name", "id_number", "birth_year", "phone", "address", "groups", "community")
TEMPLATE_TAIL = ("consent", "notes")
# The template's example row: not a real person (the ID number's check digit is right, its
# sequence 999 is nobody's). A row with this ID number is the example left in: refused.
EXAMPLE = {
    "name": "张桂英",
    "id_number": "330281194803059991",
    "birth_year": "1948",
    "phone": "13800000000",
    "address": "3幢2单元101室",
    "groups": "独居老人、低保",
    "consent": "本人",
    "notes": "",
}


def template_rows(community: str) -> list[list[str]]:
    columns = (*TEMPLATE, *TEMPLATE_TAIL)
    example = {**EXAMPLE, "community": community}
    return [[HEADERS[c] for c in columns], [example[c] for c in columns]]


def template_xlsx(community: str) -> bytes:
    """The template: the headers and the example row, the ID number and phone columns as text
    (typed as numbers, Excel keeps an ID number's first 15 digits only), and how to fill it."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "居民台账"
    for row in template_rows(community):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    columns = [*TEMPLATE, *TEMPLATE_TAIL]
    for name, width in (("id_number", 22), ("phone", 14), ("address", 24), ("groups", 18)):
        letter = openpyxl.utils.get_column_letter(columns.index(name) + 1)
        sheet.column_dimensions[letter].width = width
        if name in ("id_number", "phone"):
            for number in range(2, MAX_ROWS + 2):
                sheet[f"{letter}{number}"].number_format = "@"
    help_sheet = book.create_sheet("填写说明")
    for line in instructions():
        help_sheet.append(line)
    help_sheet.column_dimensions["A"].width = 12
    help_sheet.column_dimensions["B"].width = 90
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_csv(community: str) -> bytes:
    """The template as CSV in UTF-8 with a BOM, which Excel opens as UTF-8."""
    out = io.StringIO(newline="")
    csv.writer(out).writerows(template_rows(community))
    return out.getvalue().encode("utf-8-sig")


def instructions() -> list[list[str]]:
    groups = "、".join(GROUPS.values())
    givers = "、".join(GIVERS.values())
    return [
        ["列", "怎么填"],
        ["姓名", "必填。"],
        ["身份证号", "选填。18 位，末位可为 X；请设为文本格式，否则 Excel 会把末三位变成 0。"],
        [
            "出生年份",
            "填了有效身份证号的可不填（按身份证号）；否则必填，如 1948（填出生日期也可）。",
        ],
        ["手机号", "选填。11 位手机号，或带区号的固定电话，如 0574-62345678。"],
        ["地址", "选填。"],
        [
            "人群类别",
            f"必填，可填多项，用“、”或“，”分开：{groups}。"
            f"台账中常用的写法也认得：{'、'.join(GROUP_WORDS)}。",
        ],
        ["社区", "本中心登记的社区名称（或编号）；在工作台导入时可不填，按所选社区。"],
        ["街道", "选填。本中心有两个同名社区时，填写所在街道以区分。"],
        [
            "同意",
            f"保存个人信息的同意：{givers}（未满 14 周岁的须为监护人），或留空（暂未取得）。"
            "已登记的居民（身份证号相同）不会重复登记，这里填了同意的，为其补记同意。",
        ],
        ["备注", "选填。"],
        ["", "第 2 行是示例，请删除后再填写；表头须在前 10 行内，列的顺序不限。"],
        ["", f"一个文件最多 {MAX_ROWS} 行居民、{MAX_BYTES // 1024 // 1024} MB。"],
        [
            "",
            "没有身份证号的居民，若本社区已有同名且出生年份或手机号相同的居民，标为“可能重复”，"
            "不导入，请逐一核对；填写身份证号可免去核对。",
        ],
        ["", "已申请删除个人信息的居民（按身份证号）不再导入，请将其从台账中删去。"],
    ]

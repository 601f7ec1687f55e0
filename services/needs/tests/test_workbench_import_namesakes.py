"""批量导入 on the workbench, in a real headless Chromium, with rows the import leaves to the
social worker: a namesake who may be a resident on record (可能重复) is shown apart, with the
namesake's file to compare, the row of an erased resident is said not to be imported, and a
consent given for a resident on record is said to be recorded."""

from __future__ import annotations

import io

import openpyxl

from wushe_service.auth import Role
from wushe_service.browser_testing import bare, unexpected
from wushe_service.identity import check_digit

from .conftest import RESIDENT

ERASED = "33028119520314001" + check_digit("33028119520314001")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROWS = [
    # A namesake without an ID number, of the phone on record (the year as typed, a slip?).
    [RESIDENT["name"], "", "1950", RESIDENT["phone"], "老人", "丰山社区", "本人"],
    ["李桂芳", ERASED, "", "", "老人", "丰山社区", "本人"],  # erased since the last import
    ["孙玉兰", "", "1961", "", "退役军人", "丰山社区", "本人"],
    [RESIDENT["name"], RESIDENT["id_number"], "", "", "老人", "丰山社区", "本人"],  # on record
]


def spreadsheet(rows) -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["姓名", "身份证号", "出生年份", "手机号", "人群类别", "社区", "同意"])
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def test_possible_duplicates_and_erased_rows_are_shown_apart_and_not_imported(
    signed_in, token_for, resident, needs
):
    await resident()  # 王秀英 of 丰山社区, 1949
    files = {"file": ("a.xlsx", spreadsheet([ROWS[1]]), XLSX)}
    [gone] = (await needs.post("/residents/import", files=files)).json()["rows"]
    await needs.delete(f"/residents/{gone['resident_id']}/personal-data")

    worker = bare(await token_for(Role.social_worker, "王社工"))
    async with signed_in("/workbench", worker) as (page, errors):
        await page.locator("#due-table tbody tr", has_text=RESIDENT["name"]).wait_for()
        await page.click(".tab[data-tab=import]")
        form = page.locator("#import-form")
        upload = {"name": "台账.xlsx", "mimeType": XLSX, "buffer": spreadsheet(ROWS)}
        await form.locator("input[name=file]").set_input_files(upload)
        await form.locator("button[type=submit]").click()
        summary = page.locator("#import-summary")
        await summary.filter(
            has_text="可能重复（请逐一核对，不会导入）1 行，已申请删除个人信息（不会导入）1 行"
        ).wait_for()
        assert await page.text_content("#import-go") == "导入可导入的 1 行"
        await summary.filter(has_text="将为已登记的 1 位居民补记同意").wait_for()

        possible = page.locator("#import-table tr[data-row='2']")
        assert "可能重复，未导入" in await possible.text_content()
        assert await possible.get_attribute("class") == "row-possible"
        erased = page.locator("#import-table tr[data-row='3']")
        assert "已申请删除个人信息，未导入" in await erased.text_content()
        assert await erased.get_by_role("button").count() == 0  # nobody's file to open

        await page.click("#import-go")
        await summary.filter(has_text="已导入 1 位居民").wait_for()
        await summary.filter(has_text="可能重复（请逐一核对，不会导入）1 行").wait_for()
        await summary.filter(has_text="已为已登记的 1 位居民补记同意").wait_for()

        # The namesake's file, to compare with the row.
        await possible.get_by_role("button", name="打开同名居民的档案").click()
        await page.locator("#file-name", has_text=RESIDENT["name"]).wait_for()
        assert unexpected(errors) == []

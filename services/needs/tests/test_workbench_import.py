"""批量导入 on the social workers' workbench, in a real headless Chromium: the template
downloaded, a spreadsheet checked — its wrong cells marked by row and column, nothing written —
then its good rows imported, and the page saying how many were registered and skipped."""

from __future__ import annotations

import io

import openpyxl
import pytest

from wushe_service.auth import Role
from wushe_service.browser_testing import bare, unexpected
from wushe_service.identity import check_digit

from .conftest import RESIDENT

ADULT = "33028119520314001" + check_digit("33028119520314001")
BAD = ADULT[:-1] + "1"  # the check character wrong
CHILD = "33028120180601002" + check_digit("33028120180601002")


@pytest.fixture
def count_residents(sql):
    async def count() -> int:
        return (await sql("SELECT count(*) FROM needs.residents"))[0][0]

    return count


def spreadsheet(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "身份证号", "出生年份", "手机号", "人群类别", "社区", "同意", "性别"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


ROWS = [
    ["李桂芳", ADULT, "", "13900001111", "独居老人、低保", "", "本人"],  # the chosen community
    ["钱大海", BAD, "1952", "", "老人", "丰山社区", "本人"],
    [RESIDENT["name"], RESIDENT["id_number"], "", "", "老人", "丰山社区", "本人"],
    ["赵小明", CHILD, "", "", "儿童", "丰山社区", ""],  # under 14: a guardian's consent
]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def test_a_social_worker_checks_a_spreadsheet_then_imports_its_good_rows(
    signed_in, token_for, resident, needs, count_residents
):
    await resident()  # 王秀英 of 丰山社区, on record already
    worker = bare(await token_for(Role.social_worker, "王社工"))
    async with signed_in("/workbench", worker) as (page, errors):
        await page.locator("#due-table tbody tr", has_text=RESIDENT["name"]).wait_for()
        await page.click(".tab[data-tab=import]")

        # The template, with the chosen community's name in its example row.
        async with page.expect_download() as downloading:
            await page.click("#import-template")
        saved = await (await downloading.value).path()
        template = openpyxl.load_workbook(io.BytesIO(saved.read_bytes())).active
        assert [c.value for c in template[1]][:3] == ["姓名", "身份证号", "出生年份"]
        assert "丰山社区" in [c.value for c in template[2]]

        # A file that is no 台账: said beside the file, in Chinese.
        form = page.locator("#import-form")
        junk = {"name": "notes.csv", "mimeType": "text/csv", "buffer": "你好\n".encode()}
        await form.locator("input[name=file]").set_input_files(junk)
        await form.locator("button[type=submit]").click()
        await form.locator(".errors li", has_text="没有找到表头").wait_for()
        assert await form.locator("input[name=file]").get_attribute("aria-invalid") == "true"

        # The spreadsheet checked: each row's status, the wrong cell marked in its column.
        upload = {"name": "台账.xlsx", "mimeType": XLSX, "buffer": spreadsheet(ROWS)}
        await form.locator("input[name=file]").set_input_files(upload)
        await form.locator("button[type=submit]").click()
        summary = page.locator("#import-summary")
        await summary.filter(has_text="可导入 1 行，有误 2 行，已登记（将跳过）1 行").wait_for()
        assert await form.locator(".errors li").count() == 0
        assert await page.text_content("#import-ignored") == "未使用的列（不会导入）：性别"
        heads = await page.locator("#import-table thead th").all_text_contents()
        bad = page.locator("#import-table tr[data-row='3']")
        marked = bad.locator("td.bad")
        assert await marked.count() == 1
        assert await marked.text_content() == BAD
        assert await marked.evaluate("td => td.cellIndex") == heads.index("身份证号")
        assert "身份证号：校验码不对" in await bad.locator("td").last.text_content()
        child = page.locator("#import-table tr[data-row='5']")
        assert "监护人" in await child.locator("td").last.text_content()
        assert await child.locator("td.bad").evaluate("td => td.cellIndex") == heads.index("同意")
        known = page.locator("#import-table tr[data-row='4']")
        assert "已登记，跳过" in await known.text_content()
        assert await count_residents() == 1  # a check writes nothing

        # The check as a spreadsheet, to correct in Excel: the wrong cells filled red.
        async with page.expect_download() as downloading:
            await page.click("#import-save")
        saved = await (await downloading.value).path()
        checked = openpyxl.load_workbook(io.BytesIO(saved.read_bytes())).active
        columns = [c.value for c in checked[1]]
        wrong = checked.cell(3, columns.index("身份证号") + 1)
        assert (wrong.value, wrong.fill.fgColor.rgb) == (BAD, "FFFDECEA")
        assert await count_residents() == 1

        # The good row imported, into the community chosen for the file.
        await page.click("#import-go")
        await summary.filter(
            has_text="已导入 1 位居民，跳过已登记的 1 行，有误未导入 2 行"
        ).wait_for()
        assert await page.locator("#import-go").is_hidden()
        assert await page.locator("#import-save").is_hidden()
        imported = page.locator("#import-table tr[data-row='2']")
        assert "已导入" in await imported.text_content()
        assert await count_residents() == 2
        listed = (await needs.get("/residents", params={"community_id": "fengshan"})).json()
        assert len(listed["items"]) == 2

        # Its file opens from the report.
        await imported.get_by_role("button", name="打开档案").click()
        await page.locator("#file-name", has_text="李桂芳").wait_for()
        await page.click("#file-back")
        await summary.filter(has_text="已导入 1 位居民").wait_for()
        assert unexpected(errors) == []

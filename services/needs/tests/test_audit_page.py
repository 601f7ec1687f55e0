"""审计查询 in a real headless Chromium, on a phone's screen: the auditor signs in, sees who read
a resident's personal data and who did what, narrows it to one person, pages through the read
log, is told once that a period is reversed, and downloads the CSV."""

from __future__ import annotations

from uuid import uuid4

from playwright.async_api import expect

from wushe_service.auth import Role
from wushe_service.browser_testing import bare, unexpected

from .conftest import PHONE


async def test_an_auditor_reads_who_saw_a_resident_and_who_did_what(
    needs, token_for, resident, signed_in, sql
):
    resident_id = await resident()
    social_worker = await token_for(Role.social_worker, "李社工", person=uuid4())
    await needs.get(f"/residents/{resident_id}", headers=social_worker)
    other = await token_for(Role.social_worker, "周社工")
    other_id = (await needs.get("/me", headers=other)).json()["token_id"]
    # A busy week: more reads than a page holds (50), by another social worker.
    await sql(
        """INSERT INTO needs.personal_data_reads (subject_id, reader, purpose)
           SELECT $1, $2, 'resident list: name' FROM generate_series(1, 55)""",
        uuid4(),
        other_id,
    )
    auditor = bare(await token_for(Role.auditor, "市审计局"))

    async with signed_in("/audit", auditor, phone=True) as (page, errors):
        reads = page.locator("#reads-table tbody tr")
        await expect(reads).to_have_count(50)
        await expect(page.locator("#reads .where")).to_have_text("第 1 页")
        await expect(page.locator("#who")).to_contain_text("市审计局")
        await page.locator("#reads .next").click()
        await expect(page.locator("#reads .where")).to_have_text("第 2 页")
        await expect(reads).to_have_count(6)
        mine = page.locator("#reads-table tbody tr", has_text="李社工")
        await expect(mine).to_contain_text("查看居民档案")
        await expect(mine).to_contain_text(resident_id)
        await expect(mine).to_contain_text("社工")
        await page.locator("#reads .prev").click()
        await expect(reads).to_have_count(50)
        await expect(page.locator("#reads-table")).to_contain_text("居民名单（姓名）")

        events = page.locator("#events-table tbody tr")
        await expect(page.locator("#events-table")).to_contain_text("登记居民")
        await expect(page.locator("#events-table")).to_contain_text("登记社区")

        await page.locator("#reads .next").click()
        await expect(reads).to_have_count(6)
        await page.locator("#reads-table button", has_text="李社工").click()
        await expect(page.locator("#person")).to_contain_text("只看：李社工")
        await expect(reads).to_have_count(1)
        await expect(events.first).to_contain_text("这段时间内没有符合条件的操作记录")
        await page.click("#person-clear")
        await expect(reads).to_have_count(50)

        await page.locator("#filters [name=type]").select_option("needs.resident.registered")
        await page.locator("#filters button[type=submit]").click()
        await expect(events).to_have_count(1)
        await expect(events.first).to_contain_text("登记居民")

        width = await page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"]
        assert "王秀英" not in await page.content()

        async with page.expect_download() as download_info:
            await page.locator("#reads .csv").click()
        download = await download_info.value
        saved = (await download.path()).read_bytes()
        assert saved.startswith("\ufeff".encode())
        assert "李社工" in saved.decode("utf-8-sig")
        assert "王秀英" not in saved.decode("utf-8-sig")
        assert download.suggested_filename.startswith("查阅记录-")

        await page.fill("#filters [name=from]", "2026-12-07")
        await page.fill("#filters [name=to]", "2026-12-01")
        await page.locator("#filters button[type=submit]").click()
        problems = page.locator("#filters .errors li")
        await expect(problems).to_have_count(1)
        await expect(problems).to_have_text("起始日期晚于截止日期，请对调两个日期")
        await expect(page.locator("#filters [name=from]")).to_have_attribute("aria-invalid", "true")
        await expect(reads).to_have_count(0)
        assert unexpected(errors) == []


async def test_a_token_of_another_role_is_told_the_page_is_not_for_it(
    needs, token_for, tab, served
):
    async with tab() as page:
        await page.goto(f"{served}/audit")
        await page.fill("#token", bare(await token_for(Role.social_worker)))
        await page.locator("#signin-form button[type=submit]").click()
        await expect(page.locator("#signin-error")).to_contain_text("审计查询")
        await expect(page.locator("#work")).to_be_hidden()

"""The public sign-up page (志愿者报名, /join): what it offers, where it is linked from, and a
resident filling it in on a phone."""

from wushe_events.catalogue.vocabulary import SKILLS
from wushe_service import testing

from .conftest import PHONE


class TestThePage:
    async def test_it_offers_the_office_s_communities_and_the_skill_labels(self, volunteers):
        page = await testing.public_page(volunteers, "/join")

        assert "<h1>志愿者报名</h1>" in page
        assert "<option value='fengshan'>fengshan 社区（阳明街道）</option>" in page
        assert "<option value='lanjiang'>" in page
        for slug, label in SKILLS.shown().items():
            assert f"value='{slug}'> {label}</label>" in page
        assert "name='consent_personal_data'" in page
        assert "name='guardian_consent'" in page
        assert "<script" not in page

    async def test_the_activities_page_and_the_resources_list_lead_to_it(self, volunteers):
        for path in ("/public/activities?format=html", "/public/resources?format=html"):
            page = await testing.public_page(volunteers, path)
            assert "<a href='/join'>在线报名成为志愿者</a>" in page, path

    async def test_a_community_s_own_link_chooses_it_to_begin_with(self, volunteers):
        listed = await testing.public_page(volunteers, "/public/resources?format=html")
        assert '<a href="/join?community_id=lanjiang">在线报名成为本社区的志愿者</a>' in listed

        page = await testing.public_page(volunteers, "/join?community_id=lanjiang")

        assert "<option value='lanjiang' selected>" in page
        assert "<option value='fengshan'>" in page


async def pending(volunteers) -> list:
    answer = await volunteers.get("/applications?state=pending")
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]


async def test_a_resident_applies_on_a_phone(volunteers, served, tab):
    async with tab(viewport=PHONE) as page:
        await page.goto(f"{served}/join")
        wide = await page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not wide  # nothing to scroll sideways on a phone
        submit = page.get_by_role("button", name="提交报名")
        assert (await submit.bounding_box() or {}).get("height", 0) >= 44
        await page.get_by_label("姓名").fill("陈小燕")
        await page.get_by_label("手机号").fill("1381234")
        await page.get_by_label("所在社区").select_option("fengshan")
        await page.get_by_label("出生年月").fill("1990-05")
        await page.get_by_label("助老").check()
        await page.get_by_label("我同意本中心保存我的报名信息").check()
        await submit.click()

        # A mistyped number: the form again, the number named in Chinese, the rest kept.
        await page.get_by_text("应为 11 位手机号").wait_for()
        assert await page.get_by_label("姓名").input_value() == "陈小燕"
        assert await page.get_by_label("助老").is_checked()
        assert await pending(volunteers) == []
        await page.get_by_label("手机号", exact=False).fill("13812345678")
        await page.get_by_label("我同意本中心保存我的报名信息").check()
        await page.get_by_role("button", name="提交报名").click()

        await page.get_by_role("heading", name="已提交，社区社工会与您联系").wait_for()
    [listed] = await pending(volunteers)
    assert listed["skills"] == ["elderly-care"]
    assert listed["personal_data"]["mobile"] == "13812345678"

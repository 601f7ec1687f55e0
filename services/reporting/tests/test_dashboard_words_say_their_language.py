"""Words of the other language on the dashboard say which they are (WCAG 3.1.2): the English
button on the Chinese page is `lang="en"`, 中文 on the English page `lang="zh-CN"`, and on the
English page every Chinese name — office, street, community, round — is marked as Chinese, so
that a screen reader does not spell 丰山社区 out with an English voice."""

from __future__ import annotations

import pytest

from .test_dashboard import OFFICE_NAME, api, dashboard, loaded, seeded, settled, tab, visit

__all__ = ["api", "dashboard", "seeded", "tab"]  # the fixtures of test_dashboard, used here

# Each piece of text with a Han character on the page, with the language it is read in: that
# of its nearest element saying one.
HAN_TEXT = """() => {
  const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
  const found = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (!/\\p{Script=Han}/u.test(node.data) || element.closest("script, [hidden], details")) {
      continue;
    }
    found.push([node.data.trim(), element.closest("[lang]").lang]);
  }
  return found;
}"""


@pytest.mark.settings(office_name=OFFICE_NAME)
async def test_each_word_of_the_other_language_says_which_it_is(
    tab, dashboard, api, seeded, office
):
    await settled(api)
    async with tab() as page:
        await visit(page, dashboard, office=office, street="阳明街道", community="fengshan")
        assert await page.get_attribute("html", "lang") == "zh-CN"
        assert await page.get_attribute("#lang", "lang") == "en"  # "English"

        await page.click("#lang")
        await loaded(page, office=office, street="阳明街道", community="fengshan")
        await page.wait_for_function(
            "() => document.querySelector('#communities tbody tr') !== null"
        )
        assert await page.get_attribute("html", "lang") == "en"
        assert await page.text_content("#lang") == "中文"
        assert await page.get_attribute("#lang", "lang") == "zh-CN"
        found = await page.evaluate(HAN_TEXT)
        names = {text for text, _ in found}
        # The office's, street's and community's names in the filters, the scope line and the
        # tables; the round's in its table.
        assert {OFFICE_NAME, "阳明街道", "丰山社区", "江滨社区"} <= names
        unmarked = sorted({text for text, said in found if not said.startswith("zh")})
        assert not unmarked, unmarked

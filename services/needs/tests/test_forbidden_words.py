"""The pages say a 403 in Chinese by its rule (signin.js `forbidden`, one table for every page,
used by forms.js `whyRefused` and `reasonOf`), with the answer's facts; a code they have no words
for shows the API's detail, and a page's own words for a rule come first."""

REFUSALS = {
    "role": {
        "rule": "role_not_allowed",
        "role": "volunteer",
        "allowed_roles": ["admin", "social_worker"],
        "detail": "role volunteer may not do this (allowed: admin, social_worker)",
    },
    "office": {
        "rule": "other_office",
        "token_office": "cixi",
        "office": "yuyao",
        "detail": "the token is for office cixi, this is office yuyao",
    },
    "street": {
        "rule": "outside_your_street",
        "token_street": "阳明街道",
        "street": "兰江街道",
        "detail": "street: this token serves 阳明街道, not 兰江街道",
    },
    "nobody": {"rule": "token_names_no_person", "role": "coordinator", "detail": "names none"},
    "unknown": {"rule": "a_rule_not_known_yet", "detail": "an English sentence"},
}


async def test_each_403_rule_is_said_in_chinese_and_an_unknown_one_as_the_api_said_it(tab, served):
    async with tab() as page:
        await page.goto(f"{served}/workbench")
        said = await page.evaluate(
            """async refusals => {
                const { reasonOf, whyRefused } = await import("/static/common/forms.js");
                const words = {};
                for (const [name, json] of Object.entries(refusals)) {
                    words[name] = whyRefused({ status: 403, json }, "保存");
                    words[name + "/list"] = reasonOf({ status: 403, json });
                }
                const own = { role_not_allowed: "本页面自己的话" };
                words.own = whyRefused({ status: 403, json: refusals.role }, "保存", own);
                words.conflict = whyRefused({ status: 409, json: refusals.role }, "保存");
                return words;
            }""",
            REFUSALS,
        )
    assert said["role"] == "此令牌的角色（志愿者）不能办理这项操作：只有管理员、社工可以。"
    assert said["office"] == (
        "此令牌是另一个中心（cixi）发放的，不能在本中心（yuyao）使用：请使用本中心管理员发放的令牌。"
    )
    assert said["street"] == "此令牌只负责阳明街道，不能办理兰江街道的事务。"
    assert said["nobody"].startswith("此令牌没有选定是哪一位志愿者")
    assert "账号管理" in said["nobody"]
    assert said["unknown"] == said["unknown/list"] == "an English sentence"
    for name in ("role", "office", "street", "nobody"):
        assert said[f"{name}/list"] == said[name], name
    assert said["own"] == "本页面自己的话"
    assert said["conflict"] == REFUSALS["role"]["detail"]

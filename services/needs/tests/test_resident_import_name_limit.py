"""批量导入居民 caps a name as registering one does (50 characters): a longer one is that row's
error on 姓名, worded 最多 50 个字; at the cap the row passes."""

from .test_resident_import import ADULT, upload, xlsx


def row(name: str) -> list[str]:
    return [name, ADULT, "", "", "", "独居老人", "丰山社区", "本人", ""]


async def test_a_name_over_50_characters_is_its_row_s_error_in_chinese(needs, community):
    await community("fengshan", "丰山社区", "阳明街道")
    answer = await needs.post("/residents/import/check", files=upload(xlsx([row("李" * 51)])))
    assert answer.status_code == 200, answer.text
    [checked] = answer.json()["rows"]
    [error] = checked["errors"]
    assert (checked["status"], error["column"], error["field"]) == ("error", "姓名", "name")
    assert error["message"] == "最多 50 个字"

    answer = await needs.post("/residents/import/check", files=upload(xlsx([row("李" * 50)])))
    assert answer.json()["rows"][0]["status"] == "ok", answer.text

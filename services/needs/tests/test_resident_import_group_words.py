"""The residents import reads a group as a community's own 台账 writes it — 老年人, 低保户, 残疾,
退伍军人… — as the label it means, and registers it so — against the real PostgreSQL and
NATS."""

from .test_resident_import import fengshan as fengshan
from .test_resident_import import gbk_csv, id_number, upload

ELDER = id_number("33028119480305002")  # born 1948
VETERAN = id_number("33028119600101003")  # born 1960

ROWS = [
    ["张桂英", ELDER, "", "13867451234", "", "老年人、低保户", "丰山社区", "本人", ""],
    ["王建华", VETERAN, "", "", "", "退伍军人，残疾", "丰山社区", "本人", ""],
    ["周大伯", "", "1950", "13900003333", "", "独居", "丰山社区", "", ""],
]


async def test_the_words_of_a_community_s_own_ledger_are_read_as_the_groups_they_mean(
    needs, fengshan
):
    checked = await needs.post("/residents/import/check", files=upload(gbk_csv(ROWS), "台账.csv"))
    assert checked.status_code == 200, checked.text
    assert [(r["row"], r["status"], r["errors"]) for r in checked.json()["rows"]] == [
        (2, "ok", []),
        (3, "ok", []),
        (4, "ok", []),
    ]

    imported = await needs.post("/residents/import", files=upload(gbk_csv(ROWS), "台账.csv"))
    assert imported.status_code == 200, imported.text
    groups = []
    for row in imported.json()["rows"]:
        resident = (await needs.get(f"/residents/{row['resident_id']}")).json()
        groups.append(sorted(resident["groups"]))
    assert groups == [["dibao", "elderly"], ["disabled", "veteran"], ["elderly_alone"]]


async def test_a_word_no_ledger_means_is_still_refused_on_its_column(needs, fengshan):
    rows = [["张桂英", ELDER, "", "", "", "老年", "丰山社区", "", ""]]
    checked = await needs.post("/residents/import/check", files=upload(gbk_csv(rows), "台账.csv"))
    [row] = checked.json()["rows"]
    assert [(e["column"], e["type"]) for e in row["errors"]] == [("人群类别", "unknown_group")]
    assert "老人" in row["errors"][0]["message"]

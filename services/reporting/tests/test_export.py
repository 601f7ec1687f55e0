"""CSV exports: with codes for programs (the default), in Chinese for people (`?lang=zh`)."""

import csv
import io
from datetime import UTC, datetime
from uuid import UUID

import pytest

from wushe_events.catalogue import funds as f
from wushe_events.catalogue import needs as n
from wushe_events.testing import publish, wait_until
from wushe_reporting import labels, queries
from wushe_reporting.projections import TABLES, project
from wushe_reporting.queries.export import ENUMS
from wushe_service.auth import Role
from wushe_service.testing import token_for

AT = datetime(2026, 10, 15, 2, tzinfo=UTC)  # 10:00 in office time
R1, R2 = UUID(int=1), UUID(int=2)
G1, G2 = UUID(int=11), UUID(int=12)
ROUND, TEAM = UUID(int=21), UUID(int=22)
ROUND2, FUND = UUID(int=23), UUID(int=24)


async def apply(store, office, envelope, *events):
    for version, event in enumerate(events, start=1):
        async with store.transaction() as tx:
            await project(tx, envelope(office, event, version, AT))


def residents():
    return [
        n.ResidentRegistered(
            resident_id=R1, community_id="fengshan", groups=["elderly_alone", "dibao"],
            age_band="80_plus",
        ),
        n.ResidentRegistered(
            resident_id=R2, community_id="jiangbin", groups=["veteran"], age_band="60_69"
        ),
    ]  # fmt: skip


def grants():
    def submitted(application, requested):
        return f.ApplicationSubmitted(
            application_id=application, round_id=ROUND, team_id=TEAM, community_id="fengshan",
            title="项目", requested_fen=requested,
        )  # fmt: skip

    return [submitted(G1, 150_050), submitted(G2, 200_000)]


async def export(store, table, lang="en"):
    async with store.connection() as db:
        return await queries.export_csv(db, table, lang=lang)


class TestInChinese:
    async def test_residents_read_in_chinese_with_labels_and_yes_or_no(
        self, reporting_store, office, envelope
    ):
        first, second = residents()
        await apply(reporting_store, office, envelope, first)
        await apply(
            reporting_store,
            office,
            envelope,
            second,
            n.ResidentErased(resident_id=R2, community_id="jiangbin"),
        )
        assert await export(reporting_store, "residents", "zh") == (
            "\ufeff办事处,居民编号,社区/村编号,服务对象类别,年龄段,个人信息已删除,登记时间,"
            "已并入的居民档案\r\n"
            f"{office},{R1},fengshan,独居老人、低保,80 岁及以上,否,2026-10-15 10:00:00,\r\n"
            f"{office},{R2},jiangbin,,,是,2026-10-15 10:00:00,\r\n"
        )

    async def test_grants_read_in_yuan_with_two_decimals_and_their_state_in_chinese(
        self, reporting_store, office, envelope
    ):
        first, second = grants()
        await apply(reporting_store, office, envelope, first)
        await apply(
            reporting_store,
            office,
            envelope,
            second,
            f.ApplicationApproved(application_id=G2, approved_fen=120_000),
        )
        assert await export(reporting_store, "grants", "zh") == (
            "\ufeff办事处,申请编号,轮次编号,社区/村编号,申请金额（元）,获批金额（元）,状态,申请时间\r\n"
            f"{office},{G1},{ROUND},fengshan,1500.50,,已申请,2026-10-15 10:00:00\r\n"
            f"{office},{G2},{ROUND},fengshan,2000.00,1200.00,已获批,2026-10-15 10:00:00\r\n"
        )

    async def test_rounds_read_with_their_name_budget_in_yuan_and_state_in_chinese(
        self, reporting_store, office, envelope
    ):
        def opened(round_id, budget, name):
            return f.RoundOpened(
                round_id=round_id, fund_id=FUND, budget_fen=budget, themes=["助老"],
                closes_at=AT, name=name,
            )  # fmt: skip

        await apply(reporting_store, office, envelope, opened(ROUND, 300_050, "2026 丰山微创投"))
        await apply(
            reporting_store,
            office,
            envelope,
            opened(ROUND2, 100_000, None),
            f.RoundCancelled(round_id=ROUND2, fund_id=FUND, reason="fund-short"),
        )
        # ROUND was never closed: its deadline passed, and it exports as the figures count it.
        assert await export(reporting_store, "rounds", "zh") == (
            "\ufeff办事处,轮次编号,基金编号,预算（元）,截止时间,状态,名称\r\n"
            f"{office},{ROUND},{FUND},3000.50,2026-10-15 10:00:00,已截止,2026 丰山微创投\r\n"
            f"{office},{ROUND2},{FUND},1000.00,2026-10-15 10:00:00,已取消,\r\n"
        )
        assert (await export(reporting_store, "rounds")).splitlines()[0] == (
            "\ufeffoffice,round_id,fund_id,budget_fen,closes_at,state,name"
        )

    async def test_the_default_keeps_codes_fen_and_true_or_false_for_programs(
        self, reporting_store, office, envelope
    ):
        first, second = grants()
        await apply(reporting_store, office, envelope, first)
        await apply(reporting_store, office, envelope, *residents())
        await apply(
            reporting_store,
            office,
            envelope,
            second,
            f.ApplicationApproved(application_id=G2, approved_fen=120_000),
        )
        assert await export(reporting_store, "grants") == (
            "\ufeffoffice,application_id,round_id,community_id,requested_fen,approved_fen,state,"
            "submitted_at\r\n"
            f"{office},{G1},{ROUND},fengshan,150050,,submitted,2026-10-15 10:00:00\r\n"
            f"{office},{G2},{ROUND},fengshan,200000,120000,approved,2026-10-15 10:00:00\r\n"
        )
        assert (await export(reporting_store, "residents")).splitlines()[1] == (
            f"{office},{R1},fengshan,elderly_alone|dibao,80_plus,False,2026-10-15 10:00:00,"
        )

    async def test_every_column_has_a_chinese_header_and_every_code_a_label(
        self, reporting_store, office, history
    ):
        for event in history(office):
            async with reporting_store.transaction() as tx:
                await project(tx, event)
        enums = labels.labels()["enums"]["zh-CN"]
        for table in TABLES:
            text = await export(reporting_store, table, "zh")
            rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
            codes = (await export(reporting_store, table)).removeprefix("\ufeff")
            header = next(csv.reader(io.StringIO(codes)))
            assert len(rows[0]) == len(header), table
            assert not set(rows[0]) & set(header) - {""}, f"{table}: untranslated header"
            for column, values in zip(header, zip(*rows[1:], strict=True), strict=True):
                kind = ENUMS.get((table, column)) or ENUMS.get(column)
                if kind is None or kind == "category":  # need categories are free slugs
                    continue
                words = set(enums[kind].values())
                for value in values:
                    parts = value.split("、") if value else []
                    assert set(parts) <= words, f"{table}.{column}: {value} has no label"


class TestOverHttp:
    async def test_lang_zh_answers_chinese_and_another_language_is_a_422_naming_it(
        self, reporting, js, office, history, consumed
    ):
        events = history(office)
        await publish(js, *events)
        await wait_until(lambda: consumed(len(events)), message="all consumed")
        zh = await reporting.get("/api/export/teams.csv", params={"lang": "zh"})
        assert zh.status_code == 200, zh.text
        assert zh.text.startswith("\ufeff办事处,团队编号,类型,名称\r\n")
        assert "志愿服务队" in zh.text
        assert (await reporting.get("/api/export/teams.csv?lang=en")).text == (
            await reporting.get("/api/export/teams.csv")
        ).text
        viewer = await token_for(reporting.app.state.runtime)(Role.viewer)
        flows = await reporting.get(
            "/api/export/fund_flows.csv", params={"lang": "zh", "from": "2026-09"}, headers=viewer
        )
        assert flows.status_code == 200, flows.text
        assert ",捐赠,5000.00," in flows.text  # 500,000 fen
        for bad in ("fr", "zh-TW"):  # an empty one is none given (test_api)
            refused = await reporting.get(f"/api/export/teams.csv?lang={bad}")
            assert refused.status_code == 422, bad
            assert "lang" in refused.text, refused.text


def test_the_need_categories_read_as_the_services_name_them():
    """The services accept and show need categories by the labels of one vocabulary; the
    dashboard and the exports name them alike."""
    from wushe_events.catalogue.vocabulary import NEED_CATEGORIES

    shown = {slug: names[0] for slug, names in NEED_CATEGORIES.labels.items()}
    assert labels.labels()["enums"]["zh-CN"]["category"] == shown
    assert set(labels.labels()["enums"]["en"]["category"]) == set(shown)


@pytest.mark.parametrize(
    ("kind", "vocabulary"),
    [("skill", "SKILLS"), ("team_kind", "TEAM_KINDS"), ("site_kind", "SITE_KINDS"),
     ("certification", "CERTIFICATIONS"), ("expense_category", "EXPENSE_CATEGORIES")],
)  # fmt: skip
def test_every_vocabulary_code_reads_as_the_services_name_it(kind, vocabulary):
    """Skills, team and site kinds, certifications and expense categories have their labels in
    the shared catalogue; the dashboard and the exports have one for every code, the same in
    Chinese."""
    from wushe_events.catalogue import vocabulary as catalogue

    shown = {slug: names[0] for slug, names in getattr(catalogue, vocabulary).labels.items()}
    assert labels.labels()["enums"]["zh-CN"][kind] == shown
    assert set(labels.labels()["enums"]["en"][kind]) == set(shown)

"""The reporting service live: consuming the office stream, serving figures, rebuilding."""

from contextlib import asynccontextmanager
from uuid import uuid4

import asyncpg
import pytest

from wushe_events.store import EventStore
from wushe_events.subjects import stream_name
from wushe_events.testing import publish, wait_until
from wushe_reporting import bus, projections, rebuild
from wushe_reporting.bus import CONSUMER
from wushe_reporting.projections import TABLES
from wushe_service.auth import Role
from wushe_service.testing import serving, token_for


async def dump(database_url):
    connection = await asyncpg.connect(database_url)
    try:
        return {
            t: sorted(map(repr, await connection.fetch(f"SELECT * FROM reporting.{t}")))
            for t in TABLES
        }
    finally:
        await connection.close()


async def test_live_figures_and_a_rebuild_by_replay_give_the_same_tables(
    reporting, js, office, history, database_url, consumed
):
    events = history(office)
    await publish(js, *events)
    await wait_until(lambda: consumed(len(events)), message="all consumed")
    # A known type whose payload its model refuses: dead-lettered live, skipped by the replay.
    refused = events[0].model_copy(update={"id": uuid4(), "data": {"community_id": "无效"}})
    await publish(js, refused)
    figures = (await reporting.get(f"/api/figures?office={office}")).json()
    assert figures["residents"]["total"] == 3
    assert figures["money"]["raised_fen"] == 1_520_000
    live = await dump(database_url)

    runtime = reporting.app.state.runtime
    replayed = await rebuild.rebuild(
        runtime.store,
        runtime.js,
        stream=stream_name(office),
        subjects="wushe.*.>",
        consumer=CONSUMER,
    )
    assert replayed == len(events) + 1  # every message read, the refused one applied to nothing
    assert await dump(database_url) == live


async def test_an_outdated_read_model_is_rebuilt_when_the_service_starts(
    database_url, nats_url, office, js, history, monkeypatch, consumed, reporting_app
):
    events = history(office)
    await publish(js, *events)

    async def current():
        connection = await asyncpg.connect(database_url)
        try:
            return (
                await connection.fetchval("SELECT version FROM reporting.projection_versions")
                == projections.VERSION
            )
        finally:
            await connection.close()

    async with serving(reporting_app()):
        # Generous deadlines: a start migrates, subscribes and replays (slow on a busy machine).
        await wait_until(lambda: consumed(len(events)), timeout=30, message="consumed")
        await wait_until(current, timeout=30, message="the first start's build recorded")
    live = await dump(database_url)
    connection = await asyncpg.connect(database_url)
    try:  # as if an older version of the projection code had built them
        await connection.execute("UPDATE reporting.projection_versions SET version = 0")
        await connection.execute("DELETE FROM reporting.needs")
    finally:
        await connection.close()
    attempts = []

    async def cut_short_once(*args, **kwargs):  # as if NATS went away mid-replay
        attempts.append(1)
        if len(attempts) == 1:
            raise ConnectionResetError("gone")
        return await replay(*args, **kwargs)

    replay = rebuild.rebuild
    monkeypatch.setattr(rebuild, "rebuild", cut_short_once)
    monkeypatch.setattr(bus, "RETRY_FIRST", 0.1)
    async with serving(reporting_app()):

        async def rebuilt():
            connection = await asyncpg.connect(database_url)
            try:
                return (
                    await connection.fetchval("SELECT version FROM reporting.projection_versions")
                    == projections.VERSION
                )
            finally:
                await connection.close()

        await wait_until(rebuilt, timeout=30, message="rebuilt at start, at the second attempt")
    assert len(attempts) == 2
    assert await dump(database_url) == live


async def test_a_first_start_replays_beside_the_live_consumer_without_a_deadlock(
    office, js, history, database_url, reporting_app, monkeypatch
):
    # Several histories: long enough for the start's replay and the new durable consumer,
    # both reading the stream from its start, to write the same rows at the same time.
    events = [event for _ in range(6) for event in history(office)]
    await publish(js, *events)
    failed: list[BaseException] = []
    transaction = EventStore.transaction

    @asynccontextmanager
    async def watched(store):  # every transaction of the service's, failures noted
        try:
            async with transaction(store) as tx:
                yield tx
        except Exception as error:
            failed.append(error)
            raise

    monkeypatch.setattr(EventStore, "transaction", watched)
    async with serving(reporting_app()) as client:

        async def settled():
            lag = (await client.get("/api/lag")).json()
            waiting = lag["consumers"][CONSUMER]
            caught_up = waiting.get("pending") == waiting.get("ack_pending") == 0
            return caught_up and not lag["rebuilding"]

        await wait_until(settled, timeout=60, message="replayed and consumed")
        together = await dump(database_url)
        runtime = client.app.state.runtime
        stream, subjects = bus.source(runtime)
        await rebuild.rebuild(  # the same events again, alone: a serial run
            runtime.store, runtime.js, stream=stream, subjects=subjects, consumer=CONSUMER
        )
        assert await dump(database_url) == together
    assert failed == []  # no deadlock retried, no batch applied twice at once


class TestApi:
    async def test_a_bad_period_or_office_is_a_422_naming_it_in_words(self, reporting):
        for path, field, said in [
            ("/api/figures?from=2026-13", "query.from", "a month as YYYY-MM"),
            ("/api/figures?to=26-10", "query.to", "a month as YYYY-MM"),
            ("/api/figures?from=0000-01", "query.from", "1900-2999"),
            ("/api/figures?to=9999-12", "query.to", "1900-2999"),
            ("/api/figures?from=2026-11&to=2026-10", "from", "must be on or before to"),
            ("/api/figures?office=Yuyao", "office", "lowercase letters"),
            ("/api/export/needs.csv?to=2026-1", "query.to", "a month as YYYY-MM"),
            ("/api/export/needs.csv?office=Yuyao", "office", "an office id"),
            ("/api/offices/Yuyao/communities", "office", "an office id"),
            ("/api/snapshots/2026-09-30?office=y", "office", "2-32 characters"),
        ]:
            response = await reporting.get(path)
            assert response.status_code == 422, path
            detail = response.json()["detail"]
            assert detail.startswith(f"{field}: "), (path, detail)
            assert said in detail, (path, detail)
            assert "^" not in detail, (path, detail)  # what is allowed, not the regex

    async def test_a_reversed_period_is_a_422_naming_both_bounds_and_what_to_do(self, reporting):
        for path in (
            "/api/figures?from=2026-11&to=2026-10",
            "/api/export/needs.csv?from=2026-11&to=2026-10",
        ):
            response = await reporting.get(path)
            assert response.status_code == 422, path
            assert response.json()["detail"] == (
                "from: must be on or before to; from 2026-11 is after to 2026-10"
                " (swap them: from=2026-10&to=2026-11)"
            ), path

    async def test_every_table_exports_and_an_unknown_one_is_a_404(self, reporting):
        viewer = await token_for(reporting.app.state.runtime)(Role.viewer)
        listed = (await reporting.get("/api/export")).json()["tables"]
        assert [t["table"] for t in listed] == list(TABLES)
        needs = next(t for t in listed if t["table"] == "needs")
        assert (needs["street"], needs["period"]) == (True, "identified_at")
        teams = next(t for t in listed if t["table"] == "teams")
        assert (teams["street"], teams["period"]) == (False, None)
        for table in listed:
            response = await reporting.get(table["csv"], headers=viewer)
            assert response.status_code == 200, table
            assert response.text.startswith("\ufeff")
        response = await reporting.get("/api/export/tracking.csv")
        assert response.status_code == 404
        assert response.json()["detail"].startswith("table tracking: no such table; tables: ")
        assert "communities" in response.json()["detail"]

    async def test_a_table_asked_for_without_csv_is_a_404_saying_how_to_ask(self, reporting):
        for path, first in [
            ("/api/export/needs", "table needs: exports as /api/export/needs.csv"),
            ("/api/export/needs.xlsx", "table needs.xlsx: no such table"),
            ("/api/export/tracking", "table tracking: no such table"),
        ]:
            response = await reporting.get(path)
            assert response.status_code == 404, path
            assert response.headers["content-type"] == "application/json", path
            detail = response.json()["detail"]
            assert detail.startswith(first), (path, detail)
            assert "/api/export/<table>.csv" in detail, (path, detail)
            assert f"tables: {', '.join(TABLES)}" in detail, (path, detail)

    async def test_an_export_opened_in_a_browser_answers_its_errors_as_a_page_in_chinese(
        self, reporting, js, office, history, consumed
    ):
        """The dashboard's export links are opened by people: a refusal, a mistyped month or
        place, an unknown table reads as a page saying so, not as English JSON; programs still
        get the JSON."""
        events = history(office)
        await publish(js, *events)
        await wait_until(lambda: consumed(len(events)), message="all consumed")
        browser = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
        for url, status, said in [
            ("/api/export/residents.csv", 401, "此页面只对工作人员开放"),
            (
                "/api/export/needs.csv?from=2026-13",
                422,
                "起始月份（<code>from</code>）：应为年月，如 2026-10",
            ),
            (
                "/api/export/needs.csv?lang=fr",
                422,
                "语言（<code>lang</code>）：应为以下之一：en, zh",
            ),
            ("/api/export/tracking.csv", 404, "没有名为“tracking”的数据表，请检查网址"),
            (
                "/api/export/needs.csv?office=elsewhere",
                404,
                "机构（<code>office</code>）：还没有机构“elsewhere”",
            ),
            ("/api/export/needs.csv?street=nosuch", 404, "没有属于街道“nosuch”的社区"),
            (
                f"/api/export/needs.csv?office={office}&street=兰江街道&community=fengshan",
                404,
                f"社区（<code>community</code>）：机构 {office} 的街道“兰江街道”中"
                "没有社区“fengshan”",
            ),
            (
                "/api/export/needs.csv?office=Yuyao",
                422,
                "机构（<code>office</code>）：应为机构编号",
            ),
            (
                "/api/export/needs.csv?from=2026-11&to=2026-10",
                422,
                "<li>起始月份晚于截止月份：2026-11 在 2026-10 之后，请对调",
            ),
            (
                "/api/export/teams.csv?street=阳明街道",
                422,
                "街道（<code>street</code>）：数据表“团队与组织”（teams.csv）没有社区一栏，不能按街道筛选",
            ),
            (
                "/api/export/rounds.csv?from=2026-09",
                422,
                "起始月份（<code>from</code>）：数据表“微创投轮次”",
            ),
            ("/api/export/needs", 404, "数据表“需求清单”请以 /api/export/needs.csv 导出"),
            ("/api/export/needs.xlsx", 404, "没有名为“needs.xlsx”的数据表"),
        ]:
            page = await reporting.get(url, headers=browser)
            assert page.status_code == status, url
            assert page.headers["content-type"].startswith("text/html"), url
            assert said in page.text, (url, page.text)
            assert "format=html" not in page.text  # the export has no page to show whole
            program = await reporting.get(url)
            assert program.status_code == status, url
            assert program.headers["content-type"] == "application/json", url
            assert program.json()["detail"], url
        # The figures are for programs (the dashboard reads them): JSON whatever is asked.
        for url in ("/api/figures?from=2026-13", "/api/figures?office=elsewhere"):
            figures = await reporting.get(url, headers=browser)
            assert figures.headers["content-type"] == "application/json", url

    async def test_tables_with_a_row_per_person_export_only_to_staff_with_a_token(self, reporting):
        token = token_for(reporting.app.state.runtime)
        listed = (await reporting.get("/api/export")).json()["tables"]
        per_person = {t["table"] for t in listed if t["per_person"]}
        assert {"residents", "surveys", "volunteers", "hours"} <= per_person
        assert "communities" not in per_person
        assert (await reporting.get("/api/export/communities.csv")).status_code == 200
        for table in per_person:
            response = await reporting.get(f"/api/export/{table}.csv")
            assert response.status_code == 401, table
        volunteer = await reporting.get(
            "/api/export/residents.csv", headers=await token(Role.volunteer)
        )
        assert volunteer.status_code == 403
        assert "auditor" in volunteer.json()["detail"]
        auditor = await reporting.get(
            "/api/export/residents.csv", headers=await token(Role.auditor)
        )
        assert auditor.status_code == 200

    async def test_an_export_takes_one_office_or_one_community(
        self, reporting, js, office, history, database_url, consumed
    ):
        events = history(office)
        await publish(js, *events)
        await wait_until(lambda: consumed(len(events)), message="all consumed")

        async def lines(query):
            response = await reporting.get(f"/api/export/needs.csv?{query}")
            assert response.status_code == 200, response.text
            return response.text.removeprefix("\ufeff").splitlines()

        every = await lines(f"office={office}")
        assert len(every) > 2
        one_community = await lines("community=fengshan")
        assert 1 < len(one_community) < len(every)
        assert all(",fengshan," in line for line in one_community[1:])
        street = await lines("street=阳明街道")  # fengshan and xinjian
        assert {line.split(",")[2] for line in street[1:]} == {"fengshan"}
        assert len(street) == len(every) - 1  # all but jiangbin's one need
        # n1 and n2 were identified in September, n3 in October.
        assert len(await lines("from=2026-09&to=2026-09")) == 3
        assert len(await lines("from=2026-10")) == 2
        # Each download is named after its selection, the street's Chinese name in UTF-8.
        named = await reporting.get(
            "/api/export/needs.csv",
            params={"office": office, "street": "阳明街道", "community": "fengshan",
                    "from": "2026-09", "to": "2026-10"},
        )  # fmt: skip
        assert named.headers["content-disposition"] == (
            f'attachment; filename="needs-{office}-fengshan-2026-09-2026-10.csv"; '
            f"filename*=UTF-8''needs-{office}-%E9%98%B3%E6%98%8E%E8%A1%97%E9%81%93-fengshan-"
            "2026-09-2026-10.csv"
        )
        # One bound alone says which it is: from September on, or up to September.
        for query, name in [
            ("from=2026-09", "needs-from-2026-09.csv"),
            ("to=2026-09", "needs-to-2026-09.csv"),
            (f"office={office}&from=2026-09&to=2026-09", f"needs-{office}-2026-09-2026-09.csv"),
        ]:
            bounded = await reporting.get(f"/api/export/needs.csv?{query}")
            assert f'filename="{name}"' in bounded.headers["content-disposition"], query
        every_row = await reporting.get("/api/export/needs.csv")
        assert every_row.headers["content-disposition"] == (
            "attachment; filename=\"needs.csv\"; filename*=UTF-8''needs.csv"
        )
        for refused_query, field in [
            ("teams.csv?community=fengshan", "community"),
            ("teams.csv?street=阳明街道", "street"),
            ("rounds.csv?from=2026-09", "from"),
            ("funds.csv?to=2026-09", "to"),
        ]:
            refused = await reporting.get(f"/api/export/{refused_query}")
            assert refused.status_code == 422, refused_query
            assert refused.json()["detail"].startswith(field), refused_query

    async def test_any_empty_parameter_is_one_not_given_as_an_empty_street_is_every_street(
        self, reporting, js, office, history, consumed
    ):
        events = history(office)
        await publish(js, *events)
        await wait_until(lambda: consumed(len(events)), message="all consumed")
        viewer = await token_for(reporting.app.state.runtime)(Role.viewer)

        async def read(path):
            response = await reporting.get(path, headers=viewer)
            assert response.status_code == 200, (path, response.text)
            return response.json() if path.startswith("/api/figures") else response.text

        for emptied, absent in [
            ("/api/figures?from=&to=", "/api/figures"),
            ("/api/figures?from=2026-10&to=", "/api/figures?from=2026-10"),
            ("/api/figures?from=&to=2026-09", "/api/figures?to=2026-09"),
            ("/api/export/needs.csv?from=&to=", "/api/export/needs.csv"),
            ("/api/export/needs.csv?from=&to=2026-09", "/api/export/needs.csv?to=2026-09"),
            # A table with no moment to take a period by is not refused an empty one.
            ("/api/export/teams.csv?from=&to=", "/api/export/teams.csv"),
            ("/api/export/residents.csv?to=&lang=zh", "/api/export/residents.csv?lang=zh"),
            ("/api/figures?office=&street=&community=", "/api/figures"),
            (f"/api/figures?office={office}&street=&community=", f"/api/figures?office={office}"),
            ("/api/export/needs.csv?office=&street=&community=&lang=", "/api/export/needs.csv"),
            (
                "/api/export/needs.csv?lang=&community=fengshan",
                "/api/export/needs.csv?community=fengshan",
            ),
            # A table with no community is not refused an empty one.
            ("/api/export/teams.csv?street=&community=", "/api/export/teams.csv"),
            ("/api/export/residents.csv?office=&lang=", "/api/export/residents.csv"),
        ]:
            assert await read(emptied) == await read(absent), emptied
        filters = (await read("/api/figures?office=&street=&community=&from=&to="))["filters"]
        assert filters == dict.fromkeys(("office", "street", "community", "from", "to"))
        # An unknown parameter is refused all the same, empty or not.
        unknown = await reporting.get("/api/figures?community_id=")
        assert unknown.status_code == 422
        named = await reporting.get("/api/export/needs.csv?from=&to=2026-09")
        assert 'filename="needs-to-2026-09.csv"' in named.headers["content-disposition"]

    async def test_an_unknown_office_street_or_community_is_a_404_naming_it(
        self, reporting, js, office, history, consumed
    ):
        events = history(office)
        await publish(js, *events)
        await wait_until(lambda: consumed(len(events)), message="all consumed")
        for path, named in [
            ("/api/figures?office=nosuch", "office nosuch"),
            (f"/api/figures?office={office}&community=nosuch", "community nosuch"),
            ("/api/figures?community=nosuch", "community nosuch"),
            ("/api/figures?street=nosuch", "street nosuch"),
            ("/api/figures?street=兰江街道&community=fengshan", "community fengshan"),
            ("/api/export/needs.csv?community=nosuch", "community nosuch"),
            ("/api/export/needs.csv?office=elsewhere", "office elsewhere"),
            ("/api/export/teams.csv?office=elsewhere", "office elsewhere"),
        ]:
            response = await reporting.get(path)
            assert response.status_code == 404, path
            assert named in response.json()["detail"], path
        assert office in (await reporting.get("/api/figures?office=nosuch")).json()["detail"]
        # Known places with nothing in the period: zeros, not an error.
        quiet = await reporting.get(
            "/api/figures",
            params={"office": office, "community": "xinjian", "from": "2020-01", "to": "2020-02"},
        )
        assert quiet.status_code == 200
        assert quiet.json()["surveys"]["total"] == 0
        empty = await reporting.get(f"/api/export/needs.csv?office={office}&community=xinjian")
        assert empty.status_code == 200
        assert len(empty.text.splitlines()) == 1  # the header

    async def test_its_own_office_before_its_first_event_reads_zeros(self, reporting, office):
        figures = await reporting.get(f"/api/figures?office={office}")
        assert figures.status_code == 200, figures.text
        assert figures.json()["residents"]["total"] == 0
        other = await reporting.get("/api/figures?office=nosuch")
        assert other.status_code == 404
        assert office in other.json()["detail"]

    async def test_the_overview_before_any_event_reads_zeros_for_every_figure(
        self, reporting, office
    ):
        overview = (await reporting.get("/api/overview")).json()
        [row] = overview["offices"]
        assert row["office"] == office
        assert (row["last_event_at"], row["seconds_since_last_event"]) == (None, None)
        assert row["name"] is None  # no WUSHE_OFFICE_NAME: the dashboard shows its code
        figures = dict.fromkeys(
            (
                "communities",
                "residents",
                "surveys",
                "volunteers",
                "open_needs",
                "raised_fen",
                "verified_hours",
            ),
            0,
        )
        assert overview["totals"] == figures
        assert {k: row[k] for k in figures} == figures
        # The dashboard drills into the only office listed: no street yet, not a 404.
        places = await reporting.get(f"/api/offices/{office}/communities")
        assert places.status_code == 200, places.text
        assert places.json() == {"office": office, "streets": []}
        assert (await reporting.get("/api/offices/nowhere/communities")).status_code == 404

    async def test_an_offices_communities_and_an_unknown_office_is_a_404(
        self, reporting, js, office, history, database_url, consumed
    ):
        events = history(office)
        await publish(js, *events)
        await wait_until(lambda: consumed(len(events)), message="all consumed")
        places = (await reporting.get(f"/api/offices/{office}/communities")).json()
        assert {s["street"] for s in places["streets"]} == {"阳明街道", "兰江街道"}
        due = {
            c["community_id"]: c["due_visit"] for s in places["streets"] for c in s["communities"]
        }
        assert due == {"fengshan": 2, "jiangbin": 1, "xinjian": 0}  # visits last in October
        response = await reporting.get("/api/offices/nowhere/communities")
        assert response.status_code == 404
        # Worded as an unknown office of /api/figures is.
        assert response.json() == (await reporting.get("/api/figures?office=nowhere")).json()
        assert response.json()["detail"].startswith("office nowhere: ")
        assert office in response.json()["detail"]

    async def test_the_dashboard_and_its_vendored_charts_are_served(self, reporting):
        page = await reporting.get("/")
        assert '<html lang="zh-CN">' in page.text
        assert (await reporting.get("/static/dashboard/echarts.min.js")).status_code == 200
        # The labels, one file for the page and the Chinese exports: inline, and served.
        assert '<script id="labels" type="application/json">{"' in page.text
        assert "{{labels}}" not in page.text
        served = (await reporting.get("/static/dashboard/labels.json")).json()
        assert served["enums"]["zh-CN"]["method"]["home_visit"] == "入户走访"
        assert served["columns"]["zh-CN"]["office"] == "办事处"

    async def test_lag_reports_the_consumer(self, reporting, office, js, history):
        await publish(js, *history(office)[:3])

        async def settled():
            lag = (await reporting.get("/api/lag")).json()
            waiting = lag["consumers"][CONSUMER]  # {"error": …} until the consumer exists
            caught_up = waiting.get("pending") == waiting.get("ack_pending") == 0
            # A first start builds the read models by replay: until then, `rebuilding`.
            return lag if lag["offices"] and caught_up and not lag["rebuilding"] else None

        lag = await wait_until(settled, message="caught up")
        assert lag["offices"][0]["office"] == office
        # No hub link: the scripted events are months old, but none waits to be projected,
        # so the office is quiet, not stale.
        assert lag["offices"][0]["link"] is None
        assert lag["offices"][0]["stale"] is False

    async def test_a_rebuild_cut_short_is_said_and_done_again(
        self, reporting, office, js, history, consumed, monkeypatch
    ):
        events = history(office)
        await publish(js, *events)
        await wait_until(lambda: consumed(len(events)), message="all consumed")
        before = (await reporting.get("/api/figures", params={"office": office})).json()
        runtime = reporting.app.state.runtime

        async def crash(*_args, **_kwargs):
            raise ConnectionResetError("the replay is cut short")

        monkeypatch.setattr(rebuild, "_replay", crash)
        stream, subjects = bus.source(runtime)
        with pytest.raises(ConnectionResetError):
            await rebuild.rebuild(
                runtime.store, runtime.js, stream=stream, subjects=subjects, consumer=CONSUMER
            )
        assert (await reporting.get("/api/lag")).json()["rebuilding"] is True
        monkeypatch.undo()
        await bus.rebuild_when_outdated(runtime)  # what the service does when it starts
        assert (await reporting.get("/api/lag")).json()["rebuilding"] is False
        after = (await reporting.get("/api/figures", params={"office": office})).json()
        assert after == before

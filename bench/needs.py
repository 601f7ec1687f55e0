"""7. Where social workers wait on the needs service: a spreadsheet's import and the visits due.

The needs service runs in-process (its lifespan run, an ASGI client, as the tests serve it) on
a fresh database and office stream, with a fresh office key.

- **import** (`--only import`): each run imports a new file of RESIDENTS residents (a CSV as
  Excel saves it, every row valid, each resident with an ID number, a phone and a consent) with
  `POST /residents/import`, then the same file again (every row on record: the retry after a
  crash halfway). A run's figures are those two requests' times.
- **due** (`--only due`): an office of DUE_RESIDENTS residents in DUE_COMMUNITIES communities
  with DUE_SURVEYS surveys over the last year (one in fifty residents never surveyed, one in a
  hundred merged into another), written straight into the service's tables and analysed. Each
  run asks DUE_REQUESTS times, one at a time, for the visits due of one community (the
  workbench's list) and for the whole office (its first page and a page further on), and a
  run's figure is the median of its requests.
"""

from __future__ import annotations

import csv
import io
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

from bench.servers import Servers, fresh_database, fresh_office
from bench.stats import Figures
from wushe_needs import queries
from wushe_needs.main import create_app
from wushe_needs.settings import NeedsSettings
from wushe_service import testing
from wushe_service.identity import check_digit
from wushe_service.personal_data import new_office_key

RESIDENTS = 2_000  # a file at the import's limit (resident_sheet.MAX_ROWS)
HEADERS = ["姓名", "身份证号", "出生年份", "手机号", "地址", "人群类别", "社区", "同意", "备注"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "秀英桂芳玉兰建国志强丽华明军红梅海燕文斌春生秋菊冬梅"

DUE_RESIDENTS = 20_000
DUE_SURVEYS = 100_000
DUE_COMMUNITIES = 40
DUE_REQUESTS = 10  # per run


def _settings(database_url: str, servers: Servers, office: str) -> NeedsSettings:
    return testing.settings_for(
        NeedsSettings,
        database_url,
        servers.nats_url,
        office,
        office_key=new_office_key(),
        wish_sweep_interval=3600,
        log_level="ERROR",
    )


def residents_csv(run: int, count: int) -> bytes:
    """`count` valid rows, none of whom a row of another run could be taken for."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    for i in range(count):
        born = datetime(1940, 1, 1) + timedelta(days=(run * count + i) % 20_000)
        first_17 = f"330281{born:%Y%m%d}{i % 1000:03d}"
        name = (
            SURNAMES[i % len(SURNAMES)]
            + GIVEN[(i // len(SURNAMES)) % len(GIVEN)]
            + GIVEN[(i // len(SURNAMES) // len(GIVEN) + run) % len(GIVEN)]
        )
        writer.writerow(
            [
                name,
                first_17 + check_digit(first_17),
                "",
                f"139{run:02d}{i:06d}",
                f"基准社区{i // 8}幢{i % 8 + 1}01",
                "独居老人",
                "基准社区",
                "本人",
                "",
            ]
        )
    return out.getvalue().encode()


async def imported(client: Any, content: bytes) -> tuple[float, dict[str, int]]:
    started = time.perf_counter()
    response = await client.post(
        "/residents/import", files={"file": ("台账.csv", content, "text/csv")}
    )
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, response.text
    counts: dict[str, int] = response.json()["counts"]
    return elapsed, counts


async def run_import(
    servers: Servers, residents: int, runs: int, warmups: int, progress: Callable[[str], None]
) -> Figures:
    figures = Figures(
        f"7. Resident import: POST /residents/import, {residents:,} rows",
        [
            "the needs service in-process; each run a new file (every row registered), then "
            "the same file again (every row on record, skipped)",
        ],
    )
    async with fresh_database(servers) as database_url, fresh_office(servers) as office:
        async with testing.serving(create_app(_settings(database_url, servers, office))) as client:
            place = {"community_id": "jizhun", "name": "基准社区", "street": "基准街道"}
            assert (await client.post("/communities", json=place)).status_code == 201
            for r in range(warmups + runs):
                content = residents_csv(r, residents)
                first, counts = await imported(client, content)
                assert counts["registered"] == residents, counts
                again, counts = await imported(client, content)
                assert counts["already_registered"] == residents, counts
                if r >= warmups:
                    figures.add("import, every row registered", "ms", first * 1e3)
                    figures.add("… per row", "ms", first / residents * 1e3)
                    figures.add("the same file again, every row on record", "ms", again * 1e3)
                progress(f"import run {r + 1}/{warmups + runs}: {first:.1f} s, again {again:.1f} s")
    return figures


async def fill_office(db: Any, residents: int, surveys: int, communities: int) -> None:
    """Residents and surveys as the service's projections keep them, written at once."""
    rng = random.Random(7)
    now = datetime.now(UTC)
    groups = ["elderly_alone", "low_income", "disabled", "child", "veteran"]
    ids = [uuid4() for _ in range(residents)]
    rows = []
    for i, resident_id in enumerate(ids):
        merged = ids[i - 1] if i % 100 == 99 else None  # merged into the one before
        rows.append(
            (
                resident_id,
                f"c{i % communities}",
                [groups[i % len(groups)]],
                "60-79",
                now - timedelta(days=400 + rng.random() * 300),
                merged,
            )
        )
    await db.executemany(
        """INSERT INTO residents (resident_id, community_id, groups, age_band, registered_at,
                                  merged_into)
           VALUES ($1, $2, $3, $4, $5, $6)""",
        rows,
    )
    await db.execute("UPDATE residents SET erased = true WHERE merged_into IS NOT NULL")
    surveyed = [r for i, r in enumerate(rows) if i % 50 != 0]  # one in fifty never surveyed
    survey_rows = []
    for _ in range(surveys):
        resident_id, community_id = rng.choice(surveyed)[:2]
        when = now - timedelta(days=rng.random() * 365)
        survey_rows.append((uuid4(), resident_id, community_id, "home_visit", when))
    await db.executemany(
        """INSERT INTO surveys (survey_id, resident_id, community_id, method, surveyed_at)
           VALUES ($1, $2, $3, $4, $5)""",
        survey_rows,
    )
    await db.execute("VACUUM ANALYZE residents")  # as autovacuum would have by then
    await db.execute("VACUUM ANALYZE surveys")


async def _timed(db: Any, **asked: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    found = await queries.due_visits(db, limit=50, **asked)
    return time.perf_counter() - started, found


async def run_due(
    servers: Servers,
    residents: int,
    surveys: int,
    runs: int,
    warmups: int,
    progress: Callable[[str], None],
) -> Figures:
    figures = Figures(
        f"7. Visits due (回访): queries.due_visits, {residents:,} residents, {surveys:,} surveys",
        [
            f"{DUE_COMMUNITIES} communities, surveys over the last year, 30 days without one "
            f"due; {DUE_REQUESTS} requests one at a time per run, the run's median",
        ],
    )
    async with fresh_database(servers) as database_url, fresh_office(servers) as office:
        async with testing.serving(create_app(_settings(database_url, servers, office))) as client:
            app: Any = client.app  # type: ignore[attr-defined]
            async with app.state.runtime.store.connection() as db:
                progress(f"due: {residents:,} residents, {surveys:,} surveys …")
                await fill_office(db, residents, surveys, DUE_COMMUNITIES)
                before = datetime.now(UTC) - timedelta(days=30)
                _, first = await _timed(
                    db, community_id=None, group=None, before=before, cursor=None
                )
                further = first.next_cursor
                for _ in range(3):  # a page further on: the cursor of page 4
                    _, page = await _timed(
                        db, community_id=None, group=None, before=before, cursor=further
                    )
                    further = page.next_cursor
                asked: dict[str, dict[str, Any]] = {
                    "one community, first page": {"community_id": "c1", "cursor": None},
                    "the whole office, first page": {"community_id": None, "cursor": None},
                    "the whole office, page 5": {"community_id": None, "cursor": further},
                }
                for r in range(warmups + runs):
                    for label, where in asked.items():
                        times = []
                        for _ in range(DUE_REQUESTS):
                            took, found = await _timed(db, group=None, before=before, **where)
                            times.append(took)
                            assert found.items, label
                        if r >= warmups:
                            figures.add(label, "ms", statistics.median(times) * 1e3)
                    progress(f"due run {r + 1}/{warmups + runs}")
    return figures

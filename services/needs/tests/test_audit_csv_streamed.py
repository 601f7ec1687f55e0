"""审计查询's CSV files are streamed as their rows are read, a batch at a time: a period of
thousands of events or reads arrives whole, each row once, newest first, under one heading."""

import csv
import io
from uuid import uuid4

from wushe_service.audit_csv import BATCH
from wushe_service.auth import Role
from wushe_service.testing import office_today

MANY = 2 * BATCH + 7  # more than two batches, the last one short


def _rows(text: str) -> list[list[str]]:
    assert text.count("\ufeff") == 1
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


async def test_a_period_of_thousands_of_events_is_streamed_whole(needs, token_for, sql):
    await sql(
        """INSERT INTO needs.events (event_id, office, aggregate, aggregate_id, version,
                                     event_type, data, occurred_at)
           SELECT gen_random_uuid(), 'office', 'community', 'c-' || i, 1,
                  'wushe.needs.community.registered.v1', '{}'::jsonb, now()
           FROM generate_series(1, $1) i""",
        MANY,
    )
    auditor = await token_for(Role.auditor)

    today = office_today()
    answer = await needs.get(
        f"/audit.csv?from={today}&to={today}&aggregate=community", headers=auditor
    )

    assert answer.status_code == 200, answer.text
    assert "content-length" not in answer.headers  # sent as it is read
    assert answer.headers["cache-control"] == "no-store"
    heading, *rows = _rows(answer.text)
    assert heading[:3] == ["操作时间（北京时间）", "操作", "记录类别"]
    ours = [r[3] for r in rows if r[3].startswith("c-")]
    assert ours == [f"c-{i}" for i in range(MANY, 0, -1)]
    assert {r[1] for r in rows} == {"登记社区"}


async def test_a_period_of_thousands_of_reads_is_streamed_whole(needs, token_for, sql):
    reader = (await needs.get("/me", headers=await token_for(Role.social_worker))).json()
    subject = uuid4()
    await sql(
        """INSERT INTO needs.personal_data_reads (subject_id, reader, purpose)
           SELECT $1, $2, 'resident list: name' FROM generate_series(1, $3)""",
        subject,
        reader["token_id"],
        MANY,
    )
    auditor = await token_for(Role.auditor)

    today = office_today()
    answer = await needs.get(
        f"/audit/personal-data.csv?from={today}&to={today}&subject_id={subject}", headers=auditor
    )

    assert answer.status_code == 200, answer.text
    heading, *rows = _rows(answer.text)
    assert heading[0] == "查阅时间（北京时间）"
    assert len(rows) == MANY
    ids = [int(r[-1]) for r in rows]
    assert ids == sorted(ids, reverse=True)
    assert len(set(ids)) == MANY
    assert {r[6] for r in rows} == {"居民名单（姓名）"}

"""The granted projects of the public projects list (项目清单公示), one row per approved
application, so that the list reads rows rather than folding every event of every grant at
each request (anyone may ask, and that cost grew with the office's history). Written by the
`EventStore` hook in the transaction of each event of a granted application; filled here from
the log for the offices upgrading, with the fold the hook uses (`domain.project`), so that
both give the same row. The fill runs on the migration's own (synchronous) connection: the
table cannot be read before it is full, and the office's grants are a few hundred streams of
a few dozen events each. `events` is there: this branch depends on the event store's.

Revision ID: funds_0012
"""

from collections import defaultdict
from typing import Any
from uuid import UUID

import orjson
from alembic import op
from sqlalchemy import Connection, text

from wushe_events.catalogue import decode
from wushe_funds.domain.project import project_of
from wushe_funds.store import PROJECT_COLUMNS, project_row

revision = "funds_0012"
down_revision = "funds_0011"
branch_labels = None
depends_on = None

# Every event of every application ever approved, in order.
_GRANTED = text("""SELECT aggregate_id, version, event_type, data::text AS data, occurred_at
    FROM events WHERE aggregate = 'application' AND aggregate_id IN (
        SELECT aggregate_id FROM events
        WHERE aggregate = 'application' AND event_type = 'wushe.funds.application.approved.v1')
    ORDER BY aggregate_id, version""")

_ROUND_FUNDS = text("""SELECT aggregate_id::uuid AS round_id, (data->>'fund_id')::uuid AS fund_id
    FROM events WHERE aggregate = 'round' AND version = 1""")

_INSERT = text(
    f"""INSERT INTO projects ({", ".join(PROJECT_COLUMNS)})
        VALUES ({", ".join(f":{c}" for c in PROJECT_COLUMNS)}) ON CONFLICT DO NOTHING"""
)


def upgrade() -> None:
    # The list's page: a community's projects, the most recently approved first.
    op.execute("""
        CREATE TABLE projects (
            application_id uuid PRIMARY KEY,
            community_id text NOT NULL,
            round_id uuid NOT NULL,
            fund_id uuid NOT NULL,
            team_id uuid NOT NULL,
            title text NOT NULL,
            theme text,
            state text NOT NULL CHECK (state IN ('under_way', 'suspended', 'completed')),
            approved_at timestamptz NOT NULL,
            approved_fen bigint NOT NULL,
            disbursed_fen bigint NOT NULL,
            expenses_fen bigint NOT NULL,
            need_ids uuid[] NOT NULL,
            beneficiaries integer,
            activities integer,
            version integer NOT NULL)""")
    op.execute("CREATE INDEX projects_by_community ON projects (community_id, approved_at DESC)")
    fill(op.get_bind())


def fill(connection: Connection) -> None:
    """A row for each application approved so far (those already there are kept)."""
    histories: defaultdict[str, list[Any]] = defaultdict(list)
    for row in connection.execute(_GRANTED):
        histories[row.aggregate_id].append(row)
    funds: dict[UUID, UUID] = {r.round_id: r.fund_id for r in connection.execute(_ROUND_FUNDS)}
    rows = []
    for history in histories.values():
        granted = project_of(
            (decode(r.event_type, orjson.loads(r.data)), r.occurred_at) for r in history
        )
        if granted is not None:
            rows.append(project_row(granted, funds[granted.round_id], history[-1].version))
    if rows:
        connection.execute(_INSERT, rows)

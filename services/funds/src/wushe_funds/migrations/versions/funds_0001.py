"""The funds service's own tables: the public ledger and its replica of teams.

The ledger of funds that already have donations is written from their events here, once.

Revision ID: funds_0001
"""

import orjson
from alembic import op
from sqlalchemy import text

from wushe_events.catalogue import decode
from wushe_funds.domain import ledger

revision = "funds_0001"
down_revision = None
branch_labels = ("funds",)
# The ledger of existing funds is written from the events table.
depends_on = ("event_store_0001",)

TABLES = [
    """CREATE TABLE ledger (
        fund_id uuid NOT NULL, sequence int NOT NULL, event_id uuid NOT NULL UNIQUE,
        occurred_at timestamptz NOT NULL, kind text NOT NULL, reference uuid NOT NULL,
        amount_fen bigint NOT NULL, balance_fen bigint NOT NULL, purpose text NOT NULL,
        counterpart text NOT NULL, prev_hash text NOT NULL, hash text NOT NULL,
        PRIMARY KEY (fund_id, sequence))""",
    """CREATE TABLE teams (
        team_id uuid PRIMARY KEY, kind text NOT NULL, name text NOT NULL)""",
    """CREATE TABLE team_members (
        team_id uuid NOT NULL, volunteer_id uuid NOT NULL, PRIMARY KEY (team_id, volunteer_id))""",
    "CREATE INDEX team_members_by_volunteer ON team_members (volunteer_id)",
]

_INSERT = text(
    """INSERT INTO ledger VALUES (:fund_id, :sequence, :event_id, :occurred_at, :kind,
        :reference, :amount_fen, :balance_fen, :purpose, :counterpart, :prev_hash, :hash)"""
)


def upgrade() -> None:
    for statement in TABLES:
        op.execute(statement)
    bind = op.get_bind()
    rows = bind.execute(
        text("""SELECT aggregate_id, event_id, event_type, data::text AS data, occurred_at
                FROM events WHERE aggregate = 'fund' ORDER BY aggregate_id, version""")
    ).all()
    by_fund: dict[str, list] = {}
    for row in rows:
        by_fund.setdefault(row.aggregate_id, []).append(
            (decode(row.event_type, orjson.loads(row.data)), row.event_id, row.occurred_at)
        )
    for events in by_fund.values():
        for entry in ledger.from_events(events[0][0].fund_id, events):
            content = entry.content
            bind.execute(
                _INSERT,
                {
                    **{k: getattr(content, k) for k in ledger.Content.__dataclass_fields__},
                    "fund_id": content.fund_id,
                    "kind": content.kind.value,
                    "prev_hash": entry.prev_hash,
                    "hash": entry.hash,
                },
            )

"""The overview read model: totals per office and per community.

Revision ID: reporting_0001
"""

from alembic import op

revision = "reporting_0001"
down_revision = None
branch_labels = ("reporting",)
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE office_overview (
            office text PRIMARY KEY,
            communities int NOT NULL DEFAULT 0,
            residents int NOT NULL DEFAULT 0,
            surveys int NOT NULL DEFAULT 0,
            volunteers int NOT NULL DEFAULT 0,
            funds int NOT NULL DEFAULT 0,
            donations int NOT NULL DEFAULT 0,
            raised_fen bigint NOT NULL DEFAULT 0,
            last_event_at timestamptz
        )
    """)
    op.execute("""
        CREATE TABLE community_overview (
            office text NOT NULL,
            community_id text NOT NULL,
            name text,
            street text,
            residents int NOT NULL DEFAULT 0,
            surveys int NOT NULL DEFAULT 0,
            volunteers int NOT NULL DEFAULT 0,
            funds int NOT NULL DEFAULT 0,
            raised_fen bigint NOT NULL DEFAULT 0,
            PRIMARY KEY (office, community_id)
        )
    """)
    # Donations name their fund only; this says which community a fund belongs to.
    op.execute("""
        CREATE TABLE fund_communities (
            office text NOT NULL,
            fund_id uuid NOT NULL,
            community_id text,
            PRIMARY KEY (office, fund_id)
        )
    """)

"""Snapshots: the figures as they stood at the end of a day (a month's, a quarter's close),
computed by replaying the events up to then, kept to be read and reported again.

Revision ID: reporting_0004
Revises: reporting_0003
"""

from alembic import op

revision = "reporting_0004"
down_revision = "reporting_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE snapshots (
            as_of date PRIMARY KEY,          -- the figures at the end of this day, office time
            taken_at timestamptz NOT NULL,   -- when: events arriving later are not in it
            events bigint NOT NULL,          -- events replayed into it
            figures jsonb NOT NULL
        )
    """)

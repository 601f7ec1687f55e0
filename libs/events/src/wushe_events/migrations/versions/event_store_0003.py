"""The events by when they were recorded, for an audit of a period (审计查询): a BRIN index,
a few pages for the whole log, as the log is appended in time order and a B-tree would cost
every append another index write.

Revision ID: event_store_0003
Revises: event_store_0002
"""

from alembic import op

revision = "event_store_0003"
down_revision = "event_store_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE INDEX IF NOT EXISTS events_recorded_at ON events USING brin (recorded_at)")

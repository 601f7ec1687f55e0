"""Each event keeps the token that asked for it, for the audit trail.

Revision ID: event_store_0002
Revises: event_store_0001
"""

from alembic import op

revision = "event_store_0002"
down_revision = "event_store_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # 0001 creates the table from its current definition, which already has the column.
    op.execute("ALTER TABLE events ADD COLUMN IF NOT EXISTS actor uuid")

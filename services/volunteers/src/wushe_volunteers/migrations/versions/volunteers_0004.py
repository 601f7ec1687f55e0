"""A replica of the needs service's communities, from its events (not a read table of ours:
rebuilding our read tables leaves it alone).

Revision ID: volunteers_0004
"""

from alembic import op

revision = "volunteers_0004"
down_revision = "volunteers_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """CREATE TABLE communities (
            community_id text PRIMARY KEY, name text NOT NULL, street text NOT NULL,
            version int NOT NULL, updated_at timestamptz NOT NULL)"""
    )

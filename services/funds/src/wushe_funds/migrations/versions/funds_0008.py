"""A replica of the needs service's communities, from its events: a fund or a project names
a community the office has registered, and the public ledger shows its name.

Revision ID: funds_0008
"""

from alembic import op

revision = "funds_0008"
down_revision = "funds_0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """CREATE TABLE communities (
            community_id text PRIMARY KEY, name text NOT NULL, street text NOT NULL,
            version int NOT NULL, updated_at timestamptz NOT NULL)"""
    )

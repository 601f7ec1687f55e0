"""A grant round's name (`funds.round.opened`), so that the dashboard and the rounds' export
name a round as its fund managers do. Filled by the rebuild of projection version 8.

Revision ID: reporting_0010
"""

from alembic import op

revision = "reporting_0010"
down_revision = "reporting_0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE rounds ADD COLUMN name text")

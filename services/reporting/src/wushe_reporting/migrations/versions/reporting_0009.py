"""A grant round's state: open, closed early (`funds.round.closed`) or cancelled
(`funds.round.cancelled`). Rounds projected before these events existed are open.

Revision ID: reporting_0009
"""

from alembic import op

revision = "reporting_0009"
down_revision = "reporting_0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "ALTER TABLE rounds ADD COLUMN state text, ADD COLUMN version int NOT NULL DEFAULT 0"
    )
    op.execute("UPDATE rounds SET state = 'open'")

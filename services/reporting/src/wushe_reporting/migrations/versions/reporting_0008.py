"""What a completed grant gave back to its round (结余, `funds.round.released`): a round's
allocated budget is what its allocations hold less what they released.

Revision ID: reporting_0008
Revises: reporting_0006
"""

from alembic import op

revision = "reporting_0008"
down_revision = "reporting_0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE allocations ADD COLUMN released_fen bigint")

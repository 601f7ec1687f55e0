"""When a wish was done and the hours its claimant reported (`fulfilled_at`, `hours`), for the
social worker who confirms it, and so verifies those hours, to see them.

Revision ID: needs_0008
"""

from alembic import op

revision = "needs_0008"
down_revision = "needs_0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "ALTER TABLE wishes ADD COLUMN fulfilled_at timestamptz, ADD COLUMN hours double precision"
    )

"""Every version of a snapshot is kept: taken again (an office caught up), the new one is shown,
and the one a report quoted can still be read (by its `taken_at`).

Revision ID: reporting_0006
Revises: reporting_0005
"""

from alembic import op

revision = "reporting_0006"
down_revision = "reporting_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE snapshots DROP CONSTRAINT snapshots_pkey")
    op.execute("ALTER TABLE snapshots ADD PRIMARY KEY (as_of, taken_at)")

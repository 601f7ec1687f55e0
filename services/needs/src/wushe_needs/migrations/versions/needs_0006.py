"""The activities that serve needs: which needs each activity names, and whether it was
cancelled, from the volunteers service's events (`needs-claimants`).

Revision ID: needs_0006
"""

from alembic import op

revision = "needs_0006"
down_revision = "needs_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE activity_needs (
            activity_id uuid PRIMARY KEY,
            need_ids uuid[] NOT NULL DEFAULT '{}',
            cancelled boolean NOT NULL DEFAULT false)
    """)

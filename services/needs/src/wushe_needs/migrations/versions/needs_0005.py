"""The grants that name needs (微创投): which needs each application links, and whether it
was approved, from the funds service's events (`needs-grants`, read from the stream's start).

Revision ID: needs_0005
"""

from alembic import op

revision = "needs_0005"
down_revision = "needs_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE grant_needs (
            application_id uuid PRIMARY KEY,
            need_ids uuid[] NOT NULL DEFAULT '{}',
            approved boolean NOT NULL DEFAULT false)
    """)

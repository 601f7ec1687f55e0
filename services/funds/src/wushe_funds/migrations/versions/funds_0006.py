"""Reviewers' comments: free text kept in the funds database, never on the bus (DESIGN §3).

Revision ID: funds_0006
"""

from alembic import op

revision = "funds_0006"
down_revision = "funds_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE review_comments (
            application_id uuid NOT NULL, reviewer_id text NOT NULL, comments text NOT NULL,
            recorded_at timestamptz NOT NULL, PRIMARY KEY (application_id, reviewer_id))""")

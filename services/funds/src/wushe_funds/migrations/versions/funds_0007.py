"""A fund manager's note on a rejection: free text kept here, never on the bus (DESIGN §3);
the event carries a slug-like reason.

Revision ID: funds_0007
"""

from alembic import op

revision = "funds_0007"
down_revision = "funds_0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE rejection_notes (
            application_id uuid PRIMARY KEY, note text NOT NULL,
            recorded_at timestamptz NOT NULL)""")

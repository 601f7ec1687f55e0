"""A fund manager's note on closing a round early or cancelling it: free text kept here,
never on the bus (DESIGN §3) nor on the public disclosure; the events carry a code.

Revision ID: funds_0010
"""

from alembic import op

revision = "funds_0010"
down_revision = "funds_0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE round_notes (
            round_id uuid NOT NULL,
            kind text NOT NULL CHECK (kind IN ('closed', 'cancelled')),
            note text NOT NULL,
            recorded_at timestamptz NOT NULL,
            PRIMARY KEY (round_id, kind))""")

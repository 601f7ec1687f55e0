"""Refund notes: the free text a fund manager writes on a refund (录入错误，捐款属江滨社区基金),
kept in the funds database only — never on the bus, where a refund carries a reason code.

Revision ID: funds_0004
"""

from alembic import op

revision = "funds_0004"
down_revision = "funds_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE refund_notes (
            refund_id uuid PRIMARY KEY, fund_id uuid NOT NULL, note text NOT NULL)""")

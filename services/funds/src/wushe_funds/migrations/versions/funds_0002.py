"""Receipts claimed by expenses: one receipt backs one expense in the office.

Receipts claimed before are taken from the log, the first claim of each.

Revision ID: funds_0002
"""

from alembic import op

revision = "funds_0002"
down_revision = "funds_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE expense_receipts (
            receipt_sha256 text PRIMARY KEY, expense_id uuid NOT NULL UNIQUE,
            application_id uuid NOT NULL)""")
    op.execute("""
        INSERT INTO expense_receipts
        SELECT data->>'receipt_sha256', (data->>'expense_id')::uuid,
               (data->>'application_id')::uuid
        FROM events WHERE event_type = 'wushe.funds.expense.reported.v1'
        ORDER BY global_position
        ON CONFLICT DO NOTHING""")

"""Donation receipt numbers, one donation each in the office: a receipt book (捐赠票据) is
the organisation's, not a fund's.

Numbers recorded before are taken from the log, the first donation of each.

Revision ID: funds_0003
"""

from alembic import op

revision = "funds_0003"
down_revision = "funds_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE donation_receipts (
            receipt_number text PRIMARY KEY, fund_id uuid NOT NULL,
            donation_id uuid NOT NULL UNIQUE)""")
    op.execute("""
        INSERT INTO donation_receipts
        SELECT data->>'receipt_number', (data->>'fund_id')::uuid, (data->>'donation_id')::uuid
        FROM events
        WHERE event_type = 'wushe.funds.donation.received.v1'
          AND data->>'receipt_number' IS NOT NULL
        ORDER BY global_position
        ON CONFLICT DO NOTHING""")

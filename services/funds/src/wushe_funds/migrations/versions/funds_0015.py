"""A fund's ledger entries by what they record (`reference`: the donation, the disbursement):
a donation's acknowledgement finds its entry, and a refund its donor, without reading the
fund's whole ledger.

Revision ID: funds_0015
"""

from alembic import op

revision = "funds_0015"
down_revision = "funds_0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE INDEX ledger_by_reference ON ledger (fund_id, reference)")

"""Why a consent was withdrawn (`needs.consent.withdrawn` `reason`), to count withdrawals by
reason. Filled by the rebuild of projection version 10.

Revision ID: reporting_0011
"""

from alembic import op

revision = "reporting_0011"
down_revision = "reporting_0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE consents ADD COLUMN withdrawal_reason text")

"""When a tranche last changed (`disbursements.changed_at`): a first of two approvals and a
cancellation are news of a grant as much as a request or a payment. Filled by the rebuild of
projection version 13.

Revision ID: reporting_0014
"""

from alembic import op

revision = "reporting_0014"
down_revision = "reporting_0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE disbursements ADD COLUMN changed_at timestamptz")

"""The reads of personal data by when they were made, for an audit of a period (审计查询):
a BRIN index, as the log is appended in time order.

Revision ID: personal_data_0005
"""

from alembic import op

revision = "personal_data_0005"
down_revision = "personal_data_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "CREATE INDEX personal_data_reads_read_at ON personal_data_reads USING brin (read_at)"
    )

"""A duplicate record of a resident merged into the one kept: which one (`merged_into`), for
the kept record's case file to show the merged one's history.

Revision ID: needs_0007
"""

from alembic import op

revision = "needs_0007"
down_revision = "needs_0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE residents ADD COLUMN merged_into uuid")
    op.execute(
        "CREATE INDEX residents_merged_into ON residents (merged_into) "
        "WHERE merged_into IS NOT NULL"
    )

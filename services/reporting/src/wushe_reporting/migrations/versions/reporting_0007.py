"""Where a need or a wish is (its community) follows its resident's moves: counted apart from
its state, so that a move and a change of state may arrive in either order.

Revision ID: reporting_0007
Revises: reporting_0006
"""

from alembic import op

revision = "reporting_0007"
down_revision = "reporting_0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("needs", "wishes"):
        op.execute(f"ALTER TABLE {table} ADD COLUMN placed_version int NOT NULL DEFAULT 0")

"""Duplicate records of residents merged into the ones kept: which record each was merged into
(`residents.merged_into`), and whose each need and wish is (`resident_id`, which a merge's
transfer changes, counted apart: `resident_version`). Filled by the rebuild of projection
version 11.

Revision ID: reporting_0012
"""

from alembic import op

revision = "reporting_0012"
down_revision = "reporting_0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE residents ADD COLUMN merged_into uuid")
    for table in ("needs", "wishes"):
        op.execute(f"ALTER TABLE {table} ADD COLUMN resident_id uuid")
        op.execute(f"ALTER TABLE {table} ADD COLUMN resident_version int NOT NULL DEFAULT 0")

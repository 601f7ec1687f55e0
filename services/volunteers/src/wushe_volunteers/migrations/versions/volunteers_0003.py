"""Certificates keep the records they cover (null for those issued before: hashed only).

Revision ID: volunteers_0003
"""

from alembic import op

revision = "volunteers_0003"
down_revision = "volunteers_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE certificates ADD COLUMN records jsonb")

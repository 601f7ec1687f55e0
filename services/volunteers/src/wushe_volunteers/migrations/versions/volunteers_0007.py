"""Activities keep the needs of the needs list they serve (none before: the field is new).

Revision ID: volunteers_0007
"""

from alembic import op

revision = "volunteers_0007"
down_revision = "volunteers_0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE activities ADD COLUMN need_ids uuid[] NOT NULL DEFAULT '{}'")

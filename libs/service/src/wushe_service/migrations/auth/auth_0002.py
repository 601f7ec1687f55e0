"""A token may act for one person: the volunteer (or social worker) register entry it speaks for.

Revision ID: auth_0002
"""

from alembic import op

revision = "auth_0002"
down_revision = "auth_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE tokens ADD COLUMN person_id uuid")

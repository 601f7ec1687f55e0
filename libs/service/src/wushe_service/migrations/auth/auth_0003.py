"""A token may expire: after `expires_at` the services refuse it.

Revision ID: auth_0003
"""

from alembic import op

revision = "auth_0003"
down_revision = "auth_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE tokens ADD COLUMN expires_at timestamptz")

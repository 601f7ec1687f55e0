"""Who made and who revoked a token (the token id of the admin, through the accounts page or
API: NULL for the command line and every token before), so that the accounts list says it.

Revision ID: auth_0007
"""

from alembic import op

revision = "auth_0007"
down_revision = "auth_0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE tokens ADD COLUMN created_by uuid, ADD COLUMN revoked_by uuid")

"""When a token was last used (to within `auth.USED_EVERY`), for the accounts list: a token
nobody has used in months is one to revoke. NULL: not used since this column came.

Revision ID: auth_0008
"""

from alembic import op

revision = "auth_0008"
down_revision = "auth_0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE tokens ADD COLUMN last_used_at timestamptz")

"""A token may serve one street (街道/乡镇): a social worker of its social work station (社工站)
sees and acts on the residents of that street only. NULL, as every token before: the whole
office.

Revision ID: auth_0006
"""

from alembic import op

revision = "auth_0006"
down_revision = "auth_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE tokens ADD COLUMN street text")

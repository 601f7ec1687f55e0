"""What a request holding an Idempotency-Key may have appended: its causation id, and the
service's last event position when it took the key (wushe_service.idempotency), so that a key
whose request died can be settled.

Revision ID: auth_0005
"""

from alembic import op

revision = "auth_0005"
down_revision = "auth_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        ALTER TABLE idempotency_keys
            ADD COLUMN causation_id text,    -- the request's: its events carry it
            ADD COLUMN after_position bigint -- its events come after this global position
    """)

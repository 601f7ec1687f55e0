"""Bearer tokens, stored as SHA-256 hashes, with a role and an office.

Revision ID: auth_0001
"""

from alembic import op

revision = "auth_0001"
down_revision = None
branch_labels = ("auth",)
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE tokens (
            token_id uuid PRIMARY KEY,
            token_hash text NOT NULL UNIQUE,
            name text NOT NULL,
            role text NOT NULL,
            office text NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            revoked_at timestamptz
        )
    """)

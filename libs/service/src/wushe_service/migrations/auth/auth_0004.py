"""The Idempotency-Key of each token's creates (wushe_service.idempotency), kept 24 hours.

Revision ID: auth_0004
"""

from alembic import op

revision = "auth_0004"
down_revision = "auth_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE idempotency_keys (
            token_hash bytea NOT NULL,     -- SHA-256 of the token: never the token itself
            service text NOT NULL,
            key text NOT NULL,
            request_hash bytea NOT NULL,   -- HMAC of path, query and body, keyed by the token
            status int,                    -- NULL while the first request is under way
            content_type text,
            body bytea,                    -- the answer of a create (201): ids, no personal data
            created_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (token_hash, service, key)
        )
    """)
    op.execute("CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at)")

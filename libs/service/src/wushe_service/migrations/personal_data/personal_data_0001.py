"""Personal data sealed per person: a data key wrapped by the office key, and the ciphertext.

Revision ID: personal_data_0001
"""

from alembic import op

revision = "personal_data_0001"
down_revision = None
branch_labels = ("personal_data",)
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE personal_data (
            subject_id uuid PRIMARY KEY,
            wrapped_key bytea,            -- NULL once erased: the ciphertext is then noise
            nonce bytea NOT NULL,
            ciphertext bytea NOT NULL,
            sealed_at timestamptz NOT NULL DEFAULT now(),
            erased_at timestamptz,
            CHECK ((wrapped_key IS NULL) = (erased_at IS NOT NULL))
        )
    """)

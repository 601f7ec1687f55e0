"""Notes about a person (a visit's record, how a need was met): free text, sealed under the
person's own data key, so that erasing them shreds their notes too.

Revision ID: personal_data_0004
"""

from alembic import op

revision = "personal_data_0004"
down_revision = "personal_data_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE personal_data_notes (
            subject_id uuid NOT NULL,     -- whose personal data the note is
            about text NOT NULL,          -- what it is a note of: survey/<id>, need/<id>, …
            nonce bytea NOT NULL,
            ciphertext bytea NOT NULL,    -- AES-GCM under the person's data key
            sealed_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (subject_id, about)
        )
    """)

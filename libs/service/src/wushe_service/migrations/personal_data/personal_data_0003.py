"""A blind index of personal data, to find a person by name, ID number or phone without
decrypting everyone: keyed digests (HMAC-SHA256 under the office's search key, itself stored
wrapped by the office key). An ID number belongs to one person only.

Revision ID: personal_data_0003
"""

from alembic import op

revision = "personal_data_0003"
down_revision = "personal_data_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE personal_data_keys (
            purpose text PRIMARY KEY,     -- 'search': the key of the blind index
            wrapped_key bytea NOT NULL    -- wrapped by the office key, as the data keys are
        )
    """)
    op.execute("""
        CREATE TABLE personal_data_index (
            subject_id uuid NOT NULL,
            field text NOT NULL,          -- name, id_number, phone
            digest bytea NOT NULL,        -- HMAC-SHA256(search key, field, normalised value)
            PRIMARY KEY (subject_id, field)
        )
    """)
    op.execute("CREATE INDEX personal_data_index_lookup ON personal_data_index (field, digest)")
    op.execute(
        "CREATE UNIQUE INDEX personal_data_index_one_id_number"
        " ON personal_data_index (digest) WHERE field = 'id_number'"
    )

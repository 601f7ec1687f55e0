"""The read log: who was shown whose personal data, when and why (for auditors).

Revision ID: personal_data_0002
"""

from alembic import op

revision = "personal_data_0002"
down_revision = "personal_data_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE personal_data_reads (
            read_id bigserial PRIMARY KEY,
            subject_id uuid NOT NULL,     -- pseudonymous: the resident's or volunteer's id
            reader uuid NOT NULL,         -- the token the data was shown to
            purpose text NOT NULL,
            correlation_id text,
            read_at timestamptz NOT NULL DEFAULT now()
        )
    """)
    op.execute(
        "CREATE INDEX personal_data_reads_subject ON personal_data_reads (subject_id, read_id)"
    )
    op.execute("CREATE INDEX personal_data_reads_reader ON personal_data_reads (reader, read_id)")

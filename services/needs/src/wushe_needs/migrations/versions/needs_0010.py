"""The ID numbers of residents whose personal data was erased, kept as their keyed digests only
(the blind index's HMAC under the office's search key, never the number): the residents import
refuses a row of one of them rather than register again whom the office was asked to forget.

Revision ID: needs_0010
"""

from alembic import op

revision = "needs_0010"
down_revision = "needs_0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE erased_id_numbers (
            digest bytea PRIMARY KEY,
            erased_at timestamptz NOT NULL
        )""")

"""The sign-up form's hourly counts (志愿者报名, `join_limits`): per client — by a digest of its
address keyed with the office's search key and the hour, never the address — and for the whole
office, shared by every replica of the service. A row lives as long as its hour.

Revision ID: volunteers_0010
"""

from alembic import op

revision = "volunteers_0010"
down_revision = "volunteers_0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """CREATE TABLE join_attempts (
            window_start timestamptz NOT NULL, client bytea NOT NULL, count integer NOT NULL,
            PRIMARY KEY (window_start, client))"""
    )

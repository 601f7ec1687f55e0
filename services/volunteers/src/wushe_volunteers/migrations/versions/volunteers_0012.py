"""The sign-up form's limits count over any 60 minutes (`join_limits`), no longer per clock
hour: a row per form sent — the client's keyed digest and the time — in place of a count per
hour. The hour's counts at the upgrade are not carried over (a count says nothing of when its
forms came): for at most that hour, a client may send its limit's worth once more.

Revision ID: volunteers_0012
"""

from alembic import op

revision = "volunteers_0012"
down_revision = "volunteers_0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DROP TABLE join_attempts")
    op.execute("CREATE TABLE join_attempts (client bytea NOT NULL, sent_at timestamptz NOT NULL)")
    op.execute("CREATE INDEX join_attempts_by_client ON join_attempts (client, sent_at)")
    op.execute("CREATE INDEX join_attempts_by_time ON join_attempts (sent_at)")

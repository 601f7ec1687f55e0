"""Applications to become a volunteer (志愿者报名): the read table of their events, and the
pending ones' phone digests, which keep one pending application per phone number.

`application_phones` is not a read table: the submission writes a row in its transaction
(a blind-index digest of the phone, never the number), and the decision deletes it with the
application's data key — a digest left behind could confirm a guessed number.

Revision ID: volunteers_0009
"""

from alembic import op

revision = "volunteers_0009"
down_revision = "volunteers_0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """CREATE TABLE applications (
            application_id uuid PRIMARY KEY, community_id text NOT NULL,
            skills text[] NOT NULL, state text NOT NULL, submitted_at timestamptz NOT NULL,
            decided_at timestamptz, volunteer_id uuid, reason text)"""
    )
    op.execute("CREATE INDEX applications_by_state ON applications (state, submitted_at)")
    op.execute(
        """CREATE TABLE application_phones (
            application_id uuid PRIMARY KEY, digest bytea NOT NULL UNIQUE)"""
    )

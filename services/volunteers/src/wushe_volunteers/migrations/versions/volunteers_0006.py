"""Free-text notes of coordinators (why hours were declined or corrected, why an activity was
cancelled): kept here only, never in an event (events go on the bus); not a read table.

Revision ID: volunteers_0006
"""

from alembic import op

revision = "volunteers_0006"
down_revision = "volunteers_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """CREATE TABLE notes (
            note_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            subject_id uuid NOT NULL, kind text NOT NULL, volunteer_id uuid,
            note text NOT NULL, written_at timestamptz NOT NULL DEFAULT now())"""
    )
    op.execute("CREATE INDEX notes_by_subject ON notes (subject_id, note_id)")
    op.execute("CREATE INDEX notes_by_volunteer ON notes (volunteer_id)")

"""Sign-ups keep when they were made and the attendance recorded, for the organisers' roster
and the volunteer's own list; those made before are filled in from the events.

Revision ID: volunteers_0005
"""

from alembic import op

revision = "volunteers_0005"
down_revision = "volunteers_0004"
branch_labels = None
depends_on = ("event_store_0001",)  # the backfill reads the events


def upgrade() -> None:
    op.execute(
        """ALTER TABLE signups ADD COLUMN signed_up_at timestamptz,
           ADD COLUMN checked_in_at timestamptz, ADD COLUMN checked_out_at timestamptz,
           ADD COLUMN record_id uuid"""
    )
    op.execute(
        """UPDATE signups s SET signed_up_at = e.at
           FROM (SELECT data->>'activity_id' AS activity_id,
                        data->>'volunteer_id' AS volunteer_id, max(occurred_at) AS at
                 FROM events WHERE event_type = 'wushe.volunteers.signup.accepted.v1'
                 GROUP BY 1, 2) e
           WHERE s.activity_id::text = e.activity_id AND s.volunteer_id::text = e.volunteer_id"""
    )
    op.execute(
        """UPDATE signups s SET checked_in_at = (e.data->>'checked_in_at')::timestamptz,
                                checked_out_at = (e.data->>'checked_out_at')::timestamptz,
                                record_id = (e.data->>'record_id')::uuid
           FROM events e
           WHERE e.event_type = 'wushe.volunteers.attendance.recorded.v1'
             AND s.activity_id::text = e.data->>'activity_id'
             AND s.volunteer_id::text = e.data->>'volunteer_id'"""
    )

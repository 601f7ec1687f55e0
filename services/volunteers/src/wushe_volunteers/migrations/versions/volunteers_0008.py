"""The micro-wishes a social worker confirmed (the needs service's `wish.confirmed`, as this
service consumed it): until then a wish's pending hours await that confirmation, which verifies
them, even once corrected; after it they await a coordinator's review. Those confirmed before
are taken to be the wishes whose hours were ever verified (by the confirmation, or by a
coordinator, whose correction since is then reviewed by a coordinator, as it was shown before).

Revision ID: volunteers_0008
"""

from alembic import op

revision = "volunteers_0008"
down_revision = "volunteers_0007"
branch_labels = None
depends_on = ("event_store_0001",)  # the backfill reads the events


def upgrade() -> None:
    op.execute(
        """CREATE TABLE confirmed_wishes (
            wish_id uuid PRIMARY KEY, confirmed_at timestamptz NOT NULL)"""
    )
    op.execute(
        """INSERT INTO confirmed_wishes (wish_id, confirmed_at)
           SELECT (data->>'source_id')::uuid, min(occurred_at) FROM events
           WHERE event_type = 'wushe.volunteers.hours.verified.v1' AND data->>'source' = 'wish'
           GROUP BY 1"""
    )

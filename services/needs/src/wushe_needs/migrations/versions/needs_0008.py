"""When a wish was done and the hours its claimant reported (`fulfilled_at`, `hours`), for the
social worker who confirms it, and so verifies those hours, to see them.

Revision ID: needs_0008
"""

from alembic import op

revision = "needs_0008"
down_revision = "needs_0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "ALTER TABLE wishes ADD COLUMN fulfilled_at timestamptz, ADD COLUMN hours double precision"
    )
    # The wishes done before, from their latest `needs.wish.fulfilled`. The event store's
    # tables are migrated in the same run, in no set order: on a new database there are none
    # yet, and nothing to fill.
    op.execute("""
        DO $$ BEGIN
        IF to_regclass('events') IS NOT NULL THEN
            UPDATE wishes w SET fulfilled_at = f.occurred_at,
                                hours = (f.data->>'hours')::double precision
            FROM (SELECT DISTINCT ON (aggregate_id) aggregate_id, occurred_at, data
                  FROM events WHERE event_type = 'wushe.needs.wish.fulfilled.v1'
                  ORDER BY aggregate_id, version DESC) f
            WHERE f.aggregate_id = w.wish_id::text AND w.state IN ('fulfilled', 'confirmed');
        END IF;
        END $$""")

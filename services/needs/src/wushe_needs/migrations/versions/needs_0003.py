"""Residents to visit again (回访): whether a resident is still to be served (their consent to
services not withdrawn; surveys_by_resident finds their latest survey).

Revision ID: needs_0003
"""

from alembic import op

revision = "needs_0003"
down_revision = "needs_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE residents ADD COLUMN serving boolean NOT NULL DEFAULT true")
    # Consents withdrawn before this column: from the log, the latest services consent event.
    op.execute("""
        DO $$ BEGIN
          IF to_regclass('events') IS NOT NULL THEN
            UPDATE residents r SET serving = false
            FROM (SELECT DISTINCT ON (aggregate_id) aggregate_id, event_type FROM events
                  WHERE event_type IN ('wushe.needs.consent.granted.v1',
                                       'wushe.needs.consent.withdrawn.v1')
                    AND data->>'purpose' = 'services'
                  ORDER BY aggregate_id, global_position DESC) latest
            WHERE latest.event_type = 'wushe.needs.consent.withdrawn.v1'
              AND r.resident_id::text = latest.aggregate_id;
          END IF;
        END $$
    """)

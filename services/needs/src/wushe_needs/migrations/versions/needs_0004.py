"""A spot check's row shows whether it found a discrepancy (the survey it checked always did):
filled from the log for the spot checks recorded before.

Revision ID: needs_0004
"""

from alembic import op

revision = "needs_0004"
down_revision = "needs_0003"
branch_labels = None
depends_on = None

# Each spot check's own finding, from its `survey.verified` event (one per spot check).
BACKFILL = """
    DO $$ BEGIN
      IF to_regclass('events') IS NOT NULL THEN
        UPDATE surveys s SET discrepancy = found.discrepancy
        FROM (SELECT (data->>'spot_check_id')::uuid AS spot_check_id,
                     bool_or((data->>'discrepancy')::boolean) AS discrepancy
              FROM events WHERE event_type = 'wushe.needs.survey.verified.v1'
              GROUP BY 1) found
        WHERE s.survey_id = found.spot_check_id;
      END IF;
    END $$
"""


def upgrade() -> None:
    op.execute(BACKFILL)

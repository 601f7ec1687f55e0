"""Who made each survey (`surveyor_id`, the person their token names), listed with it: the
workbench's spot-check picker marks the signed-in social worker's own visits.

Revision ID: needs_0009
"""

from alembic import op

revision = "needs_0009"
down_revision = "needs_0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE surveys ADD COLUMN surveyor_id text")
    # The surveys recorded before, from their `needs.survey.recorded` (as needs_0008: on a new
    # database there are no events yet, and nothing to fill).
    op.execute("""
        DO $$ BEGIN
        IF to_regclass('events') IS NOT NULL THEN
            UPDATE surveys s SET surveyor_id = e.data->>'surveyor_id'
            FROM events e
            WHERE e.event_type = 'wushe.needs.survey.recorded.v1'
              AND e.aggregate_id = s.survey_id::text;
        END IF;
        END $$""")

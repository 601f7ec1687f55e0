"""Each application's round and team, so that a round's (or a team's) applications are found
by an index rather than by reading every event of the office: written by the `EventStore`
hook in the submission's transaction, filled here from the log.

Revision ID: funds_0009
"""

from alembic import op

revision = "funds_0009"
down_revision = "funds_0008"
branch_labels = None
depends_on = None

# The applications submitted before, each at its first submission (ordered, so that the
# first of a stream's submissions is the one kept).
FILL = """INSERT INTO applications
    SELECT aggregate_id::uuid, (data->>'round_id')::uuid, (data->>'team_id')::uuid,
           global_position
    FROM events WHERE event_type = 'wushe.funds.application.submitted.v1'
    ORDER BY global_position
    ON CONFLICT DO NOTHING"""


def upgrade() -> None:
    # `submitted_position`: the first submission's place in the log (a team applying again
    # after withdrawing continues the same stream), the order a round's list keeps.
    op.execute("""
        CREATE TABLE applications (
            application_id uuid PRIMARY KEY, round_id uuid NOT NULL, team_id uuid NOT NULL,
            submitted_position bigint NOT NULL)""")
    op.execute("CREATE INDEX applications_by_round ON applications (round_id, submitted_position)")
    op.execute("CREATE INDEX applications_by_team ON applications (team_id, submitted_position)")
    op.execute(FILL)

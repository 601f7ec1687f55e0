"""A grant round's community envelopes (`funds.round.opened` `community_budgets_fen`): each
community's part of the round's budget. Filled by the rebuild of projection version 12.

Revision ID: reporting_0013
"""

from alembic import op

revision = "reporting_0013"
down_revision = "reporting_0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """CREATE TABLE round_envelopes (
            office text, round_id uuid, community_id text, budget_fen bigint,
            PRIMARY KEY (office, round_id, community_id))"""
    )

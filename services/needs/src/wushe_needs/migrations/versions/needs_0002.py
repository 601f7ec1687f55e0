"""Indexes for the orders and look-ups added since: residents in registration order, and a
resident's or a claimant's wishes and needs (erasure, a volunteer leaving).

Revision ID: needs_0002
"""

from alembic import op

revision = "needs_0002"
down_revision = "needs_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DROP INDEX residents_by_community")
    op.execute(
        "CREATE INDEX residents_by_community"
        " ON residents (community_id, registered_at, resident_id)"
    )
    op.execute("CREATE INDEX residents_list ON residents (registered_at, resident_id)")
    op.execute(
        "CREATE INDEX wishes_by_resident ON wishes (resident_id) WHERE resident_id IS NOT NULL"
    )
    op.execute("CREATE INDEX wishes_by_claimant ON wishes (claimant_id) WHERE state = 'claimed'")
    op.execute("CREATE INDEX need_items_by_resident ON need_items (resident_id)")

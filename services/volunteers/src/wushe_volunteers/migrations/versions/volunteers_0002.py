"""Volunteers listed in registration order: the index follows.

Revision ID: volunteers_0002
"""

from alembic import op

revision = "volunteers_0002"
down_revision = "volunteers_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DROP INDEX volunteers_by_community")
    op.execute(
        "CREATE INDEX volunteers_by_community"
        " ON volunteers (community_id, registered_at, volunteer_id)"
    )
    op.execute("CREATE INDEX volunteers_list ON volunteers (registered_at, volunteer_id)")

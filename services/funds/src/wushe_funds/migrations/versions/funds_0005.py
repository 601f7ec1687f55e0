"""Team members' roles in the funds service's replica: only a team's own coordinators apply
for it. The replica is refilled by its consumer (renamed, so it replays the volunteers' events).

Revision ID: funds_0005
"""

from alembic import op

revision = "funds_0005"
down_revision = "funds_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE team_members ADD COLUMN role text NOT NULL DEFAULT 'member'")

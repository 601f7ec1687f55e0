"""When each granted project's disclosure last changed (`projects.updated_at`, its latest
event): the public projects list marks the projects under way with no update for three
months. The approval's time until the service refills the table when it starts (version 2
of the fold, `store.projects.PROJECTS_VERSION`).

Revision ID: funds_0014
"""

from alembic import op

revision = "funds_0014"
down_revision = "funds_0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE projects ADD COLUMN updated_at timestamptz")
    op.execute("UPDATE projects SET updated_at = approved_at")
    op.execute("ALTER TABLE projects ALTER COLUMN updated_at SET NOT NULL")

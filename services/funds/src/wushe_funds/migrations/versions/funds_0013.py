"""The versions of the read models the service fills from the log when it starts (the
granted projects, `store.projects.fill_projects`): a row says which version of the fold filled a
table, so that a release that changes the fold refills it once, and one that does not never
reads the log again. Empty here: the first start after the upgrade fills the projects.

Revision ID: funds_0013
"""

from alembic import op

revision = "funds_0013"
down_revision = "funds_0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE read_models (
            name text PRIMARY KEY,
            version integer NOT NULL,
            filled_at timestamptz NOT NULL)""")

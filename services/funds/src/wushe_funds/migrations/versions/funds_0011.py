"""The category of each need of the needs list, replicated from `needs.need.identified`: the
public projects list names the categories a project answers. The category only, by the need's
id: nothing about the resident.

Revision ID: funds_0011
"""

from alembic import op

revision = "funds_0011"
down_revision = "funds_0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE need_categories (
            need_id uuid PRIMARY KEY,
            category text NOT NULL)""")

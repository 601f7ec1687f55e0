"""Whose survey each survey was (the resident's pseudonymous id), to count residents due a visit.

Revision ID: reporting_0005
Revises: reporting_0004
"""

from alembic import op

revision = "reporting_0005"
down_revision = "reporting_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE surveys ADD COLUMN resident_id uuid")
    op.execute("CREATE INDEX surveys_by_resident ON surveys (office, resident_id, surveyed_at)")

"""A volunteer's certificates by volunteer, the latest first (`GET /volunteers/{id}/certificates`,
paged, and the latest one the workbench and 我的服务 show): without it each read scanned every
certificate the office ever issued.

Revision ID: volunteers_0011
"""

from alembic import op

revision = "volunteers_0011"
down_revision = "volunteers_0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "CREATE INDEX certificates_by_volunteer "
        "ON certificates (volunteer_id, issued_at DESC, certificate_id DESC)"
    )

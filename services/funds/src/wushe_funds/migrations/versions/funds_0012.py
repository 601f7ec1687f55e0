"""The granted projects of the public projects list (项目清单公示), one row per approved
application, so that the list reads rows rather than folding every event of every grant at
each request (anyone may ask, and that cost grew with the office's history). Written by the
`EventStore` hook in the transaction of each event of a granted application; filled from the
log for the grants before it by the service when it starts (`store.projects.fill_projects`, with the
fold the hook uses): a migration that imported the service's code would run today's code on
yesterday's tables when an office upgrades across several releases.

Revision ID: funds_0012
"""

from alembic import op

revision = "funds_0012"
down_revision = "funds_0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The list's page: a community's projects, the most recently approved first.
    op.execute("""
        CREATE TABLE projects (
            application_id uuid PRIMARY KEY,
            community_id text NOT NULL,
            round_id uuid NOT NULL,
            fund_id uuid NOT NULL,
            team_id uuid NOT NULL,
            title text NOT NULL,
            theme text,
            state text NOT NULL CHECK (state IN ('under_way', 'suspended', 'completed')),
            approved_at timestamptz NOT NULL,
            approved_fen bigint NOT NULL,
            disbursed_fen bigint NOT NULL,
            expenses_fen bigint NOT NULL,
            need_ids uuid[] NOT NULL,
            beneficiaries integer,
            activities integer,
            version integer NOT NULL)""")
    op.execute("CREATE INDEX projects_by_community ON projects (community_id, approved_at DESC)")

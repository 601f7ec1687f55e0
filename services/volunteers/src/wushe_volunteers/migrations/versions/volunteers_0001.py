"""The volunteers service's read tables, kept in step with its events.

Revision ID: volunteers_0001
"""

from alembic import op

revision = "volunteers_0001"
down_revision = None
branch_labels = ("volunteers",)
depends_on = None

TABLES = [
    """CREATE TABLE volunteers (
        volunteer_id uuid PRIMARY KEY, community_id text NOT NULL, skills text[] NOT NULL,
        certification text NOT NULL, display_name text, status text NOT NULL,
        registered_at timestamptz NOT NULL)""",
    "CREATE INDEX volunteers_by_community ON volunteers (community_id, volunteer_id)",
    """CREATE TABLE teams (
        team_id uuid PRIMARY KEY, kind text NOT NULL, name text NOT NULL,
        registered_at timestamptz NOT NULL)""",
    """CREATE TABLE team_members (
        team_id uuid NOT NULL, volunteer_id uuid NOT NULL, role text NOT NULL,
        PRIMARY KEY (team_id, volunteer_id))""",
    """CREATE TABLE pairings (
        pairing_id uuid PRIMARY KEY, university_team_id uuid NOT NULL,
        social_org_team_id uuid NOT NULL, community_id text NOT NULL,
        established_at timestamptz NOT NULL)""",
    """CREATE TABLE sites (
        site_id uuid PRIMARY KEY, kind text NOT NULL, name text NOT NULL,
        community_id text NOT NULL)""",
    """CREATE TABLE activities (
        activity_id uuid PRIMARY KEY, team_id uuid NOT NULL, site_id uuid,
        community_id text NOT NULL, title text NOT NULL, starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL, capacity int NOT NULL, signed_up int NOT NULL DEFAULT 0,
        state text NOT NULL, need_categories text[] NOT NULL)""",
    "CREATE INDEX activities_list ON activities (community_id, starts_at, activity_id)",
    """CREATE TABLE signups (
        activity_id uuid NOT NULL, volunteer_id uuid NOT NULL, starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL, state text NOT NULL,
        PRIMARY KEY (activity_id, volunteer_id))""",
    "CREATE INDEX signups_by_volunteer ON signups (volunteer_id, starts_at)",
    """CREATE TABLE hours (
        record_id uuid PRIMARY KEY, volunteer_id uuid NOT NULL, team_id uuid,
        source text NOT NULL, source_id uuid NOT NULL, hours numeric(7, 2) NOT NULL,
        state text NOT NULL, reason text, recorded_at timestamptz NOT NULL,
        verified_at timestamptz, verified_by uuid)""",
    "CREATE INDEX hours_by_volunteer ON hours (volunteer_id, recorded_at)",
    "CREATE INDEX hours_by_team ON hours (team_id, state, recorded_at)",
    """CREATE TABLE certificates (
        certificate_id uuid PRIMARY KEY, code text NOT NULL UNIQUE, number text NOT NULL,
        year int NOT NULL, volunteer_id uuid NOT NULL, hours numeric(9, 2) NOT NULL,
        digest text NOT NULL, issued_at timestamptz NOT NULL)""",
]


def upgrade() -> None:
    for statement in TABLES:
        op.execute(statement)

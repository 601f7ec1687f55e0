"""The reporting read models: one fact table per thing counted, per office.

Facts, not counters: every table holds one row per resident, survey, need, wish…, written
idempotently, and figures are counted from them when asked. The same history applied in any
interleaving of its streams, or twice, gives the same rows. A row's `version` is the
streamversion of the last event applied to it: an older event never overwrites a newer state.

Revision ID: reporting_0002
Revises: reporting_0001
"""

from alembic import op

revision = "reporting_0002"
down_revision = "reporting_0001"
branch_labels = None
depends_on = None

TABLES = [
    """CREATE TABLE offices (
        office text PRIMARY KEY, last_event_at timestamptz)""",
    """CREATE TABLE communities (
        office text, community_id text, name text, street text, version int NOT NULL DEFAULT 0,
        PRIMARY KEY (office, community_id))""",
    """CREATE TABLE residents (
        office text, resident_id uuid, community_id text, groups text[], age_band text,
        erased boolean NOT NULL DEFAULT false, registered_at timestamptz,
        version int NOT NULL DEFAULT 0, PRIMARY KEY (office, resident_id))""",
    """CREATE TABLE surveys (
        office text, survey_id uuid, community_id text, method text, surveyed_at timestamptz,
        physical int, psychological int, material int, spiritual int,
        discrepancy boolean, PRIMARY KEY (office, survey_id))""",
    """CREATE TABLE needs (
        office text, need_id uuid, community_id text, category text, dimension text,
        urgency text, state text, identified_at timestamptz, resolved_at timestamptz,
        version int NOT NULL DEFAULT 0, PRIMARY KEY (office, need_id))""",
    """CREATE TABLE wishes (
        office text, wish_id uuid, community_id text, category text, value_fen bigint,
        state text, posted_at timestamptz, first_claimed_at timestamptz,
        fulfilled_at timestamptz, version int NOT NULL DEFAULT 0,
        PRIMARY KEY (office, wish_id))""",
    """CREATE TABLE volunteers (
        office text, volunteer_id uuid, community_id text, certification text, status text,
        registered_at timestamptz, version int NOT NULL DEFAULT 0,
        PRIMARY KEY (office, volunteer_id))""",
    """CREATE TABLE teams (
        office text, team_id uuid, kind text, name text, PRIMARY KEY (office, team_id))""",
    """CREATE TABLE pairings (
        office text, pairing_id uuid, community_id text, established_at timestamptz,
        PRIMARY KEY (office, pairing_id))""",
    """CREATE TABLE sites (
        office text, site_id uuid, community_id text, kind text, PRIMARY KEY (office, site_id))""",
    """CREATE TABLE activities (
        office text, activity_id uuid, community_id text, team_id uuid, starts_at timestamptz,
        capacity int, state text, version int NOT NULL DEFAULT 0,
        PRIMARY KEY (office, activity_id))""",
    """CREATE TABLE signups (
        office text, activity_id uuid, volunteer_id uuid, state text,
        version int NOT NULL DEFAULT 0, PRIMARY KEY (office, activity_id, volunteer_id))""",
    """CREATE TABLE hours (
        office text, record_id uuid, volunteer_id uuid, source text, hours numeric(7, 2),
        state text, recorded_at timestamptz, verified_at timestamptz,
        version int NOT NULL DEFAULT 0, PRIMARY KEY (office, record_id))""",
    """CREATE TABLE funds (
        office text, fund_id uuid, community_id text, name text,
        PRIMARY KEY (office, fund_id))""",
    """CREATE TABLE fund_flows (
        office text, flow_id uuid, fund_id uuid, kind text, amount_fen bigint,
        happened_at timestamptz, PRIMARY KEY (office, flow_id))""",
    """CREATE TABLE rounds (
        office text, round_id uuid, fund_id uuid, budget_fen bigint, closes_at timestamptz,
        PRIMARY KEY (office, round_id))""",
    """CREATE TABLE grants (
        office text, application_id uuid, round_id uuid, community_id text,
        requested_fen bigint, approved_fen bigint, state text, submitted_at timestamptz,
        version int NOT NULL DEFAULT 0, PRIMARY KEY (office, application_id))""",
    # Which projection code built the tables: a newer one rebuilds them by replay at start.
    """CREATE TABLE projection_versions (name text PRIMARY KEY, version int NOT NULL)""",
]


def upgrade() -> None:
    for old in ("office_overview", "community_overview", "fund_communities"):
        op.execute(f"DROP TABLE IF EXISTS {old}")
    for statement in TABLES:
        op.execute(statement)

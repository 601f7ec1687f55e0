"""The needs service's read tables: lists and boards kept in step with its events.

Revision ID: needs_0001
"""

from alembic import op

revision = "needs_0001"
down_revision = None
branch_labels = ("needs",)
depends_on = None


def upgrade() -> None:
    op.execute("""
        CREATE TABLE communities (
            community_id text PRIMARY KEY,
            name text NOT NULL,
            street text NOT NULL,
            registered_at timestamptz NOT NULL
        )
    """)
    op.execute("""
        CREATE TABLE residents (
            resident_id uuid PRIMARY KEY,
            community_id text NOT NULL,
            groups text[] NOT NULL,
            age_band text NOT NULL,
            erased boolean NOT NULL DEFAULT false,
            registered_at timestamptz NOT NULL,
            assessment_survey_id uuid,
            assessment jsonb,
            assessed_at timestamptz
        )
    """)
    op.execute("CREATE INDEX residents_by_community ON residents (community_id, resident_id)")
    op.execute("""
        CREATE TABLE surveys (
            survey_id uuid PRIMARY KEY,
            resident_id uuid NOT NULL,
            community_id text NOT NULL,
            method text NOT NULL,
            surveyed_at timestamptz NOT NULL,
            verifies_survey_id uuid,
            discrepancy boolean
        )
    """)
    op.execute("CREATE INDEX surveys_by_resident ON surveys (resident_id, surveyed_at)")
    op.execute("""
        CREATE TABLE need_items (
            need_id uuid PRIMARY KEY,
            community_id text NOT NULL,
            resident_id uuid NOT NULL,
            survey_id uuid NOT NULL,
            category text NOT NULL,
            dimension text NOT NULL,
            urgency text NOT NULL,
            state text NOT NULL,
            identified_at timestamptz NOT NULL,
            match_kind text,
            match_id uuid,
            resolution text,
            reason text,
            resolved_at timestamptz
        )
    """)
    op.execute("""CREATE INDEX need_items_list
                  ON need_items (community_id, state, identified_at, need_id)""")
    op.execute("""
        CREATE TABLE wishes (
            wish_id uuid PRIMARY KEY,
            community_id text NOT NULL,
            resident_id uuid,
            need_id uuid,
            category text NOT NULL,
            title text NOT NULL,
            value_fen bigint NOT NULL,
            deadline timestamptz NOT NULL,
            state text NOT NULL,
            posted_at timestamptz NOT NULL,
            claimant_id uuid,
            claimant_kind text,
            claimant_display text,
            claimed_at timestamptz,
            last_activity_at timestamptz
        )
    """)
    op.execute("CREATE INDEX wishes_list ON wishes (community_id, state, posted_at, wish_id)")
    op.execute("CREATE INDEX wishes_due ON wishes (state, deadline)")
    # Volunteers and teams, as the volunteers service announces them (a replica: no calls).
    op.execute("""
        CREATE TABLE claimants (
            claimant_id uuid PRIMARY KEY,
            kind text NOT NULL,
            display text,
            active boolean NOT NULL,
            updated_at timestamptz NOT NULL
        )
    """)

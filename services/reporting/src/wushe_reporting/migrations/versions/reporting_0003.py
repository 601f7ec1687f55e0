"""Fact tables for the rest of the catalogue: reviews and recusals, tranches, expenses,
mid-term evaluations, round allocations, consent on record, attendance, certificates and team
memberships; and the last progress reported on a wish.

Same rules as reporting_0002: attributes fill a row once; a `version` column orders the state
of a row by the streamversion of the events of one stream (only that stream's events write it).
Facts that are events of their own (a review, an evaluation) are keyed by the event id.

Revision ID: reporting_0003
Revises: reporting_0002
"""

from alembic import op

revision = "reporting_0003"
down_revision = "reporting_0002"
branch_labels = None
depends_on = None

STATEMENTS = [
    """ALTER TABLE wishes ADD COLUMN last_progress_at timestamptz""",
    # One row per review or recusal; the reviewer is left out (a member of staff).
    """CREATE TABLE reviews (
        office text, review_id uuid, application_id uuid, kind text, score int,
        happened_at timestamptz, PRIMARY KEY (office, review_id))""",
    """CREATE TABLE disbursements (
        office text, disbursement_id uuid, application_id uuid, fund_id uuid, amount_fen bigint,
        tranche int, approvals_required int, state text, requested_at timestamptz,
        paid_at timestamptz, version int NOT NULL DEFAULT 0,
        PRIMARY KEY (office, disbursement_id))""",
    """CREATE TABLE expenses (
        office text, expense_id uuid, application_id uuid, amount_fen bigint, category text,
        reported_at timestamptz, PRIMARY KEY (office, expense_id))""",
    # One row per evaluation: whether a grant is suspended is its latest (streamversion) one.
    """CREATE TABLE evaluations (
        office text, evaluation_id uuid, application_id uuid, passed boolean,
        streamversion int, evaluated_at timestamptz, PRIMARY KEY (office, evaluation_id))""",
    """CREATE TABLE allocations (
        office text, round_id uuid, application_id uuid, amount_fen bigint,
        allocated_at timestamptz, PRIMARY KEY (office, round_id, application_id))""",
    # Whether a resident's consent for a purpose is on record; never who gave it by name.
    """CREATE TABLE consents (
        office text, resident_id uuid, purpose text, community_id text, given_by text,
        granted boolean, changed_at timestamptz, version int NOT NULL DEFAULT 0,
        PRIMARY KEY (office, resident_id, purpose))""",
    """CREATE TABLE attendance (
        office text, record_id uuid, activity_id uuid, volunteer_id uuid, community_id text,
        checked_in_at timestamptz, checked_out_at timestamptz, PRIMARY KEY (office, record_id))""",
    """CREATE TABLE certificates (
        office text, certificate_id uuid, year int, volunteer_id uuid, hours numeric(9, 2),
        issued_at timestamptz, PRIMARY KEY (office, certificate_id))""",
    """CREATE TABLE memberships (
        office text, team_id uuid, volunteer_id uuid, role text, member boolean,
        version int NOT NULL DEFAULT 0, PRIMARY KEY (office, team_id, volunteer_id))""",
]


def upgrade() -> None:
    for statement in STATEMENTS:
        op.execute(statement)

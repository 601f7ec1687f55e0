"""Donation receipt numbers claimed as people mean them: one claim a receipt however its
number was typed — in either case, spaces around it, full-width as half-width (NFKC) —
keyed by `receipt_key`, a column the database computes from the number as typed (as
`wushe_funds.domain.receipts.receipt_key` does for a fund's history).

Numbers that differ only so were each claimed before (`SJ-2026-001`, then `sj-2026-001`). The
first donation recorded keeps the claim, as funds_0003 kept the first donation of each number;
the others stay as they were recorded — in their fund's history, its ledger and on the bus,
with their number — and lose only the claim. Each is logged
(`donation_receipt_claim_released`, ids only) for the office to check whether one paper
receipt was recorded twice, and refund the duplicate if so; a retry of it is then a 409
naming the fund that keeps the claim, if it is another.

Revision ID: funds_0016
"""

import structlog
from alembic import op
from sqlalchemy import text

revision = "funds_0016"
down_revision = "funds_0015"
branch_labels = None
depends_on = None

log = structlog.get_logger()

# The numbers recorded have only ever been letters, digits and hyphens (the request's
# pattern, checked after `as_written`), on which `lower` is Python's `casefold`: the key agrees
# with the domain's. Computed by the database, a row written by hand (or by an older replica
# still running during the upgrade) is keyed as the service's are.
KEY = "lower(btrim(normalize(receipt_number, NFKC)))"

# The first donation of each key, by its place in the log, keeps the claim.
RELEASE = """
    WITH ranked AS (
        SELECT r.donation_id, r.fund_id,
               row_number() OVER claims AS place,
               first_value(r.donation_id) OVER claims AS kept_donation_id,
               first_value(r.fund_id) OVER claims AS kept_fund_id
        FROM donation_receipts r
        LEFT JOIN events e ON e.event_type = 'wushe.funds.donation.received.v1'
                          AND e.data->>'donation_id' = r.donation_id::text
        WINDOW claims AS (PARTITION BY r.receipt_key
                          ORDER BY e.global_position NULLS LAST, r.receipt_number))
    DELETE FROM donation_receipts d USING ranked
    WHERE d.donation_id = ranked.donation_id AND ranked.place > 1
    RETURNING d.donation_id, d.fund_id, ranked.kept_donation_id, ranked.kept_fund_id"""


def upgrade() -> None:
    op.execute(f"""ALTER TABLE donation_receipts
        ADD COLUMN receipt_key text GENERATED ALWAYS AS ({KEY}) STORED""")
    for released in op.get_bind().execute(text(RELEASE)).mappings():
        log.warning("donation_receipt_claim_released", **{k: str(v) for k, v in released.items()})
    # The number as typed stays unique (it follows from the key): a replica of the version
    # before, still running while this one starts, claims `ON CONFLICT (receipt_number)`.
    op.execute("""ALTER TABLE donation_receipts
        DROP CONSTRAINT donation_receipts_pkey,
        ALTER COLUMN receipt_number SET NOT NULL,
        ADD PRIMARY KEY (receipt_key),
        ADD UNIQUE (receipt_number)""")

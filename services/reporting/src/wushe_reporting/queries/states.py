"""States that depend on more than one event stream or on the clock, derived when asked.

A tranche is paid by an event of its fund's stream, not of its application's, an activity
is held once its start has passed and a round closed once its deadline has: none is a stored
state. The figures count
these expressions and the CSV exports show them, so that the two always agree.
"""

from __future__ import annotations


def disbursement_status(alias: str) -> str:
    """`paid`, `awaiting_approval` or `cancelled`."""
    return f"""(CASE WHEN {alias}.state = 'cancelled' THEN 'cancelled'
                     WHEN {alias}.paid_at IS NOT NULL THEN 'paid'
                     ELSE 'awaiting_approval' END)"""


def activity_state(alias: str, moment: str) -> str:
    """`held` (started by `moment`, a SQL value), `upcoming` or `cancelled`."""
    return f"""(CASE WHEN {alias}.state = 'cancelled' THEN 'cancelled'
                     WHEN {alias}.starts_at <= {moment} THEN 'held'
                     WHEN {alias}.state = 'scheduled' THEN 'upcoming' END)"""


def round_state(alias: str, moment: str) -> str:
    """A grant round's state at `moment` (a SQL value): `open` until its deadline, unless
    closed early (`closed`) or `cancelled`; `closed` once its deadline has passed."""
    return f"""(CASE WHEN {alias}.state = 'open' AND {alias}.closes_at <= {moment} THEN 'closed'
                     ELSE {alias}.state END)"""


def exported(table: str) -> dict[str, str]:
    """The columns of `table` an export shows derived (as they stand now), as SQL."""
    if table == "disbursements":
        return {"state": disbursement_status(table)}
    if table == "activities":
        return {"state": activity_state(table, "now()")}
    if table == "rounds":
        return {"state": round_state(table, "now()")}
    return {}

"""Reads of the funds service: the public ledger and its verification, disclosures, views.

Each takes one connection: an endpoint never holds two pooled connections at once.
"""

from __future__ import annotations

import asyncio
import csv
import io
from collections import OrderedDict
from datetime import UTC, datetime, tzinfo
from typing import Any
from uuid import UUID

import asyncpg
import orjson

from wushe_events.aggregate import fold
from wushe_events.catalogue import Event, decode
from wushe_events.catalogue.funds import (
    ApplicationSubmitted,
    DonationReceived,
    DonationRefunded,
    ExpenseReported,
    FundOpened,
    GrantDisbursed,
    RoundAllocated,
    RoundOpened,
)
from wushe_events.errors import NotFound
from wushe_funds import ledger_alarms, purposes, store
from wushe_funds.domain import application as app
from wushe_funds.domain import ledger
from wushe_funds.domain import round as rounds
from wushe_funds.domain.project import project_of
from wushe_service import auth, communities, paging, spreadsheet
from wushe_service.money import yuan
from wushe_service.sql import one, snapshot

Recorded = tuple[Event, UUID, datetime]


_STREAM = """SELECT event_id, event_type, data::text AS data, occurred_at FROM events
    WHERE aggregate = $1 AND aggregate_id = $2 ORDER BY version"""


def decoded(rows: list[asyncpg.Record]) -> list[Recorded]:
    return [
        (decode(r["event_type"], orjson.loads(r["data"])), r["event_id"], r["occurred_at"])
        for r in rows
    ]


async def stream(db: asyncpg.Connection, aggregate: str, aggregate_id: UUID) -> list[Recorded]:
    return decoded(await db.fetch(_STREAM, aggregate, str(aggregate_id)))


async def fund_opened(db: asyncpg.Connection, fund_id: UUID) -> FundOpened:
    """The event that opened a fund: its name and community, which nothing changes after."""
    row = await db.fetchrow(
        """SELECT event_type, data::text AS data FROM events
           WHERE aggregate = 'fund' AND aggregate_id = $1 AND version = 1""",
        str(fund_id),
    )
    if row is None:
        raise NotFound("fund", fund_id)
    opened = decode(row["event_type"], orjson.loads(row["data"]))
    assert isinstance(opened, FundOpened)
    return opened


async def opened_names(
    db: asyncpg.Connection, aggregate: str, ids: set[UUID]
) -> dict[UUID, str | None]:
    """The names rounds (or funds) opened with, which nothing changes after: their first
    events, read at once, rather than a fold of each stream."""
    rows = await db.fetch(
        """SELECT aggregate_id, event_type, data::text AS data FROM events
           WHERE aggregate = $1 AND aggregate_id = ANY($2::text[]) AND version = 1""",
        aggregate,
        [str(i) for i in ids],
    )
    names: dict[UUID, str | None] = {}
    for row in rows:
        opened = decode(row["event_type"], orjson.loads(row["data"]))
        assert isinstance(opened, RoundOpened | FundOpened)
        names[UUID(row["aggregate_id"])] = opened.name
    return names


def entry_view(row: asyncpg.Record) -> dict[str, Any]:
    """A ledger row as published: as stored, even when tampered with (verify says so)."""
    return {
        "sequence": row["sequence"],
        "occurred_at": row["occurred_at"],
        "kind": row["kind"],
        "direction": "in" if row["kind"] in ledger.INFLOWS else "out",
        "amount_fen": row["amount_fen"],
        "amount_yuan": yuan(row["amount_fen"]),
        "balance_fen": row["balance_fen"],
        "balance_yuan": yuan(row["balance_fen"]),
        "purpose": row["purpose"],
        "counterpart": row["counterpart"],
        "reference": row["reference"],
        "event_id": row["event_id"],
        "prev_hash": row["prev_hash"],
        "hash": row["hash"],
    }


async def community_of(db: asyncpg.Connection, community_id: str | None) -> dict[str, Any]:
    """A community's public name and street, as the needs service registered them (None for
    an office-wide fund, or one whose community this service has not heard of)."""
    names = await communities.names(db, {community_id} if community_id else set())
    known = names.get(community_id or "", {})
    return {"community_name": known.get("name"), "community_street": known.get("street")}


async def public_ledger(db: asyncpg.Connection, fund_id: UUID) -> dict[str, Any]:
    opened = await fund_opened(db, fund_id)
    rows = await store.ledger_rows(db, fund_id)
    community = await community_of(db, opened.community_id)
    # A fund's whole history is public and unauthenticated: build it off the event loop.
    return await asyncio.to_thread(_ledger_view, opened, community, rows)


def _ledger_view(
    opened: FundOpened, community: dict[str, Any], rows: list[asyncpg.Record]
) -> dict[str, Any]:
    return {
        "fund_id": opened.fund_id,
        "name": opened.name,
        "community_id": opened.community_id,
        **community,
        "balance_fen": rows[-1]["balance_fen"] if rows else 0,
        "balance_yuan": yuan(rows[-1]["balance_fen"] if rows else 0),
        "head_hash": rows[-1]["hash"] if rows else ledger.GENESIS,
        "entries": [entry_view(row) for row in rows],
    }


# The CSV's columns and, for the people who open it (a community's accountant, in Excel),
# their headings; `?header=keys` gives the column names instead, for scripts.
CSV_HEADINGS = {
    "sequence": "序号",
    "occurred_at": "时间",  # and the office's time zone (`ledger_csv`)
    "kind": "类别",
    "direction": "收支",
    "amount_fen": "金额（分）",
    "amount_yuan": "金额（元）",
    "balance_fen": "余额（分）",
    "balance_yuan": "余额（元）",
    "purpose": "用途",
    "counterpart": "对方",
    "reference": "关联编号",
    "event_id": "事件编号",
    "prev_hash": "前一条哈希",
    "hash": "哈希",
}
CSV_COLUMNS = list(CSV_HEADINGS)


DIRECTIONS = {"in": "收入", "out": "支出"}


def ledger_csv(view: dict[str, Any], zone: tzinfo | None = None) -> str:
    """With the office's `zone`, for people: headed in Chinese, each entry worded as the ledger
    page words it, at the office's time. Without, for scripts: the column names and each
    entry's stored values, times in UTC: what its hash covers."""
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_COLUMNS, lineterminator="\r\n")
    if zone is None:
        writer.writerow({c: c for c in CSV_COLUMNS})
    else:
        writer.writerow({**CSV_HEADINGS, "occurred_at": f"时间（{purposes.zone(zone)}）"})
    for entry in view["entries"]:
        if zone is None:
            shown = {**entry, "occurred_at": entry["occurred_at"].isoformat()}
        else:
            shown = _worded(entry, zone)
        writer.writerow({k: spreadsheet.cell(v) for k, v in shown.items()})
    # A BOM, so that Excel (what a community's accountant opens it with) reads UTF-8.
    return "\ufeff" + out.getvalue()


def _worded(entry: dict[str, Any], zone: tzinfo) -> dict[str, Any]:
    return {
        **entry,
        "occurred_at": f"{entry['occurred_at'].astimezone(zone):%Y-%m-%d %H:%M:%S}",
        "kind": purposes.kind(entry["kind"]),
        "direction": DIRECTIONS[entry["direction"]],
        "purpose": purposes.purpose(entry["purpose"]),
        "counterpart": purposes.counterpart(entry["counterpart"]),
    }


async def verify_ledger(db: asyncpg.Connection, fund_id: UUID) -> dict[str, Any]:
    """Recompute the chain from the stored entries and compare each with the fund's events."""
    async with snapshot(db):
        return await _verify(db, fund_id)


async def verification(
    db: asyncpg.Connection, fund_id: UUID
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A ledger's verification and the fund it is of, by name and community (the page)."""
    async with snapshot(db):
        opened = await fund_opened(db, fund_id)
        community = await community_of(db, opened.community_id)
        check = await _verify(db, fund_id)
    fund = {"fund_id": fund_id, "name": opened.name, "community_id": opened.community_id}
    return {**fund, **community}, check


async def ledger_and_check(
    db: asyncpg.Connection, fund_id: UUID
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The public ledger and its verification, as they stood at one moment (the page)."""
    async with snapshot(db):
        view, check = await public_ledger(db, fund_id), await _verify(db, fund_id)
        figures = await fund_figures(db, fund_id)
        links = await _references(db, fund_id)
    # The figures from the fund's events: a forged ledger's running balance is not shown as
    # the fund's balance.
    return {
        **view,
        **figures,
        "balance_yuan": yuan(figures["balance_fen"]),
        "references": links,
    }, check


async def _references(db: asyncpg.Connection, fund_id: UUID) -> dict[str, dict[str, str]]:
    """What a refund or disbursement entry refers to, by the entry's reference: the donation
    refunded, the grant paid (its disclosure). From the fund's events."""
    rows = await db.fetch(
        """SELECT coalesce(data->>'refund_id', data->>'disbursement_id') AS reference,
                  data->>'donation_id' AS donation_id, data->>'application_id' AS application_id
           FROM events WHERE aggregate = 'fund' AND aggregate_id = $1
             AND event_type = ANY($2::text[])""",
        str(fund_id),
        [DonationRefunded.type, GrantDisbursed.type],
    )
    return {r["reference"]: {k: v for k, v in r.items() if v and k != "reference"} for r in rows}


async def fund_figures(db: asyncpg.Connection, fund_id: UUID) -> dict[str, int]:
    """Raised, refunded, disbursed and the balance, from the fund's events."""
    row = await db.fetchrow(
        f"{_FUNDS} WHERE event_type = $1 AND aggregate_id = $2", FundOpened.type, str(fund_id)
    )
    if row is None:
        raise NotFound("fund", fund_id)
    item = _fund_item(dict(row), {"valid": None, "first_broken": None})
    return {k: item[k] for k in ("balance_fen", "raised_fen", "refunded_fen", "disbursed_fen")}


# The key of a verification: the fund's fingerprint (`store.LEDGER_DIGEST`).
_FINGERPRINT = f"""SELECT
    (SELECT max(version) FROM events WHERE aggregate = 'fund' AND aggregate_id = $1) AS version,
    (SELECT {store.LEDGER_DIGEST} FROM ledger l WHERE l.fund_id = $2) AS digest"""
_VERIFIED: OrderedDict[tuple[UUID, int, str], dict[str, Any]] = OrderedDict()
_VERIFIED_KEPT = 256


async def verify_ledger_state(
    db: asyncpg.Connection, fund_id: UUID
) -> tuple[store.Fingerprint, dict[str, Any]]:
    """As `verify_ledger`, with the fingerprint of the ledger state that was verified."""
    async with snapshot(db):
        return await _verified(db, fund_id)


async def _verify(db: asyncpg.Connection, fund_id: UUID) -> dict[str, Any]:
    return (await _verified(db, fund_id))[1]


async def _verified(
    db: asyncpg.Connection, fund_id: UUID
) -> tuple[store.Fingerprint, dict[str, Any]]:
    """In the caller's snapshot. A public endpoint re-hashing a whole history per request is
    CPU anyone can spend: the report is kept per fingerprint and computed off the event loop."""
    version, digest = await db.fetchrow(_FINGERPRINT, str(fund_id), fund_id)
    if version is None:
        raise NotFound("fund", fund_id)
    key = (fund_id, version, digest)
    if key in _VERIFIED:
        _VERIFIED.move_to_end(key)
    elif key not in _HASHING:
        history = await db.fetch(_STREAM, "fund", str(fund_id))
        rows = await store.ledger_rows(db, fund_id)
        if key not in _VERIFIED and key not in _HASHING:  # still, after those awaits
            _hash(key, history, rows)
    report = _VERIFIED[key] if key in _VERIFIED else await asyncio.shield(_HASHING[key])
    ledger_alarms.observed(report)
    return (version, digest), dict(report)


_HASHING: dict[tuple[UUID, int, str], asyncio.Future[dict[str, Any]]] = {}


def _hash(
    key: tuple[UUID, int, str], history: list[asyncpg.Record], rows: list[asyncpg.Record]
) -> None:
    """One hashing per ledger state at a time, in a thread: requests arriving together, or a
    request and the background sweep (`ledger_watch`), wait for the same one rather than each
    hashing the whole history again (awaited shielded: a caller that goes away cancels nobody
    else's). Its report is kept before any of them resumes, so a later caller finds it."""
    hashing = _HASHING[key] = asyncio.ensure_future(
        asyncio.to_thread(_check, key[0], history, rows)
    )

    def keep(_: object) -> None:
        del _HASHING[key]
        if not hashing.cancelled() and hashing.exception() is None:
            _VERIFIED[key] = hashing.result()
            ledger_alarms.computed(_VERIFIED[key])
            while len(_VERIFIED) > _VERIFIED_KEPT:
                _VERIFIED.popitem(last=False)

    hashing.add_done_callback(keep)


def _check(
    fund_id: UUID, history: list[asyncpg.Record], rows: list[asyncpg.Record]
) -> dict[str, Any]:
    stored = [store.entry_or_unreadable(row) for row in rows]
    broken = ledger.verify(stored, ledger.from_events(fund_id, decoded(history)))
    return {
        "fund_id": fund_id,
        "entries": len(rows),
        "valid": broken is None,
        "first_broken": None
        if broken is None
        else {"sequence": broken.sequence, "reason": broken.reason},
        "head_hash": rows[-1]["hash"] if rows else ledger.GENESIS,
    }


def application_view(state: app.Application, *, running_mean: bool = False) -> dict[str, Any]:
    """`running_mean`: the mean score while the application is still under review (eligible),
    which only the fund's staff see: a reviewer scores without it, and the team and the public
    learn it with the decision."""
    under_review = state.state is app.State.eligible
    return {
        "application_id": state.application_id,
        "round_id": state.round_id,
        "team_id": state.team_id,
        "community_id": state.community_id,
        "title": state.title,
        "state": state.state.value,
        "ineligible_because": list(state.reasons),
        "rejected_because": state.rejected_because,
        "requested_fen": state.requested_fen,
        "approved_fen": state.approved_fen,
        "disbursed_fen": state.disbursed_fen,
        "expenses_fen": state.expenses_fen,
        "reviews": len(state.reviews),
        "mean_score": None if under_review and not running_mean else state.mean_score,
        "tranches_released": state.tranches_released,
        "suspended": state.suspended,
        "disbursements": [
            {
                "disbursement_id": d.disbursement_id,
                "tranche": d.tranche,
                "amount_fen": d.amount_fen,
                "approvals_required": d.approvals_required,
                "approvals": len(d.approvals),
                "paid": d.paid,
            }
            for d in state.disbursements
        ],
    }


def project_view(state: app.Application, team_name: str | None) -> dict[str, Any]:
    """What the team proposed: for those who judge it and for the team itself."""
    return {
        "team_name": team_name,
        "summary": state.summary,
        "theme": state.theme,
        "budget_lines": [line.model_dump() for line in state.budget_lines],
        "need_ids": list(state.need_ids),
    }


def reviews_view(
    state: app.Application, comments: dict[str, str], names: dict[str, str]
) -> dict[str, Any]:
    """Each reviewer's scores, mean and comments, and the recusals, with the reviewer's name
    where a token of theirs gives one (`names`): for staff only."""
    return {
        "reviewers": [
            {
                "reviewer_id": reviewer,
                "reviewer_name": names.get(reviewer),
                "scores": dict(state.scores.get(reviewer, {})),
                "score": score,  # the event's, rounded to a whole point
                "mean_score": state.review_mean(reviewer),
                "comments": comments.get(reviewer),
            }
            for reviewer, score in state.reviews.items()
        ],
        "recusals": [
            {"reviewer_id": r, "reviewer_name": names.get(r), "reason": why}
            for r, why in state.recusals.items()
        ],
    }


async def application(
    db: asyncpg.Connection,
    application_id: UUID,
    *,
    office: str | None = None,
    staff: bool = False,
    person: UUID | None = None,
    reviewer: bool = False,
    running_mean: bool | None = None,
) -> dict[str, Any]:
    """`staff` see the project and its reviews — a `reviewer` their own review and recusal
    only, so that each scores on their own (独立评审); a coordinator of the applying team
    (`person`) sees the project; anyone else, its title and amounts. The mean score of an
    application still under review is fund staff's only (`running_mean`). The reviewers are
    named as the tokens of the `office` name them."""
    state = fold(app.evolve, (e for e, _, _ in await stream(db, "application", application_id)))
    state = app.found(state, application_id)
    if running_mean is None:
        running_mean = staff and not reviewer
    view = application_view(state, running_mean=running_mean)
    if staff or (person is not None and await store.is_coordinator(db, state.team_id, person)):
        view |= project_view(state, await store.team_name(db, state.team_id))
    if staff:
        people = {*state.reviews, *state.recusals}
        names = await auth.names_of_people(db, office, people) if office else {}
        reviews = reviews_view(state, await store.comments_of(db, application_id), names)
        if reviewer:
            reviews = {
                key: [r for r in listed if str(r["reviewer_id"]) == str(person)]
                for key, listed in reviews.items()
            }
        view |= reviews
        view["rejection_note"] = await store.rejection_note(db, application_id)
    return view


async def applications_of_round(
    db: asyncpg.Connection,
    round_id: UUID,
    *,
    state: app.State | None,
    limit: int,
    cursor: str | None,
    running_mean: bool = False,
) -> paging.Page[dict[str, Any]]:
    """The round's applications in the order they were first submitted."""
    after = paging.decode(cursor, int)
    found = await store.round_applications_after(db, round_id, after[0] if after else 0)
    return await _applications_page(db, found, state, limit, running_mean)


async def applications_of_team(
    db: asyncpg.Connection,
    team_id: UUID,
    *,
    state: app.State | None,
    limit: int,
    cursor: str | None,
    running_mean: bool = False,
) -> paging.Page[dict[str, Any]]:
    """The team's applications, to every round, in the order they were first submitted."""
    after = paging.decode(cursor, int)
    found = await store.team_applications_after(db, team_id, after[0] if after else 0)
    if not found and cursor is None and await store.team_name(db, team_id) is None:
        raise NotFound("team", team_id)
    return await _applications_page(db, found, state, limit, running_mean)


async def _applications_page(
    db: asyncpg.Connection,
    found: list[asyncpg.Record],
    state: app.State | None,
    limit: int,
    running_mean: bool,
) -> paging.Page[dict[str, Any]]:
    """A state is a fold, not a column: the applications (found by the index of their round
    or team) are folded and filtered here, and a page ends once `limit` of them match."""
    items: list[dict[str, Any]] = []
    last = 0  # the position of the last item taken
    for row in found:
        view = await application(db, row["application_id"], running_mean=running_mean)
        if state is not None and view["state"] != state.value:
            continue
        if len(items) == limit:
            return paging.Page(items=items, next_cursor=paging.encode((last,)))
        items.append(view)
        last = row["submitted_position"]
    return paging.Page(items=items)


async def round_view(db: asyncpg.Connection, round_id: UUID) -> dict[str, Any]:
    state = rounds.found(
        fold(rounds.evolve, (e for e, _, _ in await stream(db, "round", round_id))), round_id
    )
    names = await communities.names(db, set(state.community_budgets_fen))
    return {
        "round_id": round_id,
        "fund_id": state.fund_id,
        "name": state.name,
        "budget_fen": state.budget_fen,
        "allocated_fen": state.allocated_fen,
        "per_project_cap_fen": state.per_project_cap_fen,
        "themes": list(state.themes),
        "criteria": list(state.criteria),
        "closes_at": state.closes_at,
        # open, closed (its deadline passed, or closed early) or cancelled
        "state": state.state(datetime.now(UTC)),
        "closed_early_because": state.closed_because,
        "cancelled_because": state.cancelled_because,
        # Its envelopes, by community name: empty for a round with one budget for all.
        "communities": [
            {
                "community_id": community_id,
                **names.get(community_id, {"name": None, "street": None}),
                "budget_fen": budget,
                "allocated_fen": state.community_allocated_fen.get(community_id, 0),
                "left_fen": state.community_left_fen(community_id),
            }
            for community_id, budget in sorted(state.community_budgets_fen.items())
        ],
    }


async def round_for_staff(db: asyncpg.Connection, round_id: UUID) -> dict[str, Any]:
    """The round as `round_view` shows it, with the managers' notes on closing or cancelling
    it (never in the public disclosure, which builds on `round_view`)."""
    view = await round_view(db, round_id)
    notes = await store.round_notes(db, round_id)
    return {
        **view,
        "closing_note": notes.get("closed"),
        "cancellation_note": notes.get("cancelled"),
    }


async def disclosure(db: asyncpg.Connection, application_id: UUID) -> dict[str, Any]:
    """One grant as the national charity disclosure platform asks for it: purpose, how it
    was selected, amounts, expenses and outcomes. Nothing personal: teams by public name."""
    history = await stream(db, "application", application_id)
    state = app.found(fold(app.evolve, (e for e, _, _ in history)), application_id)
    # The latest submission: a team may have withdrawn and applied again.
    submitted = [e for e, _, _ in history if isinstance(e, ApplicationSubmitted)][-1]
    grant = project_of((e, at) for e, _, at in history)
    if grant is None:  # only grants are disclosed, not applications under review
        raise NotFound("approved grant", application_id)
    expenses = [(e, at) for e, _, at in history if isinstance(e, ExpenseReported)]
    return {
        "application_id": application_id,
        "round_id": state.round_id,
        "fund_id": (fund_id := await db.fetchval(store.ROUND_FUND, str(state.round_id))),
        "fund_name": (await opened_names(db, "fund", {fund_id})).get(fund_id),
        "project": submitted.title,
        "purpose": submitted.summary,
        "theme": submitted.theme,
        "community_id": state.community_id,
        **await community_of(db, state.community_id),
        "grantee": await store.team_name(db, state.team_id),
        "state": state.state.value,
        # As the projects list says it: under_way, suspended (a mid-term evaluation failed)
        # or completed.
        "project_state": grant.state.value,
        "selection": {
            "method": "micro-venture round: eligibility check, scored review, decision",
            "reviews": len(state.reviews),
            "mean_score": state.mean_score,
            "decided_at": grant.approved_at,
        },
        "amounts": {
            "requested_fen": state.requested_fen,
            "approved_fen": state.approved_fen,
            "disbursed_fen": state.disbursed_fen,
            "tranches": sum(1 for d in state.disbursements if d.paid),
        },
        "budget_lines": [line.model_dump() for line in submitted.budget_lines],
        "expenses": [
            {
                "category": e.category,
                "amount_fen": e.amount_fen,
                "receipt_sha256": e.receipt_sha256,
                "reported_at": at,
            }
            for e, at in expenses
        ],
        "expenses_fen": state.expenses_fen,
        "outcomes": grant.outcomes,
        # Its latest change, and whether three months passed since while it runs.
        "updated_at": grant.updated_at,
        "update_due": grant.update_due(datetime.now(UTC)),
    }


async def round_disclosure(db: asyncpg.Connection, round_id: UUID) -> dict[str, Any]:
    history = await stream(db, "round", round_id)
    view = await round_view(db, round_id)
    grants = [e.application_id for e, _, _ in history if isinstance(e, RoundAllocated)]
    return {
        **view,
        "fund_name": (await opened_names(db, "fund", {view["fund_id"]})).get(view["fund_id"]),
        "grants": [await disclosure(db, grant) for grant in grants],
    }


# The office's lists read from its own event log: in the order things were opened.
_BY_OCCURRENCE = {"occurred_at": datetime, "aggregate_id": str}


def _fund_total(event_type: str) -> str:
    return f"""coalesce((SELECT sum((m.data->>'amount_fen')::bigint)::bigint FROM events m
        WHERE m.aggregate = 'fund' AND m.aggregate_id = events.aggregate_id
          AND m.event_type = '{event_type}'), 0)"""


# A fund's figures from its (append-only) events, not from its ledger rows: a forged ledger
# must not lend the list its figures.
_FUNDS = f"""SELECT aggregate_id, data->>'name' AS name, data->>'community_id' AS community_id,
        occurred_at, {_fund_total(DonationReceived.type)} AS raised_fen,
        {_fund_total(DonationRefunded.type)} AS refunded_fen,
        {_fund_total(GrantDisbursed.type)} AS disbursed_fen
    FROM events"""


async def funds_list(
    db: asyncpg.Connection, *, community_id: str | None, limit: int, cursor: str | None
) -> paging.Page[dict[str, Any]]:
    """The office's funds, oldest first, with their figures and whether their ledgers verify
    (each ledger state is verified once: `_verify` keeps its report)."""
    async with snapshot(db):
        page = await paging.fetch_page(
            db,
            _FUNDS,
            [
                ("event_type = ?", (FundOpened.type,)),
                ("data->>'community_id' = ?", one(community_id)),
            ],
            _BY_OCCURRENCE,
            limit,
            cursor,
        )
        checks = [await _verify(db, UUID(r["aggregate_id"])) for r in page.items]
        names = await communities.names(
            db, {r["community_id"] for r in page.items if r["community_id"]}
        )
        rounds = await _rounds_of(db, [r["aggregate_id"] for r in page.items])
    items = [
        _fund_item(r, check, names.get(r["community_id"]))
        | {"rounds": rounds.get(r["aggregate_id"], [])}
        for r, check in zip(page.items, checks, strict=True)
    ]
    return paging.Page(items=items, next_cursor=page.next_cursor)


async def _rounds_of(db: asyncpg.Connection, fund_ids: list[str]) -> dict[str, list[dict]]:
    """Each fund's grant rounds, oldest first: their names and disclosures."""
    rows = await db.fetch(
        """SELECT aggregate_id, data->>'fund_id' AS fund_id, data->>'name' AS name FROM events
           WHERE event_type = $1 AND data->>'fund_id' = ANY($2::text[])
           ORDER BY global_position""",
        RoundOpened.type,
        fund_ids,
    )
    rounds: dict[str, list[dict]] = {}
    for r in rows:
        rounds.setdefault(r["fund_id"], []).append(
            {
                "round_id": UUID(r["aggregate_id"]),
                "name": r["name"],
                "disclosure_url": f"/public/rounds/{r['aggregate_id']}/disclosure",
            }
        )
    return rounds


def _fund_item(
    row: dict[str, Any], check: dict[str, Any], community: dict[str, str] | None = None
) -> dict[str, Any]:
    raised, refunded, disbursed = row["raised_fen"], row["refunded_fen"], row["disbursed_fen"]
    return {
        "fund_id": UUID(row["aggregate_id"]),
        "name": row["name"],
        "community_id": row["community_id"],
        "community_name": community and community["name"],
        "community_street": community and community["street"],
        "opened_at": row["occurred_at"],
        "balance_fen": raised - refunded - disbursed,
        "raised_fen": raised,
        "refunded_fen": refunded,
        "disbursed_fen": disbursed,
        "balance_yuan": yuan(raised - refunded - disbursed),
        "raised_yuan": yuan(raised),
        "refunded_yuan": yuan(refunded),
        "disbursed_yuan": yuan(disbursed),
        "ledger": f"/public/funds/{row['aggregate_id']}/ledger",
        "ledger_valid": check["valid"],
        "ledger_first_broken": check["first_broken"],
    }


async def rounds_list(
    db: asyncpg.Connection, *, fund_id: UUID | None, limit: int, cursor: str | None
) -> paging.Page[dict[str, Any]]:
    """The office's grant rounds, oldest first."""
    page = await paging.fetch_page(
        db,
        "SELECT aggregate_id, occurred_at FROM events",
        [
            ("event_type = ?", (RoundOpened.type,)),
            ("data->>'fund_id' = ?", one(fund_id and str(fund_id))),
        ],
        _BY_OCCURRENCE,
        limit,
        cursor,
    )
    items = [await round_view(db, UUID(r["aggregate_id"])) for r in page.items]
    return paging.Page(items=items, next_cursor=page.next_cursor)

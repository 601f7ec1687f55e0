"""Facts from the needs service: communities, residents, surveys, needs, micro-wishes."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from wushe_events.catalogue import needs as ev
from wushe_events.envelope import Envelope
from wushe_reporting.projections.facts import record, registry

APPLY, on = registry()


@on(ev.CommunityRegistered)
@on(ev.CommunityRenamed)
async def community(db: asyncpg.Connection, e: ev.CommunityRegistered, env: Envelope) -> None:
    await record(
        db,
        env.office,
        "communities",
        {"community_id": e.community_id},
        state={"name": e.name, "street": e.street},
        version=env.streamversion,
    )


@on(ev.ResidentRegistered)
async def resident(db: asyncpg.Connection, e: ev.ResidentRegistered, env: Envelope) -> None:
    await record(
        db,
        env.office,
        "residents",
        {"resident_id": e.resident_id},
        # Filled: a move (a later version) sets the community whichever arrives first.
        fill={"community_id": e.community_id, "registered_at": env.time},
        # State, not fill: an erasure (a later version) clears them whichever arrives first.
        state={"groups": [g.value for g in e.groups], "age_band": e.age_band.value},
        version=env.streamversion,
    )


@on(ev.ResidentUpdated)
@on(ev.ResidentMoved)
async def resident_corrected(
    db: asyncpg.Connection, e: ev.ResidentUpdated | ev.ResidentMoved, env: Envelope
) -> None:
    # Each carries the resident as they now stand: the newest wins, in any order.
    await record(
        db,
        env.office,
        "residents",
        {"resident_id": e.resident_id},
        state={
            "community_id": e.community_id,
            "groups": [g.value for g in e.groups],
            "age_band": e.age_band.value,
        },
        version=env.streamversion,
    )


@on(ev.ResidentErased)
async def erased(db: asyncpg.Connection, e: ev.ResidentErased, env: Envelope) -> None:
    await record(
        db,
        env.office,
        "residents",
        {"resident_id": e.resident_id},
        # The resident's groups and age band go with the personal data: the row stays, only
        # as one erased resident of the community they lived in last (erasures recorded
        # before residents could move may not say which: then that of the registration).
        state={"erased": True, "groups": None, "age_band": None}
        | ({"community_id": e.community_id} if e.community_id else {}),
        version=env.streamversion,
    )


@on(ev.ResidentMerged)
async def merged(db: asyncpg.Connection, e: ev.ResidentMerged, env: Envelope) -> None:
    # A duplicate record no longer counts among residents, as an erased one: its erasure
    # follows in its stream, and this says as much should it arrive first. Merged once only:
    # which record it went into is filled.
    await record(
        db,
        env.office,
        "residents",
        {"resident_id": e.resident_id},
        fill={"merged_into": e.into_resident_id},
        state={"erased": True, "groups": None, "age_band": None, "community_id": e.community_id},
        version=env.streamversion,
    )


async def owned(
    db: asyncpg.Connection, table: str, key: str, id_: UUID, resident_id: UUID | None, env: Envelope
) -> None:
    """Whose a need or wish is: its resident's, until a merge hands it to the record kept.
    Counted apart (`resident_version`): every event of the need or wish says where it is, but
    only its identification or posting and a transfer say whose, in any order of arrival."""
    await db.execute(
        f"""INSERT INTO {table} (office, {key}, resident_id, resident_version)
            VALUES ($1, $2, $3, $4) ON CONFLICT (office, {key}) DO UPDATE SET
            resident_id = CASE WHEN excluded.resident_version >= {table}.resident_version
                          THEN excluded.resident_id ELSE {table}.resident_id END,
            resident_version = greatest({table}.resident_version, excluded.resident_version)""",
        env.office,
        id_,
        resident_id,
        env.streamversion,
    )


@on(ev.SurveyRecorded)
async def survey(db: asyncpg.Connection, e: ev.SurveyRecorded, env: Envelope) -> None:
    levels = {
        d: int(getattr(e.dimensions, d))
        for d in ("physical", "psychological", "material", "spiritual")
    }
    await record(
        db,
        env.office,
        "surveys",
        {"survey_id": e.survey_id},
        fill={
            "community_id": e.community_id,
            "resident_id": e.resident_id,
            "method": e.method.value,
            "surveyed_at": e.surveyed_at,
            **levels,
        },
    )


@on(ev.SurveyVerified)
async def verified(db: asyncpg.Connection, e: ev.SurveyVerified, env: Envelope) -> None:
    # A spot check only ever adds a discrepancy; OR-ing keeps it order-independent.
    await db.execute(
        """INSERT INTO surveys (office, survey_id, community_id, discrepancy)
           VALUES ($1, $2, $3, $4) ON CONFLICT (office, survey_id) DO UPDATE
           SET discrepancy = coalesce(surveys.discrepancy, false) OR excluded.discrepancy""",
        env.office,
        e.survey_id,
        e.community_id,
        e.discrepancy,
    )


@on(ev.NeedIdentified)
async def need(db: asyncpg.Connection, e: ev.NeedIdentified, env: Envelope) -> None:
    await record(
        db,
        env.office,
        "needs",
        {"need_id": e.need_id},
        placed={"community_id": e.community_id},
        fill={
            "category": e.category,
            "dimension": e.dimension.value,
            "urgency": e.urgency.value,
            "identified_at": e.identified_at or env.time,  # the survey's date, like surveys
        },
        state={"state": "open"},
        version=env.streamversion,
    )
    await owned(db, "needs", "need_id", e.need_id, e.resident_id, env)


@on(ev.NeedMatched)
async def need_matched(db: asyncpg.Connection, e: ev.NeedMatched, env: Envelope) -> None:
    await record(
        db,
        env.office,
        "needs",
        {"need_id": e.need_id},
        placed={"community_id": e.community_id},
        state={"state": "matched"},
        version=env.streamversion,
    )


@on(ev.NeedUnmatched)
async def need_unmatched(db: asyncpg.Connection, e: ev.NeedUnmatched, env: Envelope) -> None:
    await record(
        db,
        env.office,
        "needs",
        {"need_id": e.need_id},
        placed={"community_id": e.community_id},
        state={"state": "open"},
        version=env.streamversion,
    )


@on(ev.NeedMoved)
@on(ev.NeedTransferred)
async def need_moved(
    db: asyncpg.Connection, e: ev.NeedMoved | ev.NeedTransferred, env: Envelope
) -> None:
    # With its resident to another community's list, or handed to the record kept by a merge
    # (and on its community's list): its state is not touched.
    await record(
        db,
        env.office,
        "needs",
        {"need_id": e.need_id},
        placed={"community_id": e.community_id},
        version=env.streamversion,
    )
    if isinstance(e, ev.NeedTransferred):
        await owned(db, "needs", "need_id", e.need_id, e.resident_id, env)


# The least urgent first, as the catalogue lists them.
_URGENCIES = ", ".join(f"'{u.value}'" for u in ev.Urgency)


@on(ev.NeedReprioritised)
async def need_reprioritised(
    db: asyncpg.Connection, e: ev.NeedReprioritised, env: Envelope
) -> None:
    # An urgency only rises, so the highest seen is the latest, in any order of arrival: the
    # identification fills it only where no raise came first (`fill`, above).
    await db.execute(
        f"""INSERT INTO needs (office, need_id, community_id, urgency) VALUES ($1, $2, $3, $4)
            ON CONFLICT (office, need_id) DO UPDATE SET urgency = CASE
              WHEN needs.urgency IS NULL OR array_position(ARRAY[{_URGENCIES}], excluded.urgency)
                > array_position(ARRAY[{_URGENCIES}], needs.urgency)
              THEN excluded.urgency ELSE needs.urgency END""",
        env.office,
        e.need_id,
        e.community_id,
        e.urgency.value,
    )


@on(ev.NeedResolved)
async def need_resolved(db: asyncpg.Connection, e: ev.NeedResolved, env: Envelope) -> None:
    await record(
        db,
        env.office,
        "needs",
        {"need_id": e.need_id},
        placed={"community_id": e.community_id},
        fill={"resolved_at": env.time},
        state={"state": e.resolution.value},
        version=env.streamversion,
    )


@on(ev.WishPosted)
async def wish(db: asyncpg.Connection, e: ev.WishPosted, env: Envelope) -> None:
    await record(
        db,
        env.office,
        "wishes",
        {"wish_id": e.wish_id},
        placed={"community_id": e.community_id},
        fill={
            "category": e.category,
            "value_fen": e.estimated_value_fen,
            "posted_at": env.time,
        },
        state={"state": "posted"},
        version=env.streamversion,
    )
    await owned(db, "wishes", "wish_id", e.wish_id, e.resident_id, env)


@on(ev.WishClaimed)
async def wish_claimed(db: asyncpg.Connection, e: ev.WishClaimed, env: Envelope) -> None:
    await record(
        db,
        env.office,
        "wishes",
        {"wish_id": e.wish_id},
        placed={"community_id": e.community_id},
        state={"state": "claimed"},
        earliest={"first_claimed_at": env.time},
        version=env.streamversion,
    )


@on(ev.WishFulfilled)
async def wish_fulfilled(db: asyncpg.Connection, e: ev.WishFulfilled, env: Envelope) -> None:
    await record(
        db,
        env.office,
        "wishes",
        {"wish_id": e.wish_id},
        placed={"community_id": e.community_id},
        fill={"fulfilled_at": env.time},
        state={"state": "fulfilled"},
        version=env.streamversion,
    )


def _wish_becomes(state: str):  # type: ignore[no-untyped-def]
    async def apply(db: asyncpg.Connection, e: ev.WishReleased, env: Envelope) -> None:
        await record(
            db,
            env.office,
            "wishes",
            {"wish_id": e.wish_id},
            placed={"community_id": e.community_id},
            state={"state": state},
            version=env.streamversion,
        )

    return apply


for _event, _state in (
    (ev.WishReleased, "posted"),
    (ev.WishConfirmed, "confirmed"),
    (ev.WishCancelled, "cancelled"),
    (ev.WishExpired, "expired"),
):
    on(_event)(_wish_becomes(_state))


@on(ev.WishMoved)
@on(ev.WishTransferred)
async def wish_moved(
    db: asyncpg.Connection, e: ev.WishMoved | ev.WishTransferred, env: Envelope
) -> None:
    # With its resident, or to the record kept by a merge: on that community's board; a claim
    # stays with its claimant.
    await record(
        db,
        env.office,
        "wishes",
        {"wish_id": e.wish_id},
        placed={"community_id": e.community_id},
        version=env.streamversion,
    )
    if isinstance(e, ev.WishTransferred):
        await owned(db, "wishes", "wish_id", e.wish_id, e.resident_id, env)


@on(ev.WishProgressed)
async def wish_progressed(db: asyncpg.Connection, e: ev.WishProgressed, env: Envelope) -> None:
    # Not a change of state: only when the claimant last said the claim is alive.
    await record(
        db,
        env.office,
        "wishes",
        {"wish_id": e.wish_id},
        fill={"community_id": e.community_id},
        latest={"last_progress_at": env.time},
    )


@on(ev.ConsentGranted)
@on(ev.ConsentWithdrawn)
async def consent(
    db: asyncpg.Connection, e: ev.ConsentGranted | ev.ConsentWithdrawn, env: Envelope
) -> None:
    # Every consent event sets every state column, so the newest of the resident's stream wins
    # whatever the order of arrival. Who gave it is only `self` or `guardian`, never a name.
    # A withdrawal's reason is a code (by_request, deceased, …), null where none was recorded.
    if isinstance(e, ev.ConsentGranted):
        granted, given_by, reason, at = True, e.given_by.value, None, e.given_at
    else:
        granted, given_by, at = False, None, e.withdrawn_at
        reason = e.reason.value if e.reason else None
    await record(
        db,
        env.office,
        "consents",
        {"resident_id": e.resident_id, "purpose": e.purpose.value},
        fill={"community_id": e.community_id},
        state={
            "granted": granted,
            "given_by": given_by,
            "withdrawal_reason": reason,
            "changed_at": at,
        },
        version=env.streamversion,
    )

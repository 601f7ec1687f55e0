"""The needs service's own tables: read models kept in step with its events.

`project` and `rebuild` are those of a `wushe_events.read_model.ReadModel`.
Claimants are a replica of the volunteers service's events, written by `bus.py`.
The digests of erased residents' ID numbers (`erased_id_numbers`) are no read model: written
with the erasure, never rebuilt.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg
import orjson

from wushe_events.catalogue.needs import (
    CommunityRegistered,
    CommunityRenamed,
    ConsentGranted,
    ConsentPurpose,
    ConsentWithdrawn,
    NeedIdentified,
    NeedMatched,
    NeedMoved,
    NeedReprioritised,
    NeedResolved,
    NeedTransferred,
    NeedUnmatched,
    ResidentErased,
    ResidentMerged,
    ResidentMoved,
    ResidentRegistered,
    ResidentUpdated,
    SurveyMethod,
    SurveyRecorded,
    SurveyVerified,
    WishCancelled,
    WishClaimed,
    WishConfirmed,
    WishExpired,
    WishFulfilled,
    WishMoved,
    WishPosted,
    WishProgressed,
    WishReleased,
    WishTransferred,
)
from wushe_events.read_model import Apply, ReadModel
from wushe_needs.domain.wish import Claimant


async def _community(db: asyncpg.Connection, e: CommunityRegistered, at: datetime) -> None:
    await db.execute(
        "INSERT INTO communities VALUES ($1, $2, $3, $4)", e.community_id, e.name, e.street, at
    )


async def _community_renamed(db: asyncpg.Connection, e: CommunityRenamed, _at: datetime) -> None:
    await db.execute(
        "UPDATE communities SET name = $2, street = $3 WHERE community_id = $1",
        e.community_id,
        e.name,
        e.street,
    )


async def _resident(db: asyncpg.Connection, e: ResidentRegistered, at: datetime) -> None:
    await db.execute(
        """INSERT INTO residents (resident_id, community_id, groups, age_band, registered_at)
           VALUES ($1, $2, $3, $4, $5)""",
        e.resident_id,
        e.community_id,
        [g.value for g in e.groups],
        e.age_band.value,
        at,
    )


async def _resident_corrected(
    db: asyncpg.Connection, e: ResidentUpdated | ResidentMoved, _at: datetime
) -> None:
    await db.execute(
        """UPDATE residents SET community_id = $2, groups = $3, age_band = $4
           WHERE resident_id = $1""",
        e.resident_id,
        e.community_id,
        [g.value for g in e.groups],
        e.age_band.value,
    )


async def _erased(db: asyncpg.Connection, e: ResidentErased, _at: datetime) -> None:
    await db.execute("UPDATE residents SET erased = true WHERE resident_id = $1", e.resident_id)


async def _merged(db: asyncpg.Connection, e: ResidentMerged, _at: datetime) -> None:
    await db.execute(
        "UPDATE residents SET merged_into = $2 WHERE resident_id = $1",
        e.resident_id,
        e.into_resident_id,
    )


async def _consent(
    db: asyncpg.Connection, e: ConsentGranted | ConsentWithdrawn, _at: datetime
) -> None:
    if e.purpose is ConsentPurpose.services:  # no visits for whom withdrew it
        await db.execute(
            "UPDATE residents SET serving = $2 WHERE resident_id = $1",
            e.resident_id,
            isinstance(e, ConsentGranted),
        )


async def _survey(db: asyncpg.Connection, e: SurveyRecorded, _at: datetime) -> None:
    await db.execute(
        """INSERT INTO surveys (survey_id, resident_id, community_id, method, surveyed_at,
                                verifies_survey_id, surveyor_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7)""",
        e.survey_id,
        e.resident_id,
        e.community_id,
        e.method.value,
        e.surveyed_at,
        e.verifies_survey_id,
        e.surveyor_id,
    )
    if e.method is SurveyMethod.spot_check:
        return  # verifies an assessment, never replaces it
    # The latest survey is the resident's assessment: a later one supersedes it.
    await db.execute(
        """UPDATE residents SET assessment_survey_id = $2, assessment = $3::jsonb,
                                assessed_at = $4
           WHERE resident_id = $1 AND (assessed_at IS NULL OR assessed_at <= $4)""",
        e.resident_id,
        e.survey_id,
        orjson.dumps(e.dimensions.model_dump()).decode(),
        e.surveyed_at,
    )


async def _verified(db: asyncpg.Connection, e: SurveyVerified, _at: datetime) -> None:
    """The survey checked is flagged if any of its spot checks found a discrepancy; the spot
    check shows what it found itself (a supervisor lists the failed ones)."""
    await db.execute(
        "UPDATE surveys SET discrepancy = coalesce(discrepancy, false) OR $2 WHERE survey_id = $1",
        e.survey_id,
        e.discrepancy,
    )
    await db.execute(
        "UPDATE surveys SET discrepancy = $2 WHERE survey_id = $1", e.spot_check_id, e.discrepancy
    )


async def _need(db: asyncpg.Connection, e: NeedIdentified, at: datetime) -> None:
    await db.execute(
        """INSERT INTO need_items (need_id, community_id, resident_id, survey_id, category,
                                   dimension, urgency, state, identified_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8)""",
        e.need_id,
        e.community_id,
        e.resident_id,
        e.survey_id,
        e.category,
        e.dimension.value,
        e.urgency.value,
        e.identified_at or at,  # when the survey found it, not when it was typed in
    )


async def _need_matched(db: asyncpg.Connection, e: NeedMatched, _at: datetime) -> None:
    await db.execute(
        """UPDATE need_items SET state = 'matched', match_kind = $2, match_id = $3
           WHERE need_id = $1""",
        e.need_id,
        e.match_kind.value,
        e.match_id,
    )


async def _need_unmatched(db: asyncpg.Connection, e: NeedUnmatched, _at: datetime) -> None:
    await db.execute(
        """UPDATE need_items SET state = 'open', match_kind = NULL, match_id = NULL
           WHERE need_id = $1""",
        e.need_id,
    )


async def _need_moved(db: asyncpg.Connection, e: NeedMoved, _at: datetime) -> None:
    await db.execute(
        "UPDATE need_items SET community_id = $2 WHERE need_id = $1", e.need_id, e.community_id
    )


async def _need_transferred(db: asyncpg.Connection, e: NeedTransferred, _at: datetime) -> None:
    await db.execute(
        "UPDATE need_items SET community_id = $2, resident_id = $3 WHERE need_id = $1",
        e.need_id,
        e.community_id,
        e.resident_id,
    )


async def _need_reprioritised(db: asyncpg.Connection, e: NeedReprioritised, _at: datetime) -> None:
    await db.execute(
        "UPDATE need_items SET urgency = $2 WHERE need_id = $1", e.need_id, e.urgency.value
    )


async def _need_resolved(db: asyncpg.Connection, e: NeedResolved, at: datetime) -> None:
    await db.execute(
        """UPDATE need_items SET state = $2, resolution = $2, reason = $3, resolved_at = $4
           WHERE need_id = $1""",
        e.need_id,
        e.resolution.value,
        e.reason,
        at,
    )


async def _wish(db: asyncpg.Connection, e: WishPosted, at: datetime) -> None:
    await db.execute(
        """INSERT INTO wishes (wish_id, community_id, resident_id, need_id, category, title,
                               value_fen, deadline, state, posted_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'posted', $9)""",
        e.wish_id,
        e.community_id,
        e.resident_id,
        e.need_id,
        e.category,
        e.title,
        e.estimated_value_fen,
        e.deadline,
        at,
    )


async def _claimed(db: asyncpg.Connection, e: WishClaimed, at: datetime) -> None:
    await db.execute(
        """UPDATE wishes SET state = 'claimed', claimant_id = $2, claimant_kind = $3,
                             claimant_display = $4, claimed_at = $5, last_activity_at = $5
           WHERE wish_id = $1""",
        e.wish_id,
        e.claimant_id,
        e.claimant_kind.value,
        e.claimant_display,
        at,
    )


async def _progressed(db: asyncpg.Connection, e: WishProgressed, at: datetime) -> None:
    await db.execute("UPDATE wishes SET last_activity_at = $2 WHERE wish_id = $1", e.wish_id, at)


async def _released(db: asyncpg.Connection, e: WishReleased, _at: datetime) -> None:
    await db.execute(
        """UPDATE wishes SET state = 'posted', claimant_id = NULL, claimant_kind = NULL,
                             claimant_display = NULL, claimed_at = NULL, last_activity_at = NULL
           WHERE wish_id = $1""",
        e.wish_id,
    )


async def _wish_moved(db: asyncpg.Connection, e: WishMoved, _at: datetime) -> None:
    await db.execute(
        "UPDATE wishes SET community_id = $2 WHERE wish_id = $1", e.wish_id, e.community_id
    )


async def _wish_transferred(db: asyncpg.Connection, e: WishTransferred, _at: datetime) -> None:
    await db.execute(
        "UPDATE wishes SET community_id = $2, resident_id = $3 WHERE wish_id = $1",
        e.wish_id,
        e.community_id,
        e.resident_id,
    )


async def _fulfilled(db: asyncpg.Connection, e: WishFulfilled, at: datetime) -> None:
    await db.execute(
        """UPDATE wishes SET state = 'fulfilled', fulfilled_at = $2, hours = $3
           WHERE wish_id = $1""",
        e.wish_id,
        at,
        e.hours,
    )


def _to(state: str) -> Apply:
    async def apply(db: asyncpg.Connection, e: Any, _at: datetime) -> None:
        await db.execute("UPDATE wishes SET state = $2 WHERE wish_id = $1", e.wish_id, state)

    return apply


_READ = ReadModel(
    tables=("communities", "residents", "surveys", "need_items", "wishes"),
    apply={
        CommunityRegistered: _community,
        CommunityRenamed: _community_renamed,
        ResidentRegistered: _resident,
        ResidentUpdated: _resident_corrected,
        ResidentMoved: _resident_corrected,
        ResidentErased: _erased,
        ResidentMerged: _merged,
        ConsentGranted: _consent,
        ConsentWithdrawn: _consent,
        SurveyRecorded: _survey,
        SurveyVerified: _verified,
        NeedIdentified: _need,
        NeedMatched: _need_matched,
        NeedUnmatched: _need_unmatched,
        NeedMoved: _need_moved,
        NeedTransferred: _need_transferred,
        NeedReprioritised: _need_reprioritised,
        NeedResolved: _need_resolved,
        WishPosted: _wish,
        WishClaimed: _claimed,
        WishProgressed: _progressed,
        WishReleased: _released,
        WishFulfilled: _fulfilled,
        WishConfirmed: _to("confirmed"),
        WishCancelled: _to("cancelled"),
        WishExpired: _to("expired"),
        WishMoved: _wish_moved,
        WishTransferred: _wish_transferred,
    },
)
project = _READ.project
rebuild = _READ.rebuild


async def namesake(db: asyncpg.Connection, street: str, name: str, other_than: str) -> str | None:
    """Another community of `street` called `name`, spaces aside (阳 明 社区 is 阳明社区).

    Takes a lock on the name first, so that two registrations of one name at once are one
    after the other, the second seeing the first. An office has a few hundred communities:
    they are compared here rather than by an index on a normalised name."""
    street, name = _squeezed(street), _squeezed(name)
    await db.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", f"community:{street}\n{name}"
    )
    rows = await db.fetch(
        "SELECT community_id, street, name FROM communities WHERE community_id <> $1 "
        "ORDER BY community_id",
        other_than,
    )
    return next(
        (
            r["community_id"]
            for r in rows
            if (_squeezed(r["street"]), _squeezed(r["name"])) == (street, name)
        ),
        None,
    )


def _squeezed(text: str) -> str:
    return "".join(text.split())


async def remember_erased_id_number(
    db: asyncpg.Connection, resident_id: UUID, at: datetime
) -> None:
    """Keep the digest of the resident's ID number (from the blind index, before it goes with
    their key) among those erased: the number itself was never stored, and is not now."""
    await db.execute(
        """INSERT INTO erased_id_numbers (digest, erased_at)
           SELECT digest, $2 FROM personal_data_index WHERE subject_id = $1 AND field = 'id_number'
           ON CONFLICT (digest) DO UPDATE SET erased_at = EXCLUDED.erased_at""",
        resident_id,
        at,
    )


async def id_number_erased(db: asyncpg.Connection, digest: bytes) -> bool:
    found = await db.fetchval("SELECT 1 FROM erased_id_numbers WHERE digest = $1", digest)
    return found is not None


async def lock_name(db: asyncpg.Connection, name_digest: bytes) -> None:
    """Serialise registrations of one name (by its blind-index digest, never the name): the
    second sees the first once committed, as two registrations of one ID number meet on its
    unique index."""
    await db.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
        f"resident-name:{name_digest.hex()}",
    )


async def lock_names(db: asyncpg.Connection, name_digests: list[bytes]) -> None:
    """`lock_name` for each of `name_digests`, in one statement and one order (the locks'
    keys ascending): two transactions that hold several at once wait, never deadlock."""
    await db.execute(
        """SELECT pg_advisory_xact_lock(k)
           FROM (SELECT DISTINCT hashtextextended('resident-name:' || d, 0) AS k
                 FROM unnest($1::text[]) d ORDER BY k) ordered""",
        [digest.hex() for digest in name_digests],
    )


async def lock_resident(db: asyncpg.Connection, resident_id: UUID) -> None:
    """Serialise what starts serving a resident (a survey, a wish) with what stops it (erasure,
    a consent withdrawn). The stopping side finds live wishes and open needs in the read tables,
    which at READ COMMITTED miss a wish posted by a transaction still open: without this lock
    that wish would outlive the erasure. An advisory lock takes no transaction id, so take it
    before loading anything (wushe_events.store: "load before you write")."""
    await db.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", f"resident:{resident_id}"
    )


async def lock_claimant(db: asyncpg.Connection, claimant_id: UUID) -> None:
    """Serialise a claim with the news that its claimant can no longer serve: the news gives
    back the claims it finds in the read tables, which miss a claim still being committed."""
    await db.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", f"claimant:{claimant_id}"
    )


async def claimant(db: asyncpg.Connection, claimant_id: Any) -> Claimant | None:
    row = await db.fetchrow(
        "SELECT claimant_id, kind, display, active FROM claimants WHERE claimant_id = $1",
        claimant_id,
    )
    return Claimant(row["claimant_id"], row["kind"], row["display"], row["active"]) if row else None


async def upsert_claimant(
    db: asyncpg.Connection, claimant_id: Any, kind: str, display: str | None, at: datetime
) -> None:
    await db.execute(
        """INSERT INTO claimants VALUES ($1, $2, $3, true, $4)
           ON CONFLICT (claimant_id) DO UPDATE
           SET kind = excluded.kind, display = excluded.display, updated_at = excluded.updated_at
           WHERE claimants.updated_at <= excluded.updated_at""",
        claimant_id,
        kind,
        display,
        at,
    )


async def forget_claimant_name(db: asyncpg.Connection, claimant_id: Any, at: datetime) -> None:
    """The volunteer's personal data was erased: their public name is shown no more, and a
    late copy of their registration does not bring it back."""
    await db.execute(
        """UPDATE claimants SET display = NULL, updated_at = greatest(updated_at, $2)
           WHERE claimant_id = $1""",
        claimant_id,
        at,
    )


async def set_claimant_active(
    db: asyncpg.Connection, claimant_id: Any, active: bool, at: datetime
) -> None:
    await db.execute(
        """UPDATE claimants SET active = $2, updated_at = $3
           WHERE claimant_id = $1 AND updated_at <= $3""",
        claimant_id,
        active,
        at,
    )


async def keep_grant_needs(
    db: asyncpg.Connection, application_id: UUID, need_ids: Sequence[UUID]
) -> bool:
    """Keep the needs an application names; whether it is approved already."""
    approved: bool = await db.fetchval(
        """INSERT INTO grant_needs (application_id, need_ids) VALUES ($1, $2)
           ON CONFLICT (application_id) DO UPDATE SET need_ids = excluded.need_ids
           RETURNING approved""",
        application_id,
        list(need_ids),
    )
    return approved


async def approve_grant(db: asyncpg.Connection, application_id: UUID) -> list[UUID]:
    """Mark the application approved; the needs it names, as far as known yet."""
    need_ids: list[UUID] = await db.fetchval(
        """INSERT INTO grant_needs (application_id, approved) VALUES ($1, true)
           ON CONFLICT (application_id) DO UPDATE SET approved = true
           RETURNING need_ids""",
        application_id,
    )
    return need_ids


async def keep_activity_needs(
    db: asyncpg.Connection, activity_id: UUID, need_ids: Sequence[UUID]
) -> bool:
    """Keep the needs an activity names; whether it is still on (not cancelled before)."""
    cancelled: bool = await db.fetchval(
        """INSERT INTO activity_needs (activity_id, need_ids) VALUES ($1, $2)
           ON CONFLICT (activity_id) DO UPDATE SET need_ids = excluded.need_ids
           RETURNING cancelled""",
        activity_id,
        list(need_ids),
    )
    return not cancelled


async def cancel_activity(db: asyncpg.Connection, activity_id: UUID) -> list[UUID]:
    """Mark the activity cancelled; the needs it named, as far as known yet."""
    need_ids: list[UUID] = await db.fetchval(
        """INSERT INTO activity_needs (activity_id, cancelled) VALUES ($1, true)
           ON CONFLICT (activity_id) DO UPDATE SET cancelled = true
           RETURNING need_ids""",
        activity_id,
    )
    return need_ids

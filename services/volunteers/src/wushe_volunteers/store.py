"""The volunteers service's own tables: read models kept in step with its events.

`project` and `rebuild` are those of a `wushe_events.read_model.ReadModel`.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from wushe_events.catalogue.volunteers import (
    ActivityCancelled,
    ActivityScheduled,
    AttendanceRecorded,
    CertificateIssued,
    HoursCorrected,
    HoursDeclined,
    HoursRecorded,
    HoursVerified,
    PairingEstablished,
    SignupAccepted,
    SignupWithdrawn,
    SiteRegistered,
    TeamMemberAdded,
    TeamMemberRemoved,
    TeamRegistered,
    VolunteerErased,
    VolunteerReactivated,
    VolunteerRegistered,
    VolunteerSuspended,
    VolunteerWithdrawn,
)
from wushe_events.read_model import Apply, ReadModel
from wushe_volunteers import application_tables
from wushe_volunteers.domain.activity import NO_SHOW_AFTER, NO_SHOW_WINDOW


async def _volunteer(db: asyncpg.Connection, e: VolunteerRegistered, at: datetime) -> None:
    await db.execute(
        "INSERT INTO volunteers VALUES ($1, $2, $3, $4, $5, 'active', $6)",
        e.volunteer_id,
        e.community_id,
        list(e.skills),
        e.certification.value,
        e.display_name,
        at,
    )


def _status(status: str) -> Apply:
    async def apply(db: asyncpg.Connection, e: Any, _at: datetime) -> None:
        await db.execute(
            "UPDATE volunteers SET status = $2 WHERE volunteer_id = $1", e.volunteer_id, status
        )

    return apply


async def _erased(db: asyncpg.Connection, e: VolunteerErased, _at: datetime) -> None:
    await db.execute(
        "UPDATE volunteers SET display_name = NULL WHERE volunteer_id = $1", e.volunteer_id
    )


async def _team(db: asyncpg.Connection, e: TeamRegistered, at: datetime) -> None:
    await db.execute(
        "INSERT INTO teams VALUES ($1, $2, $3, $4)", e.team_id, e.kind.value, e.name, at
    )


async def _member(db: asyncpg.Connection, e: TeamMemberAdded, _at: datetime) -> None:
    await db.execute(
        """INSERT INTO team_members VALUES ($1, $2, $3)
           ON CONFLICT (team_id, volunteer_id) DO UPDATE SET role = excluded.role""",
        e.team_id,
        e.volunteer_id,
        e.role.value,
    )


async def _member_removed(db: asyncpg.Connection, e: TeamMemberRemoved, _at: datetime) -> None:
    await db.execute(
        "DELETE FROM team_members WHERE team_id = $1 AND volunteer_id = $2",
        e.team_id,
        e.volunteer_id,
    )


async def _pairing(db: asyncpg.Connection, e: PairingEstablished, at: datetime) -> None:
    await db.execute(
        "INSERT INTO pairings VALUES ($1, $2, $3, $4, $5)",
        e.pairing_id,
        e.university_team_id,
        e.social_org_team_id,
        e.community_id,
        at,
    )


async def _site(db: asyncpg.Connection, e: SiteRegistered, _at: datetime) -> None:
    await db.execute(
        "INSERT INTO sites VALUES ($1, $2, $3, $4)", e.site_id, e.kind.value, e.name, e.community_id
    )


async def _activity(db: asyncpg.Connection, e: ActivityScheduled, _at: datetime) -> None:
    await db.execute(
        """INSERT INTO activities (activity_id, team_id, site_id, community_id, title,
               starts_at, ends_at, capacity, state, need_categories, need_ids)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'scheduled', $9, $10)""",
        e.activity_id,
        e.team_id,
        e.site_id,
        e.community_id,
        e.title,
        e.starts_at,
        e.ends_at,
        e.capacity,
        list(e.need_categories),
        list(e.need_ids),
    )


async def _cancelled(db: asyncpg.Connection, e: ActivityCancelled, _at: datetime) -> None:
    await db.execute(
        "UPDATE activities SET state = 'cancelled' WHERE activity_id = $1", e.activity_id
    )
    await db.execute("UPDATE signups SET state = 'cancelled' WHERE activity_id = $1", e.activity_id)


async def _signup(db: asyncpg.Connection, e: SignupAccepted, at: datetime) -> None:
    await db.execute(
        """INSERT INTO signups (activity_id, volunteer_id, starts_at, ends_at, state,
                               signed_up_at)
           SELECT activity_id, $2, starts_at, ends_at, 'active', $3
           FROM activities WHERE activity_id = $1
           ON CONFLICT (activity_id, volunteer_id)
           DO UPDATE SET state = 'active', signed_up_at = excluded.signed_up_at""",
        e.activity_id,
        e.volunteer_id,
        at,
    )
    await db.execute(
        "UPDATE activities SET signed_up = signed_up + 1 WHERE activity_id = $1", e.activity_id
    )


async def _signup_withdrawn(db: asyncpg.Connection, e: SignupWithdrawn, _at: datetime) -> None:
    await db.execute(
        "UPDATE signups SET state = 'withdrawn' WHERE activity_id = $1 AND volunteer_id = $2",
        e.activity_id,
        e.volunteer_id,
    )
    await db.execute(
        "UPDATE activities SET signed_up = signed_up - 1 WHERE activity_id = $1", e.activity_id
    )


async def _attended(db: asyncpg.Connection, e: AttendanceRecorded, _at: datetime) -> None:
    await db.execute(
        """UPDATE signups SET state = 'attended', checked_in_at = $3, checked_out_at = $4,
                              record_id = $5
           WHERE activity_id = $1 AND volunteer_id = $2""",
        e.activity_id,
        e.volunteer_id,
        e.checked_in_at,
        e.checked_out_at,
        e.record_id,
    )


async def _hours(db: asyncpg.Connection, e: HoursRecorded, at: datetime) -> None:
    await db.execute(
        """INSERT INTO hours (record_id, volunteer_id, team_id, source, source_id, hours, state,
                              recorded_at)
           VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7)""",
        e.record_id,
        e.volunteer_id,
        e.team_id,
        e.source.value,
        e.source_id,
        e.hours,
        at,
    )


async def _verified(db: asyncpg.Connection, e: HoursVerified, at: datetime) -> None:
    # The reason of a correction stays on record once the corrected hours are verified.
    await db.execute(
        """UPDATE hours SET state = 'verified', verified_at = $2, verified_by = $3
           WHERE record_id = $1""",
        e.record_id,
        at,
        e.verified_by,
    )


async def _declined(db: asyncpg.Connection, e: HoursDeclined, _at: datetime) -> None:
    await db.execute(
        "UPDATE hours SET state = 'declined', reason = $2 WHERE record_id = $1",
        e.record_id,
        e.reason,
    )


async def _corrected(db: asyncpg.Connection, e: HoursCorrected, _at: datetime) -> None:
    await db.execute(
        """UPDATE hours SET hours = $2, state = 'pending', reason = $3, verified_at = NULL,
                            verified_by = NULL
           WHERE record_id = $1""",
        e.record_id,
        e.hours,
        e.reason,
    )


async def _certificate(db: asyncpg.Connection, e: CertificateIssued, at: datetime) -> None:
    covered = (
        None if e.records is None else json.dumps([[str(r.record_id), r.hours] for r in e.records])
    )
    await db.execute(
        """INSERT INTO certificates (certificate_id, code, number, year, volunteer_id, hours,
                                     digest, issued_at, records)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)""",
        e.certificate_id,
        e.code,
        e.number,
        e.year,
        e.volunteer_id,
        e.hours,
        e.digest,
        at,
        covered,
    )


_READ = ReadModel(
    tables=(
        "volunteers",
        "teams",
        "team_members",
        "pairings",
        "sites",
        "activities",
        "signups",
        "hours",
        "certificates",
        *application_tables.TABLES,
    ),
    apply={
        VolunteerRegistered: _volunteer,
        VolunteerSuspended: _status("suspended"),
        VolunteerReactivated: _status("active"),
        VolunteerWithdrawn: _status("withdrawn"),
        VolunteerErased: _erased,
        TeamRegistered: _team,
        TeamMemberAdded: _member,
        TeamMemberRemoved: _member_removed,
        PairingEstablished: _pairing,
        SiteRegistered: _site,
        ActivityScheduled: _activity,
        ActivityCancelled: _cancelled,
        SignupAccepted: _signup,
        SignupWithdrawn: _signup_withdrawn,
        AttendanceRecorded: _attended,
        HoursRecorded: _hours,
        HoursVerified: _verified,
        HoursDeclined: _declined,
        HoursCorrected: _corrected,
        CertificateIssued: _certificate,
        **application_tables.APPLY,
    },
)
project = _READ.project
rebuild = _READ.rebuild


async def lock_volunteer(db: asyncpg.Connection, volunteer_id: UUID) -> str | None:
    """Serialise one volunteer's sign-ups (the overlap rule spans activities) with their
    withdrawal; their status as it stands under the lock. Take it after loading the streams:
    it is the transaction's first write (see wushe_events.store)."""
    status: str | None = await db.fetchval(
        "SELECT status FROM volunteers WHERE volunteer_id = $1 FOR UPDATE", volunteer_id
    )
    return status


async def signups_to_come(
    db: asyncpg.Connection, volunteer_id: UUID, after: datetime
) -> list[UUID]:
    """The activities starting after `after` in which the volunteer holds a place."""
    rows = await db.fetch(
        """SELECT activity_id FROM signups
           WHERE volunteer_id = $1 AND state = 'active' AND starts_at > $2
           ORDER BY activity_id""",
        volunteer_id,
        after,
    )
    return [r["activity_id"] for r in rows]


async def overlapping(
    db: asyncpg.Connection,
    volunteer_id: UUID,
    activity_id: UUID,
    starts_at: datetime,
    ends_at: datetime,
) -> list[UUID]:
    rows = await db.fetch(
        """SELECT activity_id FROM signups
           WHERE volunteer_id = $1 AND state = 'active' AND activity_id <> $2
             AND starts_at < $4 AND ends_at > $3""",
        volunteer_id,
        activity_id,
        starts_at,
        ends_at,
    )
    return [r["activity_id"] for r in rows]


# Whether the attendance of a row of `signups`' activity was taken: someone's is recorded. An
# activity whose coordinators entered no one's — nobody came, or nobody wrote it down — makes
# no one a no-show: a volunteer is not held to a register no one kept.
ATTENDANCE_TAKEN = """EXISTS (SELECT 1 FROM signups taken
    WHERE taken.activity_id = {signups}.activity_id AND taken.checked_in_at IS NOT NULL)"""


async def no_shows(db: asyncpg.Connection, volunteer_id: UUID, now: datetime) -> list[datetime]:
    """When each activity the volunteer signed up for and missed in the last 90 days ended
    (`NO_SHOW_AFTER`: a day for the coordinators to enter the attendance; `ATTENDANCE_TAKEN`:
    where they entered some)."""
    return await db.fetchval(
        f"""SELECT coalesce(array_agg(ends_at ORDER BY ends_at), '{{}}') FROM signups s
           WHERE volunteer_id = $1 AND state = 'active' AND ends_at >= $2 AND ends_at < $3
             AND {ATTENDANCE_TAKEN.format(signups="s")}""",
        volunteer_id,
        now - NO_SHOW_WINDOW,
        now - NO_SHOW_AFTER,
    )


async def attended_overlapping(
    db: asyncpg.Connection,
    volunteer_id: UUID,
    activity_id: UUID,
    checked_in_at: datetime,
    checked_out_at: datetime,
) -> list[UUID]:
    """The other activities where the volunteer's recorded attendance overlaps these times.
    Attendance whose hours were declined does not count: a coordinator who entered it at the
    wrong activity declines it there and enters it where it happened."""
    rows = await db.fetch(
        """SELECT s.activity_id FROM signups s
           WHERE s.volunteer_id = $1 AND s.state = 'attended' AND s.activity_id <> $2
             AND s.checked_in_at < $4 AND s.checked_out_at > $3
             AND NOT EXISTS (SELECT 1 FROM hours h
                             WHERE h.record_id = s.record_id AND h.state = 'declined')""",
        volunteer_id,
        activity_id,
        checked_in_at,
        checked_out_at,
    )
    return [r["activity_id"] for r in rows]


async def verified_records(db: asyncpg.Connection, volunteer_id: UUID) -> list[tuple[UUID, float]]:
    rows = await db.fetch(
        "SELECT record_id, hours FROM hours WHERE volunteer_id = $1 AND state = 'verified'",
        volunteer_id,
    )
    return [(r["record_id"], float(r["hours"])) for r in rows]


async def wish_records(db: asyncpg.Connection, wish_id: UUID) -> list[UUID]:
    """The hours records of a micro-wish (one per volunteer who fulfilled it)."""
    rows = await db.fetch(
        "SELECT record_id FROM hours WHERE source = 'wish' AND source_id = $1 ORDER BY record_id",
        wish_id,
    )
    return [r["record_id"] for r in rows]


async def wish_confirmed(db: asyncpg.Connection, wish_id: UUID, at: datetime) -> None:
    """A social worker confirmed the wish (the needs service said so): its hours await nothing
    more of them. Not a read model of this service's events, so no rebuild empties it."""
    await db.execute(
        """INSERT INTO confirmed_wishes (wish_id, confirmed_at) VALUES ($1, $2)
           ON CONFLICT (wish_id) DO NOTHING""",
        wish_id,
        at,
    )


async def teams_of(db: asyncpg.Connection, volunteer_id: UUID) -> list[UUID]:
    """The teams the volunteer is a member (or coordinator) of."""
    rows = await db.fetch(
        "SELECT team_id FROM team_members WHERE volunteer_id = $1 ORDER BY team_id", volunteer_id
    )
    return [r["team_id"] for r in rows]


def covered_records(issued: dict[str, Any]) -> list[tuple[UUID, float]] | None:
    """The records a certificate's row says it covers; None for one issued before they were
    kept."""
    if issued["records"] is None:
        return None
    return [(UUID(record_id), float(hours)) for record_id, hours in json.loads(issued["records"])]

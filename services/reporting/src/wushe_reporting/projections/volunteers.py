"""Facts from the volunteers service: volunteers, teams, pairings, sites, activities, hours."""

from __future__ import annotations

import asyncpg

from wushe_events.catalogue import volunteers as ev
from wushe_events.envelope import Envelope
from wushe_reporting.projections.facts import record, registry

APPLY, on = registry()


@on(ev.VolunteerRegistered)
async def volunteer(db: asyncpg.Connection, e: ev.VolunteerRegistered, env: Envelope) -> None:
    await record(
        db,
        env.office,
        "volunteers",
        {"volunteer_id": e.volunteer_id},
        fill={
            "community_id": e.community_id,
            "certification": e.certification.value,
            "registered_at": env.time,
        },
        state={"status": "active"},
        version=env.streamversion,
    )


def _status(status: str):  # type: ignore[no-untyped-def]
    async def apply(db: asyncpg.Connection, e: ev.VolunteerSuspended, env: Envelope) -> None:
        await record(
            db,
            env.office,
            "volunteers",
            {"volunteer_id": e.volunteer_id},
            fill={"community_id": e.community_id},
            state={"status": status},
            version=env.streamversion,
        )

    return apply


for _event, _status_name in (
    (ev.VolunteerSuspended, "suspended"),
    (ev.VolunteerReactivated, "active"),
    (ev.VolunteerWithdrawn, "withdrawn"),
    (ev.VolunteerErased, "withdrawn"),  # the facts hold no name: only the status to keep
):
    on(_event)(_status(_status_name))


@on(ev.TeamRegistered)
async def team(db: asyncpg.Connection, e: ev.TeamRegistered, env: Envelope) -> None:
    await record(
        db, env.office, "teams", {"team_id": e.team_id}, fill={"kind": e.kind.value, "name": e.name}
    )


@on(ev.PairingEstablished)
async def pairing(db: asyncpg.Connection, e: ev.PairingEstablished, env: Envelope) -> None:
    await record(
        db,
        env.office,
        "pairings",
        {"pairing_id": e.pairing_id},
        fill={"community_id": e.community_id, "established_at": env.time},
    )


@on(ev.SiteRegistered)
async def site(db: asyncpg.Connection, e: ev.SiteRegistered, env: Envelope) -> None:
    await record(
        db,
        env.office,
        "sites",
        {"site_id": e.site_id},
        fill={"community_id": e.community_id, "kind": e.kind.value},
    )


@on(ev.ActivityScheduled)
async def activity(db: asyncpg.Connection, e: ev.ActivityScheduled, env: Envelope) -> None:
    await record(
        db,
        env.office,
        "activities",
        {"activity_id": e.activity_id},
        fill={
            "community_id": e.community_id,
            "team_id": e.team_id,
            "starts_at": e.starts_at,
            "capacity": e.capacity,
        },
        state={"state": "scheduled"},
        version=env.streamversion,
    )


@on(ev.ActivityCancelled)
async def cancelled(db: asyncpg.Connection, e: ev.ActivityCancelled, env: Envelope) -> None:
    await record(
        db,
        env.office,
        "activities",
        {"activity_id": e.activity_id},
        fill={"community_id": e.community_id},
        state={"state": "cancelled"},
        version=env.streamversion,
    )


@on(ev.SignupAccepted)
@on(ev.SignupWithdrawn)
async def signup(db: asyncpg.Connection, e: ev.SignupAccepted, env: Envelope) -> None:
    taken = isinstance(e, ev.SignupAccepted)
    await record(
        db,
        env.office,
        "signups",
        {"activity_id": e.activity_id, "volunteer_id": e.volunteer_id},
        state={"state": "accepted" if taken else "withdrawn"},
        version=env.streamversion,
    )


@on(ev.HoursRecorded)
async def hours(db: asyncpg.Connection, e: ev.HoursRecorded, env: Envelope) -> None:
    await record(
        db,
        env.office,
        "hours",
        {"record_id": e.record_id},
        fill={"volunteer_id": e.volunteer_id, "source": e.source.value, "recorded_at": env.time},
        state={"hours": e.hours, "state": "pending"},
        version=env.streamversion,
    )


@on(ev.HoursVerified)
async def hours_verified(db: asyncpg.Connection, e: ev.HoursVerified, env: Envelope) -> None:
    await record(
        db,
        env.office,
        "hours",
        {"record_id": e.record_id},
        fill={"volunteer_id": e.volunteer_id, "source": e.source.value},
        state={"hours": e.hours, "state": "verified", "verified_at": env.time},
        version=env.streamversion,
    )


@on(ev.HoursDeclined)
async def hours_declined(db: asyncpg.Connection, e: ev.HoursDeclined, env: Envelope) -> None:
    await record(
        db,
        env.office,
        "hours",
        {"record_id": e.record_id},
        fill={"volunteer_id": e.volunteer_id},
        state={"state": "declined"},
        version=env.streamversion,
    )


@on(ev.HoursCorrected)
async def hours_corrected(db: asyncpg.Connection, e: ev.HoursCorrected, env: Envelope) -> None:
    await record(
        db,
        env.office,
        "hours",
        {"record_id": e.record_id},
        fill={"volunteer_id": e.volunteer_id},
        state={"hours": e.hours, "state": "pending", "verified_at": None},
        version=env.streamversion,
    )


@on(ev.AttendanceRecorded)
async def attendance(db: asyncpg.Connection, e: ev.AttendanceRecorded, env: Envelope) -> None:
    await record(
        db,
        env.office,
        "attendance",
        {"record_id": e.record_id},
        fill={
            "activity_id": e.activity_id,
            "volunteer_id": e.volunteer_id,
            "community_id": e.community_id,
            "checked_in_at": e.checked_in_at,
            "checked_out_at": e.checked_out_at,
        },
    )


@on(ev.CertificateIssued)
async def certificate(db: asyncpg.Connection, e: ev.CertificateIssued, env: Envelope) -> None:
    # Number, verification code and digest stay with the volunteers service.
    await record(
        db,
        env.office,
        "certificates",
        {"certificate_id": e.certificate_id},
        fill={
            "year": e.year,
            "volunteer_id": e.volunteer_id,
            "hours": e.hours,
            "issued_at": env.time,
        },
    )


@on(ev.TeamMemberAdded)
@on(ev.TeamMemberRemoved)
async def membership(db: asyncpg.Connection, e: ev.TeamMemberAdded, env: Envelope) -> None:
    added = isinstance(e, ev.TeamMemberAdded)
    await record(
        db,
        env.office,
        "memberships",
        {"team_id": e.team_id, "volunteer_id": e.volunteer_id},
        state={"member": added, "role": e.role.value if e.role else None},
        version=env.streamversion,
    )


@on(ev.ApplicationSubmitted)
@on(ev.ApplicationAccepted)
@on(ev.ApplicationDeclined)
@on(ev.ApplicationExpired)
async def application(db: asyncpg.Connection, e: ev.ApplicationSubmitted, env: Envelope) -> None:
    """Knowingly nothing yet: an accepted application shows as its `volunteer.registered`,
    which is counted; applications themselves are the office's daily work, not a figure of
    the dashboards (a table of them would be a new read model and a rebuild)."""

"""The service-record certificate (志愿服务记录证明): numbered per year, with a code anyone
can check against the verified hours it covers (《志愿服务记录与证明出具办法》)."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Sequence
from uuid import UUID

from wushe_events.catalogue import Event
from wushe_events.catalogue.volunteers import CertificateIssued, CertifiedRecord
from wushe_events.errors import RuleBroken


def digest(volunteer_id: UUID, records: Sequence[tuple[UUID, float]]) -> str:
    """SHA-256 of the verified records (id, hours) a certificate covers, in a canonical form:
    any correction, decline or new verification changes it."""
    canonical = json.dumps(
        {
            "volunteer_id": str(volunteer_id),
            "records": sorted([str(record_id), f"{hours:.2f}"] for record_id, hours in records),
        },
        separators=(",", ":"),
        sort_keys=True,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def code(certificate_id: UUID, records_digest: str) -> str:
    """16 characters (base32, no look-alike 0/1/8/9) printed on the certificate."""
    raw = hashlib.sha256(certificate_id.bytes + bytes.fromhex(records_digest)).digest()
    return base64.b32encode(raw[:10]).decode()


# Base32 has no 0, 1 or 8: where a reader typed one, they read the letter it looks like.
_LOOK_ALIKES = str.maketrans("018", "OIB", " -\t")


def as_typed(typed: str) -> str:
    """A code as a reader types it off the paper — small letters, in groups, a zero for O —
    as it was printed."""
    return typed.strip().upper().translate(_LOOK_ALIKES)


def issue(
    register_version: int,
    year: int,
    prefix: str,
    certificate_id: UUID,
    volunteer_id: UUID,
    records: Sequence[tuple[UUID, float]],
) -> list[Event]:
    """The next certificate of the year: its number is the year's register version + 1."""
    if not records:
        raise RuleBroken(
            "no_verified_hours", f"volunteer {volunteer_id} has no verified hours to certify"
        )
    records_digest = digest(volunteer_id, records)
    return [
        CertificateIssued(
            year=year,
            certificate_id=certificate_id,
            number=f"{prefix}-{year}-{register_version + 1:06d}",
            code=code(certificate_id, records_digest),
            volunteer_id=volunteer_id,
            hours=round(sum(hours for _, hours in records), 2),
            digest=records_digest,
            records=[
                CertifiedRecord(record_id=record_id, hours=hours) for record_id, hours in records
            ],
        )
    ]


def still_valid(
    volunteer_id: UUID,
    records_digest: str,
    covered: Sequence[tuple[UUID, float]] | None,
    verified: Sequence[tuple[UUID, float]],
) -> bool:
    """Whether a certificate still holds, given the volunteer's verified records now: each
    record it covers is still verified with the same hours (hours verified since do not
    matter). One issued before certificates listed their records (`covered` None) holds while
    the verified records are exactly those it hashed."""
    if covered is None:
        return digest(volunteer_id, verified) == records_digest
    now = {record_id: f"{hours:.2f}" for record_id, hours in verified}
    return all(now.get(record_id) == f"{hours:.2f}" for record_id, hours in covered)

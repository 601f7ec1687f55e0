"""Notes about a person — what a visit found (走访记录), how a need was met: free text that is
personal data of theirs, sealed under the person's own data key (`personal_data.Vault`).

Erasing the person destroys that key and deletes their notes with it. A note is bound to its
person and to what it is about (the associated data), so it cannot be moved to another. As for
their other fields, every note shown is read-logged; the notes themselves never go on the bus
or into a log line.
"""

from __future__ import annotations

import os
from collections.abc import Collection
from uuid import UUID

import asyncpg
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from wushe_service.personal_data import Vault, log_reads


def _bound(subject_id: UUID, about: str) -> bytes:
    return subject_id.bytes + about.encode()


async def seal(
    vault: Vault, db: asyncpg.Connection, subject_id: UUID, notes: dict[str, str]
) -> bool:
    """Store `notes` (what each is about → its text) about the person, in the caller's
    transaction; False, and nothing stored, when they have no data key (erased, or nothing of
    theirs was ever sealed)."""
    data_key = await vault.data_key(db, subject_id, lock=True)
    if data_key is None:
        return False
    sealer = AESGCM(data_key)
    nonces = {about: os.urandom(12) for about in notes}
    await db.executemany(
        """INSERT INTO personal_data_notes (subject_id, about, nonce, ciphertext)
           VALUES ($1, $2, $3, $4)""",
        [
            (
                subject_id,
                about,
                nonces[about],
                sealer.encrypt(nonces[about], text.encode(), _bound(subject_id, about)),
            )
            for about, text in notes.items()
        ],
    )
    return True


async def disclose(
    vault: Vault,
    db: asyncpg.Connection,
    subject_id: UUID,
    about: Collection[str],
    *,
    to: UUID,
    purpose: str,
) -> dict[str, str]:
    """The person's notes on `about` that there are, to be shown to the holder of token `to`:
    the read log records it in the caller's transaction (nothing, when there are none)."""
    rows = await db.fetch(
        """SELECT about, nonce, ciphertext FROM personal_data_notes
           WHERE subject_id = $1 AND about = ANY($2::text[])""",
        subject_id,
        list(about),
    )
    data_key = await vault.data_key(db, subject_id) if rows else None
    if data_key is None:
        return {}
    opener = AESGCM(data_key)
    shown = {
        r["about"]: opener.decrypt(r["nonce"], r["ciphertext"], _bound(subject_id, r["about"]))
        for r in rows
    }
    await log_reads(db, [subject_id], to, purpose)
    return {about: plain.decode() for about, plain in shown.items()}

"""Personal data, sealed per person (crypto-shredding).

Each person's fields (name, ID number, phone, address, notes) are encrypted with AES-GCM under a
data key of their own; that key is stored wrapped (AES-GCM) by the office key. Erasure destroys
the wrapped key: the ciphertext left behind, and any copy of it in backups, is then noise. The
person's id is the associated data, so a sealed record cannot be moved to another person.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import asyncpg
import orjson
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MIGRATIONS = "wushe_service:migrations/personal_data"


def parse_office_key(encoded: str) -> bytes:
    key = base64.b64decode(encoded, validate=True)
    if len(key) != 32:
        raise ValueError("WUSHE_OFFICE_KEY must be the base64 of 32 bytes")
    return key


def new_office_key() -> str:
    return base64.b64encode(AESGCM.generate_key(bit_length=256)).decode()


@dataclass(frozen=True)
class Sealed:
    wrapped_key: bytes
    nonce: bytes
    ciphertext: bytes


class Vault:
    def __init__(self, office_key: bytes) -> None:
        self._office = AESGCM(office_key)

    def seal(self, subject_id: UUID, fields: dict[str, Any]) -> Sealed:
        data_key = AESGCM.generate_key(bit_length=256)
        key_nonce, nonce = os.urandom(12), os.urandom(12)
        wrapped = key_nonce + self._office.encrypt(key_nonce, data_key, subject_id.bytes)
        ciphertext = AESGCM(data_key).encrypt(nonce, orjson.dumps(fields), subject_id.bytes)
        return Sealed(wrapped, nonce, ciphertext)

    def open(self, subject_id: UUID, sealed: Sealed) -> dict[str, Any]:
        key_nonce, wrapped = sealed.wrapped_key[:12], sealed.wrapped_key[12:]
        data_key = self._office.decrypt(key_nonce, wrapped, subject_id.bytes)
        plain = AESGCM(data_key).decrypt(sealed.nonce, sealed.ciphertext, subject_id.bytes)
        result: dict[str, Any] = orjson.loads(plain)
        return result

    async def save(self, db: asyncpg.Connection, subject_id: UUID, fields: dict[str, Any]) -> None:
        """Seal and store (or replace) a person's fields, in the caller's transaction."""
        sealed = self.seal(subject_id, fields)
        await db.execute(
            """INSERT INTO personal_data (subject_id, wrapped_key, nonce, ciphertext)
               VALUES ($1, $2, $3, $4)
               ON CONFLICT (subject_id) DO UPDATE
               SET wrapped_key = excluded.wrapped_key, nonce = excluded.nonce,
                   ciphertext = excluded.ciphertext, sealed_at = now()
               WHERE personal_data.erased_at IS NULL""",
            subject_id,
            sealed.wrapped_key,
            sealed.nonce,
            sealed.ciphertext,
        )

    async def read(self, db: asyncpg.Connection, subject_id: UUID) -> dict[str, Any] | None:
        """The person's fields, or None when there are none or they were erased."""
        row = await db.fetchrow(
            "SELECT wrapped_key, nonce, ciphertext FROM personal_data WHERE subject_id = $1",
            subject_id,
        )
        if row is None or row["wrapped_key"] is None:
            return None
        return self.open(subject_id, Sealed(row["wrapped_key"], row["nonce"], row["ciphertext"]))

    @staticmethod
    async def erase(db: asyncpg.Connection, subject_id: UUID) -> bool:
        """Destroy the person's data key (and ciphertext); True if there was something."""
        status = await db.execute(
            """UPDATE personal_data SET wrapped_key = NULL, ciphertext = '', erased_at = now()
               WHERE subject_id = $1 AND erased_at IS NULL""",
            subject_id,
        )
        return status != "UPDATE 0"

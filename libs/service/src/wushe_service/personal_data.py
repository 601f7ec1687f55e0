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
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import orjson
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import (
    TIMESTAMP,
    Column,
    LargeBinary,
    MetaData,
    Table,
    Uuid,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

MIGRATIONS = "wushe_service:migrations/personal_data"

personal_data = Table(
    "personal_data",
    MetaData(),
    Column("subject_id", Uuid, primary_key=True),
    Column("wrapped_key", LargeBinary),
    Column("nonce", LargeBinary, nullable=False),
    Column("ciphertext", LargeBinary, nullable=False),
    Column("sealed_at", TIMESTAMP(timezone=True)),
    Column("erased_at", TIMESTAMP(timezone=True)),
)


class OfficeKeyMissing(RuntimeError):
    pass


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

    async def save(
        self,
        connection: AsyncConnection,
        subject_id: UUID,
        fields: dict[str, Any],
    ) -> None:
        """Seal and store (or replace) a person's fields, in the caller's transaction."""
        sealed = self.seal(subject_id, fields)
        values = {
            "wrapped_key": sealed.wrapped_key,
            "nonce": sealed.nonce,
            "ciphertext": sealed.ciphertext,
            "sealed_at": datetime.now(UTC),
        }
        statement = insert(personal_data).values(subject_id=subject_id, **values)
        await connection.execute(
            statement.on_conflict_do_update(
                index_elements=[personal_data.c.subject_id],
                set_=values,
                where=personal_data.c.erased_at.is_(None),
            )
        )

    async def read(self, connection: AsyncConnection, subject_id: UUID) -> dict[str, Any] | None:
        """The person's fields, or None when there are none or they were erased."""
        row = (
            await connection.execute(
                select(personal_data).where(personal_data.c.subject_id == subject_id)
            )
        ).first()
        if row is None or row.wrapped_key is None:
            return None
        return self.open(subject_id, Sealed(row.wrapped_key, row.nonce, row.ciphertext))

    @staticmethod
    async def erase(connection: AsyncConnection, subject_id: UUID) -> bool:
        """Destroy the person's data key (and ciphertext); True if there was something."""
        result = await connection.execute(
            update(personal_data)
            .where(personal_data.c.subject_id == subject_id, personal_data.c.erased_at.is_(None))
            .values(wrapped_key=None, ciphertext=b"", erased_at=datetime.now(UTC))
        )
        return bool(result.rowcount)

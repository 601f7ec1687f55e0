"""Personal data, sealed per person (crypto-shredding).

Each person's fields (name, ID number, phone, address, notes) are encrypted with AES-GCM under a
data key of their own; that key is stored wrapped (AES-GCM) by the office key. Erasure destroys
the wrapped key: the ciphertext left behind, and any copy of it in backups, is then noise. The
person's id is the associated data, so a sealed record cannot be moved to another person.

Every time a person's fields are shown to someone, the read log (`personal_data_reads`) records
to which token, for what and when, in the same transaction as the read: auditors see there who
looked at whose data (PIPL asks that processing of personal information be recorded). The
services' own checks (does a wish title name its resident?) read without being logged, as
nothing leaves the service.

A person is found by name, ID number or phone through a blind index: HMAC-SHA256 digests of
those fields under the office's search key (random, stored wrapped by the office key like the
data keys), never the values. One ID number belongs to one person (`AlreadyRegistered`).
Erasure deletes a person's digests with their key: a digest could still confirm a guessed ID
number.

The office key can be rotated without taking the office down: the services start with the new
key as `WUSHE_OFFICE_KEY` and the old one in `WUSHE_OFFICE_KEY_PREVIOUS` (they read under both
and seal under the new one), `wushe keys rotate` re-wraps every data key still under an old
office key, and the old key is then dropped. The personal data itself is never re-encrypted.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import os
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import asyncpg
import orjson
import structlog
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from wushe_events import trace

MIGRATIONS = "wushe_service:migrations/personal_data"
MATCHES = 50  # at most this many people answer a search
INDEXED = ("name", "id_number", "phone")  # the fields a person can be found by
UNIQUE = "id_number"  # one person per ID number
SEARCH_KEY = UUID(int=0)  # the associated data of the wrapped search key (no person has it)
log = structlog.get_logger()


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


class UnknownOfficeKey(Exception):
    def __init__(self, subject_id: UUID) -> None:
        super().__init__(
            f"the personal data of {subject_id} is wrapped by none of the office keys given "
            "(WUSHE_OFFICE_KEY, WUSHE_OFFICE_KEY_PREVIOUS)"
        )


class AlreadyRegistered(Exception):
    def __init__(self, field: str, subject_id: UUID) -> None:
        super().__init__(f"the {field} is already registered to {subject_id}")
        self.field = field
        self.subject_id = subject_id


def normalised(field: str, value: str) -> str:
    """The form a value is indexed and looked up in: no spaces, one case (王 秀英 = 王秀英); a
    phone number's digits (0574-62345678 = 057462345678)."""
    packed = "".join(str(value).split()).casefold()
    if field == "phone":
        return packed.removeprefix("+86").replace("-", "")
    return packed


@dataclass(frozen=True)
class Rotation:
    rewrapped: int  # data keys moved from an old office key to the current one
    current: int  # data keys already under the current office key
    unreadable: int  # data keys under none of the keys given: left as they are


class Vault:
    def __init__(self, office_key: bytes, previous: Sequence[bytes] = ()) -> None:
        self._office = AESGCM(office_key)
        self._previous = [AESGCM(key) for key in previous]
        self._search: bytes | None = None  # loaded by `prepare_search`

    def _wrap(self, subject_id: UUID, data_key: bytes) -> bytes:
        key_nonce = os.urandom(12)
        return key_nonce + self._office.encrypt(key_nonce, data_key, subject_id.bytes)

    def _unwrap(self, subject_id: UUID, wrapped: bytes) -> tuple[bytes, bool]:
        """The data key, and whether the current office key wrapped it."""
        key_nonce, body = wrapped[:12], wrapped[12:]
        for office in (self._office, *self._previous):
            try:
                return office.decrypt(key_nonce, body, subject_id.bytes), office is self._office
            except InvalidTag:
                continue
        raise UnknownOfficeKey(subject_id)

    def seal(
        self, subject_id: UUID, fields: dict[str, Any], data_key: bytes | None = None
    ) -> Sealed:
        """The person's fields sealed under their data key (a new one when not given)."""
        data_key = data_key or AESGCM.generate_key(bit_length=256)
        nonce = os.urandom(12)
        ciphertext = AESGCM(data_key).encrypt(nonce, orjson.dumps(fields), subject_id.bytes)
        return Sealed(self._wrap(subject_id, data_key), nonce, ciphertext)

    def sealed_again(self, subject_id: UUID, sealed: Sealed, fields: dict[str, Any]) -> Sealed:
        """`fields` sealed under the data key of `sealed`, with a nonce of their own: a person
        keeps one data key while they are kept, the one that erasure destroys."""
        data_key, _current = self._unwrap(subject_id, sealed.wrapped_key)
        nonce = os.urandom(12)  # never a nonce twice under one key (AES-GCM)
        ciphertext = AESGCM(data_key).encrypt(nonce, orjson.dumps(fields), subject_id.bytes)
        return Sealed(sealed.wrapped_key, nonce, ciphertext)

    def open(self, subject_id: UUID, sealed: Sealed) -> dict[str, Any]:
        data_key, _current = self._unwrap(subject_id, sealed.wrapped_key)
        plain = AESGCM(data_key).decrypt(sealed.nonce, sealed.ciphertext, subject_id.bytes)
        result: dict[str, Any] = orjson.loads(plain)
        return result

    def rewrapped(self, subject_id: UUID, wrapped: bytes) -> bytes | None:
        """The data key wrapped by the current office key, or None if it already is."""
        data_key, current = self._unwrap(subject_id, wrapped)
        return None if current else self._wrap(subject_id, data_key)

    async def check_office_key(self, runtime: Any) -> None:
        """At start: refuse an office key that cannot open the latest sealed record, rather
        than fail every read of personal data later."""
        async with runtime.store.connection() as db:
            row = await db.fetchrow(
                """SELECT subject_id, wrapped_key FROM personal_data
                   WHERE wrapped_key IS NOT NULL ORDER BY sealed_at DESC LIMIT 1"""
            )
        if row is not None:
            self._unwrap(row["subject_id"], row["wrapped_key"])

    async def prepare_search(self, runtime: Any) -> None:
        """At start: load the search key (made on first use, by whichever replica is first) and
        index the people stored before there was an index."""
        async with runtime.store.connection() as db:
            await self.load_search_key(db)
            await self.index_missing(db)

    async def load_search_key(self, db: asyncpg.Connection) -> None:
        await db.execute(
            """INSERT INTO personal_data_keys (purpose, wrapped_key) VALUES ('search', $1)
               ON CONFLICT (purpose) DO NOTHING""",
            self._wrap(SEARCH_KEY, AESGCM.generate_key(bit_length=256)),
        )
        wrapped = await db.fetchval(
            "SELECT wrapped_key FROM personal_data_keys WHERE purpose = 'search'"
        )
        self._search, _current = self._unwrap(SEARCH_KEY, wrapped)

    def digest(self, field: str, value: str) -> bytes:
        if self._search is None:
            raise RuntimeError("the search key is not loaded (Vault.prepare_search)")
        message = f"{field}\0{normalised(field, value)}".encode()
        return hmac.new(self._search, message, hashlib.sha256).digest()

    async def find(
        self, db: asyncpg.Connection, fields: dict[str, str], limit: int | None = MATCHES
    ) -> list[UUID]:
        """The people whose indexed fields equal all of `fields` (normalised), by id: the first
        `limit` (a search names someone; it does not list everyone); None: all of them, for a
        caller that narrows them down further before it takes the first `MATCHES`."""
        found: set[UUID] | None = None
        for field, value in fields.items():
            rows = await db.fetch(
                "SELECT subject_id FROM personal_data_index WHERE field = $1 AND digest = $2",
                field,
                self.digest(field, value),
            )
            matches = {row["subject_id"] for row in rows}
            found = matches if found is None else found & matches
        return sorted(found or ())[:limit]

    async def holders(
        self, db: asyncpg.Connection, field: str, values: Collection[str]
    ) -> list[UUID]:
        """The people whose `field` equals any of `values` (normalised), in one query: a text
        is checked against everyone's names that way without opening anyone's data. Erased
        people have no digests, so are never among them."""
        if not values:
            return []
        rows = await db.fetch(
            """SELECT DISTINCT subject_id FROM personal_data_index
               WHERE field = $1 AND digest = ANY($2::bytea[])""",
            field,
            [self.digest(field, value) for value in set(values)],
        )
        return sorted(row["subject_id"] for row in rows)

    async def _index(
        self, db: asyncpg.Connection, subject_id: UUID, fields: dict[str, Any]
    ) -> None:
        """Replace the person's digests; AlreadyRegistered if their ID number is another's."""
        rows = [
            (subject_id, field, self.digest(field, fields[field]))
            for field in INDEXED
            if fields.get(field)
        ]
        try:
            async with db.transaction():  # a savepoint: the look-up below runs after a clash
                await db.execute(
                    "DELETE FROM personal_data_index WHERE subject_id = $1", subject_id
                )
                await db.executemany("INSERT INTO personal_data_index VALUES ($1, $2, $3)", rows)
        except asyncpg.UniqueViolationError:
            other = await db.fetchval(
                "SELECT subject_id FROM personal_data_index WHERE field = $1 AND digest = $2",
                UNIQUE,
                self.digest(UNIQUE, fields[UNIQUE]),
            )
            raise AlreadyRegistered(UNIQUE, other) from None

    async def index_missing(self, db: asyncpg.Connection, batch: int = 500) -> int:
        """Index the people with sealed data and no digests yet; how many were indexed."""
        indexed = 0
        while rows := await db.fetch(
            """SELECT p.subject_id, p.wrapped_key, p.nonce, p.ciphertext FROM personal_data p
               WHERE p.wrapped_key IS NOT NULL AND NOT EXISTS
                     (SELECT 1 FROM personal_data_index i WHERE i.subject_id = p.subject_id)
               LIMIT $1""",
            batch,
        ):
            progress = indexed
            for row in rows:
                subject_id = row["subject_id"]
                fields = self.open(
                    subject_id, Sealed(row["wrapped_key"], row["nonce"], row["ciphertext"])
                )
                if not any(fields.get(field) for field in INDEXED):
                    continue
                try:
                    await self._index(db, subject_id, fields)
                except AlreadyRegistered as clash:  # registered twice before the index:
                    log.warning(  # both kept, the second findable by name and phone only
                        "personal_data_duplicate",
                        subject_id=str(subject_id),
                        other=str(clash.subject_id),
                    )
                    await self._index(db, subject_id, {**fields, UNIQUE: None})
                indexed += 1
            if indexed == progress:
                break  # the rest has nothing to index by
        return indexed

    async def rotate(self, db: asyncpg.Connection, batch: int = 500) -> Rotation:
        """Re-wrap every data key still under a previous office key with the current one.

        Each update applies only if the row still holds the key it read, so a record re-sealed
        or erased meanwhile is left as the service made it; running it again is harmless."""
        rewrapped = current = unreadable = 0
        search = await db.fetchval(
            "SELECT wrapped_key FROM personal_data_keys WHERE purpose = 'search'"
        )
        with contextlib.suppress(UnknownOfficeKey):  # as unreadable data: left as it is
            if search is not None and (new := self.rewrapped(SEARCH_KEY, search)) is not None:
                await db.execute(
                    "UPDATE personal_data_keys SET wrapped_key = $1 WHERE purpose = 'search'",
                    new,
                )
        after: UUID | None = None
        while rows := await db.fetch(
            """SELECT subject_id, wrapped_key FROM personal_data
               WHERE wrapped_key IS NOT NULL AND ($1::uuid IS NULL OR subject_id > $1)
               ORDER BY subject_id LIMIT $2""",
            after,
            batch,
        ):
            for row in rows:
                try:
                    new = self.rewrapped(row["subject_id"], row["wrapped_key"])
                except UnknownOfficeKey:
                    unreadable += 1
                    continue
                if new is None:
                    current += 1
                    continue
                status = await db.execute(
                    """UPDATE personal_data SET wrapped_key = $2
                       WHERE subject_id = $1 AND wrapped_key = $3""",
                    row["subject_id"],
                    new,
                    row["wrapped_key"],
                )
                rewrapped += status == "UPDATE 1"
            after = rows[-1]["subject_id"]
        return Rotation(rewrapped, current, unreadable)

    async def save(self, db: asyncpg.Connection, subject_id: UUID, fields: dict[str, Any]) -> None:
        """Seal and store (or replace) a person's fields and their digests, in the caller's
        transaction; AlreadyRegistered if the ID number is another person's. A person sealed
        before keeps their data key, which also seals their notes (`wushe_service.notes`)."""
        sealed = self.seal(subject_id, fields, await self.data_key(db, subject_id, lock=True))
        status = await db.execute(
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
        if status != "INSERT 0 0":  # erased people stay erased, and unfindable
            await self._index(db, subject_id, fields)

    async def reseal(
        self, db: asyncpg.Connection, subject_id: UUID, fields: dict[str, Any]
    ) -> bool:
        """Replace a person's fields (a correction) under their own data key, and their
        digests, in the caller's transaction; AlreadyRegistered if the ID number is another
        person's. False, and nothing done, when they have no sealed data or were erased."""
        row = await db.fetchrow(
            """SELECT wrapped_key, nonce, ciphertext FROM personal_data
               WHERE subject_id = $1 AND wrapped_key IS NOT NULL FOR UPDATE""",
            subject_id,
        )
        if row is None:
            return False
        sealed = self.sealed_again(
            subject_id, Sealed(row["wrapped_key"], row["nonce"], row["ciphertext"]), fields
        )
        await db.execute(
            """UPDATE personal_data SET nonce = $2, ciphertext = $3, sealed_at = now()
               WHERE subject_id = $1""",
            subject_id,
            sealed.nonce,
            sealed.ciphertext,
        )
        await self._index(db, subject_id, fields)
        return True

    async def data_key(
        self, db: asyncpg.Connection, subject_id: UUID, *, lock: bool = False
    ) -> bytes | None:
        """The person's data key; None once erased or when nothing of theirs is sealed. With
        `lock`, to seal under it: their row is locked until the transaction ends, so that an
        erasure waits for what is being sealed, and then shreds it too."""
        wrapped = await db.fetchval(
            "SELECT wrapped_key FROM personal_data WHERE subject_id = $1"
            + (" FOR UPDATE" if lock else ""),
            subject_id,
        )
        return None if wrapped is None else self._unwrap(subject_id, wrapped)[0]

    async def read(self, db: asyncpg.Connection, subject_id: UUID) -> dict[str, Any] | None:
        """The person's fields, or None when there are none or they were erased; not logged:
        for the service's own checks (`disclose` what a person will see)."""
        row = await db.fetchrow(
            "SELECT wrapped_key, nonce, ciphertext FROM personal_data WHERE subject_id = $1",
            subject_id,
        )
        if row is None or row["wrapped_key"] is None:
            return None
        return self.open(subject_id, Sealed(row["wrapped_key"], row["nonce"], row["ciphertext"]))

    async def disclose(
        self, db: asyncpg.Connection, subject_id: UUID, *, to: UUID, purpose: str
    ) -> dict[str, Any] | None:
        """The person's fields, to be shown to the holder of token `to`: the read log records
        it in the caller's transaction. None, and nothing logged, when there are none."""
        fields = await self.read(db, subject_id)
        if fields is not None:
            await log_reads(db, [subject_id], to, purpose)
        return fields

    async def disclose_many(
        self,
        db: asyncpg.Connection,
        subject_ids: Collection[UUID],
        *,
        fields: Sequence[str],
        to: UUID,
        purpose: str,
    ) -> dict[UUID, dict[str, Any]]:
        """`fields` of each of these people, to be shown in a list to the holder of token `to`:
        one query for them all, and a row in the read log per person shown (in the caller's
        transaction). Those erased, or without any of `fields`, are left out and not logged.
        A page of 200 opens in about a millisecond: on the event loop, no thread hop."""
        rows = await db.fetch(
            """SELECT subject_id, wrapped_key, nonce, ciphertext FROM personal_data
               WHERE subject_id = ANY($1::uuid[]) AND wrapped_key IS NOT NULL""",
            list(set(subject_ids)),
        )
        shown: dict[UUID, dict[str, Any]] = {}
        for row in rows:
            sealed = Sealed(row["wrapped_key"], row["nonce"], row["ciphertext"])
            opened = self.open(row["subject_id"], sealed)
            if picked := {f: opened[f] for f in fields if opened.get(f) is not None}:
                shown[row["subject_id"]] = picked
        if shown:
            await log_reads(db, list(shown), to, purpose)
        return shown

    @staticmethod
    async def erase(db: asyncpg.Connection, subject_id: UUID) -> bool:
        """Destroy the person's data key (and ciphertext, and their notes); True if there was
        something."""
        status = await db.execute(
            """UPDATE personal_data SET wrapped_key = NULL, ciphertext = '', erased_at = now()
               WHERE subject_id = $1 AND erased_at IS NULL""",
            subject_id,
        )
        await db.execute("DELETE FROM personal_data_index WHERE subject_id = $1", subject_id)
        await db.execute("DELETE FROM personal_data_notes WHERE subject_id = $1", subject_id)
        return status != "UPDATE 0"


async def log_reads(
    db: asyncpg.Connection, subject_ids: list[UUID], to: UUID, purpose: str
) -> None:
    """The read log: these people's personal data was shown to token `to`, now."""
    await db.execute(
        """INSERT INTO personal_data_reads (subject_id, reader, purpose, correlation_id)
           SELECT unnest($1::uuid[]), $2, $3, $4""",
        subject_ids,
        to,
        purpose,
        trace.current().correlation_id,
    )

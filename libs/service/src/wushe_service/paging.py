"""Keyset paging for list endpoints: `limit` and an opaque `cursor` (DESIGN §5)."""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Annotated, Any, Generic, TypeVar
from uuid import UUID

import asyncpg
import orjson
from fastapi import Query
from pydantic import BaseModel

from wushe_service.error_pages import REFERENCES, Refusal
from wushe_service.sql import Condition, where

T = TypeVar("T")

Limit = Annotated[int, Query(ge=1, le=200, description="items per page")]
Cursor = Annotated[str | None, Query(description="next_cursor of the previous page")]


class BadCursor(Refusal):
    """A cursor no list gave out (422)."""

    def __init__(self) -> None:
        reason = REFERENCES["invalid_cursor"]
        message = "not a cursor this list gave out"
        invalid = ("query.cursor", message, "invalid_cursor")
        super().__init__(422, f"cursor: {message}", ("cursor", reason), invalid=invalid)


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


def encode(values: tuple[Any, ...]) -> str:
    plain = [
        v.isoformat() if isinstance(v, datetime) else str(v) if isinstance(v, UUID) else v
        for v in values
    ]
    return base64.urlsafe_b64encode(orjson.dumps(plain)).decode().rstrip("=")


def decode(cursor: str | None, *kinds: type) -> tuple[Any, ...] | None:
    """The sort key a cursor stands for, as `kinds` (datetime, UUID, str, int); 422 if bad."""
    if cursor is None:
        return None
    try:
        raw = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if len(raw) != len(kinds):
            raise ValueError
        values = tuple(_value(k, v) for k, v in zip(kinds, raw, strict=True))
    except (ValueError, TypeError, AttributeError):
        raise BadCursor from None
    return values


def _value(kind: type, value: Any) -> Any:
    if kind is int:
        if type(value) is not int or not -(2**63) <= value < 2**63:  # PostgreSQL's bigint
            raise ValueError(value)
        return value
    if not isinstance(value, str):
        raise ValueError(value)
    if kind is datetime:
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:
            raise ValueError(value)
        try:
            return moment.astimezone(UTC)  # what PostgreSQL can hold; 9999-12-31T23:00-05:00 not
        except OverflowError:
            raise ValueError(value) from None
    return kind(value)


def page(rows: list[dict[str, Any]], limit: int, key: tuple[str, ...]) -> Page[dict[str, Any]]:
    """A page of `rows` (fetched with `limit + 1`): the extra row means there is a next page."""
    if len(rows) <= limit:
        return Page(items=rows)
    last = rows[limit - 1]
    return Page(items=rows[:limit], next_cursor=encode(tuple(last[k] for k in key)))


async def fetch_page(
    db: asyncpg.Connection,
    select: str,
    filters: Sequence[Condition],
    key: Mapping[str, type],
    limit: int,
    cursor: str | None,
) -> Page[dict[str, Any]]:
    """A page of the rows of `select` (`SELECT … FROM …`) that match `filters`, in the order of
    `key` (its columns, unique together, with their types) from after `cursor`."""
    columns = ", ".join(key)
    after = (f"({columns}) > ({', '.join('?' for _ in key)})", decode(cursor, *key.values()))
    sql, args = where(*filters, after)
    rows = await db.fetch(f"{select}{sql} ORDER BY {columns} LIMIT {limit + 1}", *args)
    return page([dict(r) for r in rows], limit, tuple(c.rsplit(".", 1)[-1] for c in key))

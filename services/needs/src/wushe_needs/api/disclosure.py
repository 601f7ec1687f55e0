"""Residents' names in the lists a social worker works from, when asked for (`?with=
personal_data`): each resident shown is read-logged, so a list fetched for its counts or by
another role discloses nobody (个人信息保护法 art. 6: no more than the purpose needs)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Annotated, Any, Literal
from uuid import UUID

import asyncpg
from fastapi import HTTPException, Query

from wushe_needs.api.roles import MAY_READ_PERSONAL_DATA
from wushe_service.api import Principal
from wushe_service.personal_data import Vault

With = Annotated[
    Literal["personal_data"] | None,
    Query(
        alias="with",
        description="personal_data: each row with the resident's name (the visit list: also "
        "address and phone); social workers and admins, each resident shown is read-logged",
    ),
]
Shown = dict[UUID, dict[str, Any]]


async def disclosed(
    db: asyncpg.Connection,
    vault: Vault,
    who: Principal,
    wanted: str | None,
    resident_ids: Iterable[UUID | None],
    *,
    purpose: str,
    fields: Sequence[str] = ("name",),
) -> Shown | None:
    """The residents' `fields` to show `who`, or None when the list was asked for without."""
    if wanted is None:
        return None
    if who.role not in MAY_READ_PERSONAL_DATA:
        allowed = ", ".join(sorted(MAY_READ_PERSONAL_DATA))
        raise HTTPException(
            403,
            f"with: role {who.role.value} may not read residents' personal data "
            f"(allowed: {allowed})",
        )
    async with db.transaction():  # the read log is written with the read
        return await vault.disclose_many(
            db,
            {i for i in resident_ids if i is not None},
            fields=fields,
            to=who.token_id,
            purpose=f"{purpose}: {', '.join(fields)}",
        )


def with_personal_data(items: list[dict[str, Any]], shown: Shown | None) -> list[dict[str, Any]]:
    """Residents' rows, each with its `personal_data` (None once erased)."""
    if shown is None:
        return items
    return [{**item, "personal_data": shown.get(item["resident_id"])} for item in items]


def with_resident_names(items: list[dict[str, Any]], shown: Shown | None) -> list[dict[str, Any]]:
    """Rows of needs or wishes, each with its `resident_name` (None: nobody's, or erased)."""
    if shown is None:
        return items
    return [
        {**item, "resident_name": shown.get(item["resident_id"], {}).get("name")} for item in items
    ]

"""What the API shows of residents' personal data beyond their record, to social workers and
admins only, each showing read-logged: names in the lists they work from when asked for (`?with=
personal_data`, so that a list fetched for its counts discloses nobody: 个人信息保护法 art. 6,
no more than the purpose needs), and the notes kept with surveys and needs. A token of a street
is shown those of the residents it serves only (`api.streets`); the others stay pseudonymous,
not read-logged."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Annotated, Any, Literal
from uuid import UUID

import asyncpg
from fastapi import Query

from wushe_needs.api.roles import MAY_READ_PERSONAL_DATA
from wushe_needs.api.streets import served
from wushe_needs.commands.notes import of_event
from wushe_service import notes
from wushe_service.api import Principal
from wushe_service.forbidden import Forbidden
from wushe_service.paging import Page
from wushe_service.personal_data import Vault

With = Annotated[
    Literal["personal_data"] | None,
    Query(
        alias="with",
        description="personal_data: each row with the resident's name (the visit list: also "
        "address and phone); social workers and admins, each resident shown is read-logged. "
        "A token of a street: personal_data null on the rows of residents it does not serve",
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
    """The residents' `fields` to show `who`, or None when the list was asked for without;
    only those of the residents `who` serves (the other rows' `personal_data` is null)."""
    if wanted is None:
        return None
    if who.role not in MAY_READ_PERSONAL_DATA:
        allowed = sorted(r.value for r in MAY_READ_PERSONAL_DATA)
        raise Forbidden(
            "role_not_allowed",
            f"with: role {who.role.value} may not read residents' personal data "
            f"(allowed: {', '.join(allowed)})",
            field="with",
            role=who.role.value,
            allowed_roles=allowed,
        )
    async with db.transaction():  # the read log is written with the read
        return await vault.disclose_many(
            db,
            await served(db, who, (i for i in resident_ids if i is not None)),
            fields=fields,
            to=who.token_id,
            purpose=f"{purpose}: {', '.join(fields)}",
        )


async def may_read_personal_data(db: asyncpg.Connection, who: Principal, resident_id: UUID) -> bool:
    """Whether `who` is shown this resident's personal data: by role, and if served."""
    return who.role in MAY_READ_PERSONAL_DATA and bool(await served(db, who, [resident_id]))


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


async def notes_shown(
    db: asyncpg.Connection,
    vault: Vault,
    who: Principal,
    resident_id: UUID,
    about: Sequence[str],
    *,
    purpose: str,
) -> dict[str, str] | None:
    """The resident's notes on `about` that there are, if `who` may read them (else None)."""
    if not await may_read_personal_data(db, who, resident_id):
        return None
    async with db.transaction():  # the read log is written with the read
        return await notes.disclose(vault, db, resident_id, about, to=who.token_id, purpose=purpose)


async def with_notes(
    db: asyncpg.Connection,
    vault: Vault,
    who: Principal,
    resident_id: UUID,
    case_file: Page[dict[str, Any]],
) -> Page[dict[str, Any]]:
    """The case file's events, those with notes showing them if `who` may read them."""
    about = {e["position"]: of_event(e["type"], e["data"]) for e in case_file.items}
    wanted = [a for a in about.values() if a is not None]
    shown = wanted and await notes_shown(db, vault, who, resident_id, wanted, purpose="case file")
    if not shown:
        return case_file
    items = [
        e | {"notes": shown[a]} if (a := about[e["position"]]) in shown else e
        for e in case_file.items
    ]
    return case_file.model_copy(update={"items": items})

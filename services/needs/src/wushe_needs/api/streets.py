"""Which residents a token serves (个人信息保护法: no more personal data than the purpose
needs). A social worker of a street's social work station (社工站) serves the residents of that
street's communities: a token with a street is shown the personal data and sealed notes of
those residents only, and acts on no other resident's record. A token without one serves the
whole office.

Reads outside the street stay, pseudonymous: the row or record as an auditor sees it, nothing
read-logged. Writes outside it are refused (403) before anything is appended, naming the token's
street and the community's. A resident's street is their community's, as the `communities`
table has it now: moving a community to another street moves whom it is served by.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated
from uuid import UUID

import asyncpg
from fastapi import Depends

from wushe_needs import queries
from wushe_needs.api.roles import SocialWorker
from wushe_service.api import Principal, Store
from wushe_service.forbidden import Forbidden


def serves(who: Principal, street: str | None) -> bool:
    """Whether `who` serves the residents of a community on `street` (None: no such community,
    served by office-wide tokens only)."""
    return who.street is None or who.street == street


async def served(db: asyncpg.Connection, who: Principal, resident_ids: Iterable[UUID]) -> set[UUID]:
    """Those of `resident_ids` whom `who` serves."""
    wanted = set(resident_ids)
    if who.street is None or not wanted:
        return wanted
    return await queries.living_on(db, list(wanted), who.street)


async def refuse_unless_serving_community(
    db: asyncpg.Connection, who: Principal, community_id: str, field: str = "community_id"
) -> None:
    """403 unless `who` serves the community. A community the office does not have is left to
    the command, which names it as it always has."""
    if who.street is None:
        return
    street = await queries.street_of(db, community_id)
    if street is not None and not serves(who, street):
        raise _outside(field, who, community_id, street)


async def refuse_unless_serving_resident(
    db: asyncpg.Connection, who: Principal, resident_id: UUID, field: str = "resident_id"
) -> None:
    """403 unless `who` serves the resident. A resident the office does not have is left to
    the command (404)."""
    if who.street is None:
        return
    home = await queries.home_of(db, resident_id)
    if home is not None and not serves(who, home[1]):
        raise _outside(field, who, *home)


async def refuse_unless_serving_need(
    db: asyncpg.Connection, who: Principal, need_id: UUID, field: str = "need_id"
) -> None:
    """403 unless `who` serves the need's community (its resident's): resolving or
    reprioritising it acts on the resident's case. An unknown need is left to the command."""
    if who.street is not None and (found := await queries.need(db, need_id)) is not None:
        await refuse_unless_serving_community(db, who, found["community_id"], field)


async def refuse_unless_serving_wish(db: asyncpg.Connection, who: Principal, wish_id: UUID) -> None:
    """403 unless `who` serves the community the wish was posted in: confirming or cancelling
    it. An unknown wish is left to the command."""
    if who.street is not None and (found := await queries.wish(db, wish_id)) is not None:
        await refuse_unless_serving_community(db, who, found["community_id"], "wish_id")


def refuse_unless_serving_street(who: Principal, street: str, field: str = "street") -> None:
    """403 unless `street` is the token's: a community put on another street would be out of
    its reach, and one brought onto its street would open residents it does not serve."""
    if not serves(who, street):
        raise Forbidden(
            "outside_your_street",
            f"{field}: this token serves {who.street}, not {street}",
            field=field,
            token_street=who.street,
            street=street,
        )


def _outside(field: str, who: Principal, community_id: str, street: str) -> Forbidden:
    return Forbidden(
        "outside_your_street",
        f"{field}: this token serves {who.street}; community {community_id} is on {street}",
        field=field,
        token_street=who.street,
        street=street,
        community_id=community_id,
    )


async def _serving_resident(resident_id: UUID, store: Store, who: SocialWorker) -> Principal:
    async with store.connection() as db:
        await refuse_unless_serving_resident(db, who, resident_id)
    return who


# A social worker (or admin) acting on the resident of the path, who must be one they serve.
ServingSocialWorker = Annotated[Principal, Depends(_serving_resident)]

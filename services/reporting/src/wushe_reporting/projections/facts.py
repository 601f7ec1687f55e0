"""Writing facts idempotently: the one upsert every projection uses."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import asyncpg

from wushe_events.catalogue import Event
from wushe_events.envelope import Envelope

Apply = Callable[[asyncpg.Connection, Any, Envelope], Awaitable[None]]


def registry() -> tuple[
    dict[type[Event], Apply], Callable[[type[Event]], Callable[[Apply], Apply]]
]:
    """A module's table of projection functions and the decorator that fills it."""
    table: dict[type[Event], Apply] = {}

    def on(event_type: type[Event]) -> Callable[[Apply], Apply]:
        def register(apply: Apply) -> Apply:
            table[event_type] = apply
            return apply

        return register

    return table, on


async def record(
    db: asyncpg.Connection,
    office: str,
    table: str,
    key: Mapping[str, Any],
    *,
    fill: Mapping[str, Any] | None = None,
    state: Mapping[str, Any] | None = None,
    placed: Mapping[str, Any] | None = None,
    earliest: Mapping[str, Any] | None = None,
    latest: Mapping[str, Any] | None = None,
    version: int | None = None,
) -> None:
    """Upsert one fact of `office`: `fill` columns are set once, `state` columns follow the
    newest `version` (an older event never undoes a newer one), `earliest` columns keep the
    smallest value seen and `latest` ones the greatest. `placed` columns (where the fact is:
    its community, which a move changes) follow the newest version too, counted apart
    (`placed_version`): a move carries no state, and a change of state and a move may arrive
    in either order."""
    fill, state, placed = fill or {}, state or {}, placed or {}
    earliest, latest = earliest or {}, latest or {}
    values: dict[str, Any] = {"office": office, **key, **fill, **state, **placed}
    values |= {**earliest, **latest}
    updates = [f"{c} = coalesce({table}.{c}, excluded.{c})" for c in fill]
    updates += [f"{c} = least({table}.{c}, excluded.{c})" for c in earliest]
    updates += [f"{c} = greatest({table}.{c}, excluded.{c})" for c in latest]
    for versioned, counter in ((state, "version"), (placed, "placed_version")):
        if not versioned:
            continue
        if version is None:
            updates += [f"{c} = excluded.{c}" for c in versioned]
            continue
        values[counter] = version
        newer = f"excluded.{counter} >= {table}.{counter}"
        updates += [
            f"{c} = CASE WHEN {newer} THEN excluded.{c} ELSE {table}.{c} END" for c in versioned
        ]
        updates.append(f"{counter} = greatest({table}.{counter}, excluded.{counter})")
    columns = ", ".join(values)
    placeholders = ", ".join(f"${n}" for n in range(1, len(values) + 1))
    conflict = f"DO UPDATE SET {', '.join(updates)}" if updates else "DO NOTHING"
    await db.execute(
        f"""INSERT INTO {table} ({columns}) VALUES ({placeholders})
            ON CONFLICT (office, {", ".join(key)}) {conflict}""",
        *values.values(),
    )

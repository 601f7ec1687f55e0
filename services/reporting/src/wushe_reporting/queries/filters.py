"""The filters every figure takes: office, street, community and period (in office time)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg

# Months and periods are those of the offices' calendar.
OFFICE_TIME = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Filters:
    office: str | None = None
    street: str | None = None
    community: str | None = None
    start: date | None = None  # first day of the period
    end: date | None = None  # first day after it
    at: datetime | None = None  # the moment stocks are counted at: now, or a snapshot's day end

    @property
    def moment(self) -> datetime:
        return self.at or datetime.now(UTC)

    def scope(self, alias: str, *, community: str = "community_id") -> tuple[str, list[Any]]:
        """SQL conditions (with `$n` from 1) restricting `alias` to the office and place."""
        clauses, args = [], []
        if self.office:
            args.append(self.office)
            clauses.append(f"{alias}.office = ${len(args)}")
        if self.community:
            args.append(self.community)
            clauses.append(f"{alias}.{community} = ${len(args)}")
        if self.street:
            args.append(self.street)
            clauses.append(
                f"""EXISTS (SELECT 1 FROM communities c WHERE c.office = {alias}.office
                    AND c.community_id = {alias}.{community} AND c.street = ${len(args)})"""
            )
        return " AND ".join(clauses) or "true", args

    def period(self, column: str, args: list[Any]) -> str:
        clauses = []
        if self.start:
            args.append(datetime.combine(self.start, datetime.min.time(), OFFICE_TIME))
            clauses.append(f"{column} >= ${len(args)}")
        if self.end:
            args.append(datetime.combine(self.end, datetime.min.time(), OFFICE_TIME))
            clauses.append(f"{column} < ${len(args)}")
        return " AND ".join(clauses) or "true"

    @property
    def stock_end(self) -> datetime:
        """Where a stock (a balance) is counted up to: the period's end, or the moment."""
        if self.end:
            return min(datetime.combine(self.end, datetime.min.time(), OFFICE_TIME), self.moment)
        return self.moment

    @property
    def placed(self) -> bool:
        """Whether the figures are for a street or community (office-wide facts drop out)."""
        return bool(self.street or self.community)


# Where counts are counted: () for the filter's own place, (office, community_id) for each of
# its communities.
Place = tuple[str, ...]


@dataclass(frozen=True)
class Per:
    """What a query's counts are grouped by besides their own key: the filter's place as one
    (`ONE`), or each of its communities (`COMMUNITY`) — one query for all of them at once."""

    community: bool = False

    def select(self, alias: str) -> str:
        """The place's columns before a query's own, each with its comma: "" for `ONE`."""
        return "".join(f"{c}, " for c in self._columns(alias))

    def group(self, alias: str, key: str | None = None) -> str:
        """A GROUP BY list: the place's columns and `key`; `()` (a single group, so a count
        of no rows is one row of 0) when there is neither."""
        return ", ".join([*self._columns(alias), *([key] if key else [])]) or "()"

    def _columns(self, alias: str) -> list[str]:
        return [f"{alias}.office", f"{alias}.community_id"] if self.community else []

    @property
    def width(self) -> int:
        return 2 if self.community else 0


ONE = Per()
COMMUNITY = Per(community=True)


async def tallies(
    db: asyncpg.Connection, sql: str, args: list[Any], per: Per
) -> dict[Place, dict[str, int]]:
    """`sql`'s rows (the place's columns by `per`, a key, a count) as a tally per place; rows
    of no key left out."""
    out: dict[Place, dict[str, int]] = {}
    for r in await db.fetch(sql, *args):
        if r[per.width] is not None:
            out.setdefault(tuple(r[: per.width]), {})[str(r[per.width])] = r[per.width + 1]
    return out


async def counts(db: asyncpg.Connection, sql: str, args: list[Any], per: Per) -> dict[Place, int]:
    """`sql`'s rows (the place's columns by `per`, a count) as a count per place."""
    return {tuple(r[: per.width]): r[per.width] for r in await db.fetch(sql, *args)}


async def tally(db: asyncpg.Connection, sql: str, args: list[Any]) -> dict[str, int]:
    return (await tallies(db, sql, args, ONE)).get((), {})


@dataclass(frozen=True)
class Unknown:
    """A place of a filter the read models do not know: its parameter, and why in English
    (the API's answer) and in Chinese (a page's)."""

    field: str
    english: str
    chinese: str


async def unknown_place(
    db: asyncpg.Connection, f: Filters, configured: Collection[str] = ()
) -> Unknown | None:
    """What of the filter's office, street and community the read models do not know (a typo
    reads as zeros otherwise); None when all are known. A place known with no facts in the
    period is known, as is a `configured` office before its first event."""
    if (
        f.office
        and f.office not in configured
        and not await db.fetchval("SELECT 1 FROM offices WHERE office = $1", f.office)
    ):
        seen = await db.fetch("SELECT office FROM offices")
        known = ", ".join(sorted({r["office"] for r in seen} | set(configured)))
        return Unknown(
            "office",
            f"office {f.office}: no event of it yet; offices: {known or 'none'}",
            f"还没有机构“{f.office}”的任何数据，请检查网址。已知的机构：{known or '暂无'}",
        )
    where = "c.name IS NOT NULL AND ($1::text IS NULL OR c.office = $1)"
    within = f" in office {f.office}" if f.office else ""
    if f.street and not await db.fetchval(
        f"SELECT 1 FROM communities c WHERE {where} AND c.street = $2 LIMIT 1", f.office, f.street
    ):
        return Unknown(
            "street",
            f"street {f.street}: no community of it{within}",
            f"{_in_zh(f.office)}没有属于街道“{f.street}”的社区，请检查网址",
        )
    if f.community and not await db.fetchval(
        f"""SELECT 1 FROM communities c WHERE {where} AND c.community_id = $2
            AND ($3::text IS NULL OR c.street = $3) LIMIT 1""",
        f.office,
        f.community,
        f.street,
    ):
        street = f" of street {f.street}" if f.street else ""
        return Unknown(
            "community",
            f"community {f.community}: no such community{street}{within}",
            f"{_in_zh(f.office, f.street)}没有社区“{f.community}”，请检查网址",
        )
    return None


def _in_zh(office: str | None, street: str | None = None) -> str:
    """Where a place was looked for, in Chinese: 机构 yuyao 的街道“兰江街道”中, or ""."""
    parts = [p for p in (office and f"机构 {office} ", street and f"街道“{street}”") if p]
    return "的".join(parts) + "中" if parts else ""

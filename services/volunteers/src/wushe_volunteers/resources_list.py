"""The public resources list (资源清单公示): what each community can draw on — its sites (阵地),
the teams and organisations active there, its 一校两社 pairings, and its volunteers and social
workers counted. Counts only for people: no volunteer's name, phone, certificate number or id,
nor anyone's id at all.

A team is "of" a community (the model gives a team no home) when it is paired there (一校两社)
or has held or scheduled an activity there, not cancelled, starting within `ACTIVE_WITHIN`
before now or to come: a team that last served there years ago is not something it can draw
on today.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

import asyncpg

from wushe_events.catalogue.vocabulary import CERTIFICATIONS, SITE_KINDS, SKILLS, TEAM_KINDS
from wushe_service import communities
from wushe_service.sql import Condition, one, snapshot, where

ACTIVE_WITHIN = timedelta(days=365)
# 社会工作者职业水平, lowest first: the certifications a social worker holds (not "none").
LEVELS = tuple(level for level in CERTIFICATIONS.labels if level != "none")


def _volunteers(rows: list[Any]) -> dict[str, Any]:
    """Counts of `rows` (skills, certification, n): the active volunteers, by skill (most
    first) and the social workers by certification level."""
    skills: Counter[str] = Counter()
    levels: Counter[str] = Counter(dict.fromkeys(LEVELS, 0))
    for row in rows:
        for skill in row["skills"]:
            skills[skill] += row["n"]
        if row["certification"] in LEVELS:
            levels[row["certification"]] += row["n"]
    return {
        "active": sum(row["n"] for row in rows),
        "by_skill": [
            {"skill": s, "skill_label": SKILLS.label(s), "volunteers": n}
            for s, n in sorted(skills.items(), key=lambda item: (-item[1], item[0]))
        ],
        "social_workers": levels.total(),
        "social_workers_by_level": [
            {"level": level, "level_label": CERTIFICATIONS.label(level), "volunteers": n}
            for level, n in levels.items()
        ],
    }


def _kinds(rows: list[Any], labels: Any) -> list[dict[str, Any]]:
    return [
        {"name": r["name"], "kind": r["kind"], "kind_label": labels.label(r["kind"])} for r in rows
    ]


def _selected(
    community_id: str | None, street: str | None, *more: Condition
) -> tuple[str, list[Any]]:
    """`WHERE …` on the communities `c` the filters select, and `more`."""
    return where(("c.community_id = ?", one(community_id)), ("c.street = ?", one(street)), *more)


async def _rows(
    db: asyncpg.Connection, community_id: str | None, street: str | None, now: datetime
) -> dict[str, list[Any]]:
    """Every community's resources the filters select, each row with its `community_id`."""

    async def fetch(select: str, *more: Condition, then: str = "") -> list[Any]:
        sql, args = _selected(community_id, street, *more)
        return list(await db.fetch(f"{select}{sql} {then}", *args))

    return {
        "sites": await fetch(
            """SELECT s.community_id, s.name, s.kind
               FROM sites s JOIN communities c USING (community_id)""",
            then="ORDER BY s.name, s.site_id",
        ),
        # Paired there (starts_at NULL), or an activity there not cancelled, lately or to come.
        "teams": await fetch(
            """SELECT DISTINCT ON (t.name, t.team_id, x.community_id)
                      x.community_id, t.name, t.kind, t.team_id
               FROM (SELECT team_id, community_id, starts_at FROM activities
                     WHERE state <> 'cancelled'
                     UNION SELECT university_team_id, community_id, NULL FROM pairings
                     UNION SELECT social_org_team_id, community_id, NULL FROM pairings) x
                    JOIN teams t USING (team_id) JOIN communities c USING (community_id)""",
            ("(x.starts_at IS NULL OR x.starts_at > ?)", (now - ACTIVE_WITHIN,)),
            then="ORDER BY t.name, t.team_id, x.community_id",
        ),
        "pairings": await fetch(
            """SELECT p.community_id, u.name AS university, o.name AS social_org
               FROM pairings p JOIN communities c USING (community_id)
                    JOIN teams u ON u.team_id = p.university_team_id
                    JOIN teams o ON o.team_id = p.social_org_team_id""",
            then="ORDER BY p.established_at, p.pairing_id",
        ),
        "volunteers": await fetch(
            """SELECT v.community_id, v.skills, v.certification, count(*) AS n
               FROM volunteers v JOIN communities c USING (community_id)""",
            ("v.status = ?", ("active",)),
            then="GROUP BY v.community_id, v.skills, v.certification",
        ),
        "activities": await fetch(
            """SELECT a.community_id, count(*) AS n
               FROM activities a JOIN communities c USING (community_id)""",
            ("a.state = ?", ("scheduled",)),
            ("a.starts_at > ?", (now,)),
            then="GROUP BY a.community_id",
        ),
    }


def _of(rows: dict[str, list[Any]], community_id: str) -> dict[str, list[Any]]:
    return {
        table: [r for r in found if r["community_id"] == community_id]
        for table, found in rows.items()
    }


def _resources(rows: dict[str, list[Any]]) -> dict[str, Any]:
    """The resources of `rows`: of one community, or of several (teams counted once)."""
    teams = list({r["team_id"]: r for r in rows["teams"]}.values())
    return {
        "sites": _kinds(rows["sites"], SITE_KINDS),
        "teams": _kinds(teams, TEAM_KINDS),
        "pairings": [
            {"university": r["university"], "social_org": r["social_org"]} for r in rows["pairings"]
        ],
        "volunteers": _volunteers(rows["volunteers"]),
        "activities_to_come": sum(r["n"] for r in rows["activities"]),
    }


def _totals(rows: dict[str, list[Any]], counted: int) -> dict[str, Any]:
    found = _resources(rows)
    teams: Counter[str] = Counter(t["kind"] for t in found["teams"])
    sites: Counter[str] = Counter(s["kind"] for s in found["sites"])
    return {
        "communities": counted,
        "sites": len(found["sites"]),
        "sites_by_kind": _counted(sites, SITE_KINDS),
        "teams": len(found["teams"]),
        "teams_by_kind": _counted(teams, TEAM_KINDS),
        "pairings": len(found["pairings"]),
        "volunteers": found["volunteers"],
        "activities_to_come": found["activities_to_come"],
    }


def _counted(kinds: Counter[str], labels: Any) -> list[dict[str, Any]]:
    return [
        {"kind": k, "kind_label": labels.label(k), "count": n}
        for k, n in sorted(kinds.items(), key=lambda item: (-item[1], item[0]))
    ]


async def resources_list(
    db: asyncpg.Connection,
    *,
    community_id: str | None,
    street: str | None,
    now: datetime,
    limit: int,
    cursor: str | None,
) -> dict[str, Any]:
    """A page of communities, by street and name, each with what it can draw on; `totals` over
    every community the filters select, not just this page. Every community is listed, one
    with nothing yet too: that is worth knowing."""
    async with snapshot(db):
        page = await communities.public_page(
            db, community_id=community_id, street=street, limit=limit, cursor=cursor
        )
        rows = await _rows(db, community_id, street, now)
        sql, args = _selected(community_id, street)
        counted = await db.fetchval(f"SELECT count(*) FROM communities c{sql}", *args)
    items = [c | _resources(_of(rows, c["community_id"])) for c in page.items]
    return {
        "community_id": community_id,
        "street": street,
        "totals": _totals(rows, counted),
        "items": items,
        "next_cursor": page.next_cursor,
    }

"""How rows read to people: the labels of the slugs and the times in the office's own zone,
added beside the slugs and UTC times that the API has always answered (none changed)."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from fastapi import Request

from wushe_events.catalogue.vocabulary import NEED_CATEGORIES, SKILLS
from wushe_volunteers.settings import VolunteersSettings


def settings(request: Request) -> VolunteersSettings:
    found: VolunteersSettings = request.app.state.runtime.settings
    return found


def local(at: datetime | None, zone: tzinfo) -> str | None:
    """`at` as the office's clocks read it, with its offset: 2026-12-08T09:00:00+08:00."""
    return None if at is None else at.astimezone(zone).isoformat()


def with_local(row: dict[str, Any], zone: tzinfo, *fields: str) -> dict[str, Any]:
    """`row` with `<field>_local` beside each of `fields` it has."""
    return row | {f"{f}_local": local(row[f], zone) for f in fields if f in row}


def activity(row: dict[str, Any], zone: tzinfo) -> dict[str, Any]:
    return row | {
        "need_category_labels": [NEED_CATEGORIES.label(c) for c in row["need_categories"]],
        "starts_at_local": local(row["starts_at"], zone),
        "ends_at_local": local(row["ends_at"], zone),
    }


def skill_labels(skills: list[str] | tuple[str, ...]) -> list[str]:
    return [SKILLS.label(s) for s in skills]


def volunteer(row: dict[str, Any]) -> dict[str, Any]:
    return row | {"skill_labels": skill_labels(row["skills"])}

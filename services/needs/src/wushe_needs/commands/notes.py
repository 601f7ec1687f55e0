"""Notes (走访记录): free text a social worker writes about a visit, a need found or how it
ended — personal data of the resident, sealed under their data key (`wushe_service.notes`),
never in an event (which says `has_notes` at most) or a log line."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from pydantic import AfterValidator, Field

from wushe_events.catalogue.base import LongText
from wushe_events.catalogue.needs import NeedIdentified, NeedResolved, SurveyRecorded
from wushe_events.errors import RuleBroken
from wushe_events.store import Transaction
from wushe_service import notes as sealed_notes
from wushe_service.personal_data import Vault


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank (leave notes out instead)")
    return value


# At most 2000 characters (a page of a visit record), the cap inside the type (LongText's):
# beside it, it would fail as a list's `too_long`.
Notes = Annotated[
    LongText,
    Field(
        description="free text, personal data of the resident: sealed, shown to social "
        "workers and admins only, erased with the resident",
    ),
    AfterValidator(_not_blank),
]


# What a note is about: the event subject it belongs with.
def of_survey(survey_id: UUID) -> str:
    return f"survey/{survey_id}"


def of_need(need_id: UUID) -> str:
    return f"need/{need_id}"


def of_resolution(need_id: UUID) -> str:
    return f"need/{need_id}/resolution"


_OF_EVENT = {
    SurveyRecorded.type: of_survey,
    NeedIdentified.type: of_need,
    NeedResolved.type: of_resolution,
}


def of_event(event_type: str, data: dict[str, Any]) -> str | None:
    """What the notes kept with a recorded event are about (None: it has none)."""
    of = _OF_EVENT.get(event_type)
    if of is None or not data.get("has_notes"):
        return None
    return of(UUID(data["survey_id" if of is of_survey else "need_id"]))


async def seal(tx: Transaction, vault: Vault, resident_id: UUID, notes: dict[str, str]) -> None:
    """Seal the resident's notes in the command's transaction (after its appends: a write)."""
    if notes and not await sealed_notes.seal(vault, tx.raw, resident_id, notes):
        raise RuleBroken(
            "no_personal_data",
            f"resident {resident_id} has no personal data kept here: no notes about them can "
            "be kept",
        )

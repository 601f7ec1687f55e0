"""Merging a duplicate record of a resident into the one kept (合并重复档案).

`POST /residents/{id}/merge` with the kept record `into`: a recorded fact of the duplicate's
stream, refused by rules (a record merged or erased, into itself), whose answer says what the
kept record has now."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel

from wushe_needs.api.streets import ServingSocialWorker, refuse_unless_serving_resident
from wushe_needs.commands import merges as commands
from wushe_service.api import Store

router = APIRouter(tags=["residents"])


class MergedView(BaseModel):
    resident_id: UUID  # the duplicate, merged away
    merged_into: UUID
    erased: bool  # its personal data, destroyed with the merge
    transferred_needs: list[UUID]
    transferred_wishes: list[UUID]


@router.post(
    "/residents/{resident_id}/merge",
    summary="Merge a duplicate record into the resident kept (`into`): its open needs and live "
    "wishes go to the kept record (a claim stays with its claimant), its personal data is "
    "destroyed (correct the kept record with anything it lacks first); surveys and what ended "
    "stay with it, shown in the kept record's timeline. A token of a street merges records of "
    "its residents only: both must live on it (else 403)",
)
async def merge_resident(
    resident_id: UUID, body: commands.MergeResident, store: Store, who: ServingSocialWorker
) -> MergedView:
    async with store.connection() as db:
        await refuse_unless_serving_resident(db, who, body.into, field="into")
    done = await commands.merge_resident(store, resident_id, body, who.person, datetime.now(UTC))
    return MergedView(
        resident_id=resident_id,
        merged_into=body.into,
        erased=True,
        transferred_needs=done.transferred_needs,
        transferred_wishes=done.transferred_wishes,
    )

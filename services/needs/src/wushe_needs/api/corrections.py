"""Correcting a resident's record (更正).

`POST /residents/{id}/correct`, not `PATCH /residents/{id}`: a resident is an aggregate whose
state changes are `POST /<things>/{id}/<verb>` (DESIGN §5), as `/communities/{id}/rename` and
the volunteers' `/hours/{id}/correct` are. A correction is not an overwrite of a document: it
is a recorded fact (which fields, by whom, when: the case file and the audit trail show it),
it is refused by rules (consent, an erasure, an ID number already registered), and its answer
says what moved with the resident.
"""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel

from wushe_needs.api.streets import ServingSocialWorker, refuse_unless_serving_community
from wushe_needs.commands import corrections as commands
from wushe_service.api import Store, VaultDep

router = APIRouter(tags=["residents"])


class CorrectedView(BaseModel):
    resident_id: UUID
    changed: list[str]  # field names, never their values
    moved_needs: list[UUID]
    moved_wishes: list[UUID]


@router.post(
    "/residents/{resident_id}/correct",
    summary="Correct a resident's record: the fields given change (null clears id_number, "
    "phone, address or notes); a new community_id moves them, with their open needs and live "
    "wishes. Personal data is sealed again, never published: the events name the fields "
    "changed. A token of a street corrects its residents only, and moves them within its "
    "street only (else 403)",
)
async def correct_resident(
    resident_id: UUID,
    body: commands.CorrectResident,
    store: Store,
    vault: VaultDep,
    who: ServingSocialWorker,
) -> CorrectedView:
    if body.community_id is not None:
        async with store.connection() as db:
            await refuse_unless_serving_community(db, who, body.community_id)
    done = await commands.correct_resident(store, vault, resident_id, body, datetime.now(UTC))
    return CorrectedView(
        resident_id=resident_id,
        changed=done.changed,
        moved_needs=done.moved_needs,
        moved_wishes=done.moved_wishes,
    )

"""Merging a duplicate record of a resident into the one kept (合并重复档案): the rules, and
the events of the duplicate's own stream."""

from __future__ import annotations

from uuid import UUID

from wushe_events.catalogue import Event
from wushe_events.catalogue.needs import ResidentMerged
from wushe_events.errors import InvalidReference, NotFound, RuleBroken
from wushe_needs.domain.resident import Resident, erase, existing, may_be_served

DUPLICATE_RECORD = "duplicate-record"  # the reason code unless the social worker gives one


def merge(
    duplicate: Resident | None,
    duplicate_id: UUID,
    kept: Resident | None,
    into: UUID,
    reason: str = DUPLICATE_RECORD,
    recorded_by: str | None = None,
    *,
    hands_over: bool = False,
) -> list[Event]:
    """Fold `duplicate` into `kept`: merged, then erased (its personal data is destroyed; the
    kept record is the one to correct). Both must stand: neither erased nor merged away, so
    that a record is merged once and never into one that is gone (A→B and B→A cannot both be).
    `hands_over`: the duplicate has open needs or live wishes for the kept record to take on,
    which a resident who withdrew their consent to being served does not (may_be_served)."""
    if duplicate is None:
        raise NotFound("resident", duplicate_id)
    if duplicate_id == into:
        raise RuleBroken("merge_into_self", f"resident {duplicate_id} cannot be merged into itself")
    if kept is None:
        raise InvalidReference("into", f"no resident {into} is registered")
    existing(duplicate, duplicate_id)
    _kept_stands(kept)
    if hands_over:
        may_be_served(kept)
    return [
        ResidentMerged(
            resident_id=duplicate_id,
            community_id=duplicate.community_id,
            into_resident_id=into,
            reason=reason,
            recorded_by=recorded_by,
        ),
        *erase(duplicate, duplicate_id),  # as any erasure: the events of its kind
    ]


def _kept_stands(kept: Resident) -> None:
    if kept.merged_into is not None:
        raise RuleBroken(
            "resident_merged",
            f"resident {kept.resident_id}, to keep, was itself merged into resident "
            f"{kept.merged_into}: merge into that one",
            {"merged_into": str(kept.merged_into)},
        )
    if kept.erased:
        raise RuleBroken(
            "resident_erased",
            f"resident {kept.resident_id}, to keep, had their personal data erased",
        )

"""Correcting a resident's record: groups, birth, personal data, and a move to another
community. Decided on what the command found (pure): the events say which fields changed,
never a personal value."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from wushe_events.catalogue import Event
from wushe_events.catalogue.needs import (
    ConsentGiver,
    ConsentPurpose,
    ResidentField,
    ResidentMoved,
    ResidentUpdated,
    TargetGroup,
)
from wushe_events.errors import InvalidReference, RuleBroken
from wushe_needs.domain.community import Community
from wushe_needs.domain.resident import (
    Birth,
    Resident,
    age_band,
    check_birth,
    check_groups,
    existing,
    under_14,
)


@dataclass(frozen=True)
class Correction:
    """What a correction asks, with what the command found to check it against."""

    groups: tuple[TargetGroup, ...] | None = None
    community_id: str | None = None
    community: Community | None = None  # that of community_id, when it is registered
    personal: tuple[ResidentField, ...] = ()  # personal fields whose values change
    birth: Birth | None = None  # the birth as it stands after the correction, if known
    birth_changed: bool = False
    first_surveyed: datetime | None = None  # the resident's earliest survey


def correct(
    resident: Resident | None, resident_id: UUID, fix: Correction, now: datetime
) -> list[Event]:
    resident = existing(resident, resident_id)
    band = resident.age_band
    if fix.birth_changed and fix.birth is not None:
        _plausible(fix.birth, fix.first_surveyed, now)
        band = age_band(max(fix.birth.age(now), 0))
    if fix.personal:
        _may_keep_personal_data(resident, fix.birth, now)
    groups = sorted(set(fix.groups or resident.groups))
    if (fix.groups or fix.birth_changed) and fix.birth is not None:
        check_groups(groups, fix.birth, now)  # a child who grew up keeps the phone correctable
    regrouped = [ResidentField.groups] if groups != sorted(resident.groups) else []
    changed = sorted({*regrouped, *fix.personal}, key=list(ResidentField).index)
    events: list[Event] = []
    if changed:
        events.append(
            ResidentUpdated(
                resident_id=resident_id,
                community_id=resident.community_id,
                groups=groups,
                age_band=band,
                changed=changed,
            )
        )
    to = _moving_to(resident, fix)
    if to is not None:
        events.append(
            ResidentMoved(
                resident_id=resident_id,
                community_id=to,
                from_community_id=resident.community_id,
                groups=groups,
                age_band=band,
            )
        )
    return events


def _may_keep_personal_data(resident: Resident, birth: Birth | None, now: datetime) -> None:
    """Storing corrected personal data is storing personal data: the rules of registration
    and consent apply (个人信息保护法 art. 15 and 31)."""
    if ConsentPurpose.personal_data in resident.withdrawn:
        raise RuleBroken(
            "consent_withdrawn",
            f"resident {resident.resident_id} withdrew their consent to keep personal data: "
            "none may be stored",
        )
    consent = resident.consents.get(ConsentPurpose.personal_data)
    if under_14(resident, birth, now) and (
        consent is None or consent.given_by is not ConsentGiver.guardian
    ):
        raise RuleBroken(
            "guardian_consent_required",
            "a child under 14: personal data is stored only with a guardian's consent; record "
            "it first (POST /residents/{id}/consents, given_by guardian)",
        )


def _plausible(birth: Birth, first_surveyed: datetime | None, now: datetime) -> None:
    check_birth(birth, now)
    if first_surveyed is not None and birth.after(first_surveyed):
        raise InvalidReference(  # the message never gives the dates: personal data
            "birth_year",
            "the resident was surveyed before that birth date: a survey is never dated before "
            "the birth (correct the survey's resident, or the birth)",
        )


def _moving_to(resident: Resident, fix: Correction) -> str | None:
    if fix.community_id is None or fix.community_id == resident.community_id:
        return None
    if fix.community is None:
        raise InvalidReference("community_id", f"no community {fix.community_id} is registered")
    return fix.community_id

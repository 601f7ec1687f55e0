"""A resident (居民): who is served, pseudonymous on the bus; consent; erasure; a duplicate
record merged into the one kept."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from uuid import UUID

from wushe_events.catalogue import Event
from wushe_events.catalogue.needs import (
    AgeBand,
    ConsentGiver,
    ConsentGranted,
    ConsentPurpose,
    ConsentWithdrawn,
    ResidentErased,
    ResidentMerged,
    ResidentMoved,
    ResidentRegistered,
    ResidentUpdated,
    TargetGroup,
    WithdrawalReason,
)
from wushe_events.errors import InvalidReference, NotFound, RuleBroken
from wushe_needs.domain.community import Community


@dataclass(frozen=True)
class Consent:
    given_by: ConsentGiver
    given_at: datetime


@dataclass(frozen=True)
class ConsentChange:
    """One entry of a resident's consent history: a consent given or withdrawn."""

    change: str  # granted | withdrawn
    purpose: ConsentPurpose
    at: datetime
    by: ConsentGiver | None  # who gave or withdrew it, where known
    reason: WithdrawalReason | None = None  # withdrawals only
    recorded_by: str | None = None


# Who withdrew a consent, as far as the reason says.
_WITHDRAWN_BY = {
    WithdrawalReason.by_request: ConsentGiver.self,
    WithdrawalReason.guardian_request: ConsentGiver.guardian,
}


@dataclass(frozen=True)
class Resident:
    resident_id: UUID
    community_id: str
    groups: tuple[TargetGroup, ...]
    age_band: AgeBand
    erased: bool = False
    consents: dict[ConsentPurpose, Consent] = field(default_factory=dict)
    withdrawn: dict[ConsentPurpose, datetime] = field(default_factory=dict)  # not given again
    consent_history: tuple[ConsentChange, ...] = ()  # in the order recorded
    merged_into: UUID | None = None  # a duplicate record: the resident kept instead


@dataclass(frozen=True)
class Birth:
    """When a resident was born, as far as the office knows: the date of a valid ID number,
    else the year. Personal data: kept sealed, never in an event (events carry an age band)."""

    year: int
    day: date | None = None

    def age(self, now: datetime) -> int:
        """The age they have for certain at `now`: with the year only, as if born on its last
        day. `now` is UTC, whose date is never ahead of Beijing's: a birthday counts no earlier
        than it does there."""
        born = self.day or date(self.year, 12, 31)
        today = now.date()
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

    def oldest(self, now: datetime) -> int:
        """The age they may have at `now`: on Beijing's date (UTC+8), and with the year only,
        as if born on its first day. Who is 60 this year counts as old (老年人) already."""
        today = (now + BEIJING).date()
        if self.day is None:
            return today.year - self.year
        born = self.day
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

    def after(self, moment: datetime) -> bool:
        """Whether they were certainly not born yet at `moment` (UTC): its date in Beijing, at
        most a day ahead of UTC's, is before the birth date (with the year only, the year)."""
        latest = (moment + timedelta(days=1)).date()
        return latest < self.day if self.day else latest.year < self.year


def under_14(resident: Resident, birth: Birth | None, now: datetime) -> bool:
    """Whether the rules for a child under 14 apply now: decided on the birth date or year at
    the time of the command, not on the band of the day they were registered. Without either
    (a resident registered before the year was kept), the band registered is all there is."""
    if birth is None:
        return resident.age_band is AgeBand.under_14
    return birth.age(now) < 14


def may_be_served(resident: Resident) -> None:
    """A resident who withdrew their consent to being served gets no new survey or wish until
    they give it again (个人信息保护法 art. 15: processing stops with the consent)."""
    since = resident.withdrawn.get(ConsentPurpose.services)
    if since is not None:
        raise RuleBroken(
            "consent_withdrawn",
            f"resident {resident.resident_id} withdrew their consent to being served "
            f"(services) on {since:%Y-%m-%d}: record their consent again first",
        )


def not_merged(resident: Resident) -> None:
    """A duplicate record merged into another takes nothing new: the kept one does (its id is
    in the answer, for the social worker to go on there)."""
    if resident.merged_into is not None:
        raise RuleBroken(
            "resident_merged",
            f"resident {resident.resident_id} is a duplicate record merged into resident "
            f"{resident.merged_into}: record it there",
            {"merged_into": str(resident.merged_into)},
        )


def may_keep_notes(resident: Resident) -> None:
    """Notes about a resident (a visit's record) are their personal data: kept only while the
    rest of it is, and never once they withdrew their consent to it (个人信息保护法 art. 47)."""
    not_merged(resident)
    if resident.erased:
        raise RuleBroken(
            "resident_erased",
            f"resident {resident.resident_id}'s personal data was erased: no notes about them "
            "can be kept",
        )
    since = resident.withdrawn.get(ConsentPurpose.personal_data)
    if since is not None:
        raise RuleBroken(
            "consent_withdrawn",
            f"resident {resident.resident_id} withdrew their consent to keeping personal data "
            f"(personal_data) on {since:%Y-%m-%d}: no notes about them can be kept",
        )


BEIJING = timedelta(hours=8)
# Target groups for an age only (the rest: dibao, veteran … are for any age). A child (儿童,
# 未成年人) is under 18 (未成年人保护法 art. 2); a left-behind child (留守儿童) under 16, as
# the State Council defines it (国发〔2016〕13号: 不满十六周岁的未成年人); an older person
# (老年人) is 60 or over (老年人权益保障法 art. 2).
UNDER = {TargetGroup.child: 18, TargetGroup.left_behind_child: 16}
AT_LEAST = {TargetGroup.elderly: 60, TargetGroup.elderly_alone: 60}


def check_groups(groups: Iterable[TargetGroup], birth: Birth, now: datetime) -> None:
    """The groups fit the age, given the benefit of the doubt of a birth year alone (the
    youngest they may be for a child, the oldest for an older person). The message gives the
    rule, never the age."""
    for group in sorted(set(groups)):
        if group in UNDER and birth.age(now) >= UNDER[group]:
            raise InvalidReference(
                "groups",
                f"{group} is for residents under {UNDER[group]}: this one is older",
                code=f"group_under_{UNDER[group]}",
            )
        if group in AT_LEAST and birth.oldest(now) < AT_LEAST[group]:
            raise InvalidReference(
                "groups",
                f"{group} is for residents of {AT_LEAST[group]} or over: this one is younger",
                code=f"group_{AT_LEAST[group]}_or_over",
            )


OLDEST = 120  # years: an older birth year is a typo (1900 for 1990), not a resident


def age_band(age: int) -> AgeBand:
    for limit, band in (
        (14, AgeBand.under_14),
        (18, AgeBand.age_14_17),
        (60, AgeBand.age_18_59),
        (70, AgeBand.age_60_69),
        (80, AgeBand.age_70_79),
    ):
        if age < limit:
            return band
    return AgeBand.age_80_plus


def check_birth(birth: Birth, now: datetime) -> None:
    if birth.year > now.year or (birth.day is not None and birth.day > now.date()):
        raise InvalidReference("birth_year", "birth_year is in the future", code="in_the_future")
    if now.year - birth.year > OLDEST:
        raise InvalidReference(
            "birth_year", f"birth_year is more than {OLDEST} years ago", code="birth_year_too_old"
        )


def register(
    community: Community | None,
    resident_id: UUID,
    community_id: str,
    groups: list[TargetGroup],
    birth: Birth,
    now: datetime,
    *,
    with_personal_data: bool,
    consent_by: ConsentGiver | None,
    recorded_by: str | None = None,
) -> list[Event]:
    """Register a resident; their consent to keep personal data, if given, is recorded with it.

    A child under 14 may have personal data stored only with a guardian's consent (个人信息
    保护法 art. 31: a minor under 14's personal information needs a guardian's consent)."""
    if community is None:
        raise InvalidReference("community_id", f"no community {community_id} is registered")
    check_birth(birth, now)
    check_groups(groups, birth, now)
    age = birth.age(now)
    if with_personal_data and age < 14 and consent_by != ConsentGiver.guardian:
        raise RuleBroken(
            "guardian_consent_required",
            "a child under 14: personal data is stored only with a guardian's consent "
            "(consent.given_by = guardian)",
        )
    events: list[Event] = [
        ResidentRegistered(
            resident_id=resident_id,
            community_id=community_id,
            groups=sorted(set(groups)),
            age_band=age_band(max(age, 0)),
        )
    ]
    if consent_by is not None:
        events.append(
            ConsentGranted(
                resident_id=resident_id,
                community_id=community_id,
                purpose=ConsentPurpose.personal_data,
                given_by=consent_by,
                given_at=now,
                recorded_by=recorded_by,
            )
        )
    return events


@dataclass(frozen=True)
class Namesake:
    """What tells two residents of one name in one community apart. Personal data: decided on
    here, never put in an event or a message."""

    resident_id: UUID
    birth_year: int | None
    phone: str | None = None
    id_number: str | None = None


def not_registered_yet(new: Namesake, namesakes: Iterable[Namesake]) -> None:
    """A second record of one person splits their visits, needs and wishes: a resident of the
    community with the same name and the same birth year or phone is refused as a possible
    duplicate (unless the social worker says they are not; `not_a_duplicate`). Two ID numbers
    decide alone: two people if they differ, `resident_exists` if they are one."""
    for other in namesakes:
        if other.resident_id == new.resident_id or (new.id_number and other.id_number):
            continue
        if (new.birth_year is not None and new.birth_year == other.birth_year) or (
            new.phone and new.phone == other.phone
        ):
            raise RuleBroken(
                "possible_duplicate",
                f"resident {other.resident_id} of this community has the same name and the "
                "same birth year or phone: correct that record, or, for a different person of "
                "the same name, send not_a_duplicate: true",
                {"duplicate_of": str(other.resident_id)},
            )


def existing(resident: Resident | None, resident_id: UUID) -> Resident:
    if resident is None:
        raise NotFound("resident", resident_id)
    not_merged(resident)
    if resident.erased:
        raise RuleBroken("resident_erased", f"resident {resident_id}'s personal data was erased")
    return resident


def grant_consent(
    resident: Resident | None,
    resident_id: UUID,
    purpose: ConsentPurpose,
    given_by: ConsentGiver,
    now: datetime,
    birth: Birth | None,
    recorded_by: str | None = None,
) -> list[Event]:
    """Record a consent; the same one on record already (its purpose, not withdrawn, given by
    the same) is no new consent: nothing is recorded, and its day stays the day it was given.
    A guardian's for one the resident gave is recorded (a child found under 14 needs it)."""
    resident = existing(resident, resident_id)
    held = resident.consents.get(purpose)
    if held is not None and held.given_by == given_by:
        return []
    if under_14(resident, birth, now) and given_by != ConsentGiver.guardian:
        raise RuleBroken(
            "guardian_consent_required",
            "a child under 14 consents through a guardian (given_by = guardian)",
        )
    return [
        ConsentGranted(
            resident_id=resident_id,
            community_id=resident.community_id,
            purpose=purpose,
            given_by=given_by,
            given_at=now,
            recorded_by=recorded_by,
        )
    ]


def withdraw_consent(
    resident: Resident | None,
    resident_id: UUID,
    purpose: ConsentPurpose,
    now: datetime,
    reason: WithdrawalReason | None = None,
    recorded_by: str | None = None,
) -> list[Event]:
    """Withdraw a consent. Keeping personal data rests on a consent recorded (or the data would
    not be here); being served or shared needs none recorded to be refused: a resident may say
    no without having said yes first."""
    resident = existing(resident, resident_id)
    if purpose == ConsentPurpose.personal_data and purpose not in resident.consents:
        raise RuleBroken("no_consent", f"there is no {purpose} consent to withdraw")
    if purpose in resident.withdrawn:
        since = resident.withdrawn[purpose]
        raise RuleBroken(
            "consent_already_withdrawn", f"the {purpose} consent was withdrawn on {since:%Y-%m-%d}"
        )
    return [
        ConsentWithdrawn(
            resident_id=resident_id,
            community_id=resident.community_id,
            purpose=purpose,
            withdrawn_at=now,
            reason=reason,
            recorded_by=recorded_by,
        )
    ]


def erase(resident: Resident | None, resident_id: UUID) -> list[Event]:
    resident = existing(resident, resident_id)
    return [ResidentErased(resident_id=resident_id, community_id=resident.community_id)]


def evolve(state: Resident | None, event: Event) -> Resident:
    match event:
        case ResidentRegistered():
            return Resident(
                event.resident_id, event.community_id, tuple(event.groups), event.age_band
            )
        case ConsentGranted() if state is not None:
            consent = Consent(event.given_by, event.given_at)
            withdrawn = {k: v for k, v in state.withdrawn.items() if k != event.purpose}
            granted = ConsentChange(
                "granted",
                event.purpose,
                event.given_at,
                event.given_by,
                recorded_by=event.recorded_by,
            )
            return replace(
                state,
                consents={**state.consents, event.purpose: consent},
                withdrawn=withdrawn,
                consent_history=(*state.consent_history, granted),
            )
        case ConsentWithdrawn() if state is not None:
            consents = {k: v for k, v in state.consents.items() if k != event.purpose}
            withdrawn = {**state.withdrawn, event.purpose: event.withdrawn_at}
            change = ConsentChange(
                "withdrawn",
                event.purpose,
                event.withdrawn_at,
                _WITHDRAWN_BY.get(event.reason) if event.reason else None,
                event.reason,
                event.recorded_by,
            )
            return replace(
                state,
                consents=consents,
                withdrawn=withdrawn,
                consent_history=(*state.consent_history, change),
            )
        case ResidentUpdated() | ResidentMoved() if state is not None:
            return replace(
                state,
                community_id=event.community_id,
                groups=tuple(event.groups),
                age_band=event.age_band,
            )
        case ResidentErased() if state is not None:
            return replace(state, erased=True)
        case ResidentMerged() if state is not None:
            return replace(state, merged_into=event.into_resident_id)
    raise TypeError(f"{event.type} does not apply to a resident")

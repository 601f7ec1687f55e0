"""Events of the needs service: communities, residents, surveys, needs and micro-wishes."""

from enum import IntEnum, StrEnum
from typing import ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from wushe_events.catalogue.base import Event, Fen, Label, Slug, UtcDatetime

# Free-text notes are personal data of the resident: kept sealed in the office, never published.
NOTES = "notes were kept with it, sealed in the office (their text is never published)"


class TargetGroup(StrEnum):
    elderly_alone = "elderly_alone"  # 独居老人
    elderly = "elderly"  # 老人
    child = "child"  # 儿童
    left_behind_child = "left_behind_child"  # 留守儿童
    dibao = "dibao"  # 低保
    low_income = "low_income"  # 低收入
    veteran = "veteran"  # 退役军人
    disabled = "disabled"  # 残疾人
    other = "other"


class AgeBand(StrEnum):
    """Events carry an age band, never a birth date."""

    under_14 = "under_14"
    age_14_17 = "14_17"
    age_18_59 = "18_59"
    age_60_69 = "60_69"
    age_70_79 = "70_79"
    age_80_plus = "80_plus"


class SurveyMethod(StrEnum):
    home_visit = "home_visit"  # 入户走访
    phone = "phone"  # 电话访谈
    questionnaire = "questionnaire"  # 问卷调查
    spot_check = "spot_check"  # 随机抽查


class Dimension(StrEnum):
    physical = "physical"  # 身体
    psychological = "psychological"  # 心理
    material = "material"  # 物质
    spiritual = "spiritual"  # 精神


class Level(IntEnum):
    none = 0
    mild = 1
    moderate = 2
    severe = 3


class Urgency(StrEnum):
    low = "low"
    normal = "normal"
    high = "high"
    critical = "critical"


class ClaimantKind(StrEnum):
    volunteer = "volunteer"
    team = "team"


class ConsentPurpose(StrEnum):
    personal_data = "personal_data"  # keeping the person's personal data at all
    services = "services"  # being served (visits, wishes, activities)
    sharing = "sharing"  # sharing with partner organisations


class ConsentGiver(StrEnum):
    self = "self"
    guardian = "guardian"


class WithdrawalReason(StrEnum):
    """Why a consent was withdrawn: a code, never the words of whoever said so."""

    by_request = "by_request"  # the resident asked (个人信息保护法 art. 15)
    guardian_request = "guardian_request"  # their guardian asked, for a child or a ward
    moved_away = "moved_away"  # left the office's area
    deceased = "deceased"
    other = "other"


class NeedOutcome(StrEnum):
    resolved = "resolved"
    closed = "closed"


class MatchKind(StrEnum):
    wish = "wish"
    activity = "activity"
    grant = "grant"


class ReleaseReason(StrEnum):
    by_claimant = "by_claimant"
    by_staff = "by_staff"
    stale_claim = "stale_claim"  # no progress for the office's number of days
    claimant_inactive = "claimant_inactive"  # the volunteer was suspended or withdrew


class ResidentField(StrEnum):
    """What a correction of a resident changed: the names of fields, never their values."""

    groups = "groups"
    birth_year = "birth_year"  # personal: sealed; the age band follows it
    name = "name"
    id_number = "id_number"
    phone = "phone"
    address = "address"
    notes = "notes"


class Dimensions(BaseModel):
    """The four-dimension assessment; each level 0 (none) to 3 (severe)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    physical: Level
    psychological: Level
    material: Level
    spiritual: Level


class IdentifiedNeed(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    need_id: UUID
    category: Slug
    dimension: Dimension
    urgency: Urgency
    already_open: bool = Field(
        False,
        description="the resident had this need (category and dimension) open already: "
        "need_id is that need's, and no needs.need.identified is published for it again",
    )


class CommunityRegistered(Event):
    type: ClassVar[str] = "wushe.needs.community.registered.v1"
    aggregate: ClassVar[str] = "community"

    community_id: Slug
    name: Label
    street: Label


class CommunityRenamed(Event):
    type: ClassVar[str] = "wushe.needs.community.renamed.v1"
    aggregate: ClassVar[str] = "community"

    community_id: Slug
    name: Label
    street: Label


class ResidentRegistered(Event):
    type: ClassVar[str] = "wushe.needs.resident.registered.v1"
    aggregate: ClassVar[str] = "resident"

    resident_id: UUID
    community_id: Slug
    groups: list[TargetGroup] = Field(min_length=1)
    age_band: AgeBand


class ResidentUpdated(Event):
    """A resident's record was corrected: their groups, their birth year (the age band follows)
    or their personal data. The resident as they now stand, and which fields changed; never a
    personal value (that stays sealed in the office)."""

    type: ClassVar[str] = "wushe.needs.resident.updated.v1"
    aggregate: ClassVar[str] = "resident"

    resident_id: UUID
    community_id: Slug
    groups: list[TargetGroup] = Field(min_length=1)
    age_band: AgeBand
    changed: list[ResidentField] = Field(min_length=1)


class ResidentMoved(Event):
    """A resident lives in another community of the office now (or was registered in the wrong
    one). Their open needs and live wishes move with them (`needs.need.moved`,
    `needs.wish.moved`); their surveys stay where they were done."""

    type: ClassVar[str] = "wushe.needs.resident.moved.v1"
    aggregate: ClassVar[str] = "resident"

    resident_id: UUID
    community_id: Slug  # where they live now
    from_community_id: Slug
    groups: list[TargetGroup] = Field(min_length=1)
    age_band: AgeBand


class ResidentErased(Event):
    type: ClassVar[str] = "wushe.needs.resident.erased.v1"
    aggregate: ClassVar[str] = "resident"

    resident_id: UUID
    community_id: Slug | None = None


class ResidentMerged(Event):
    """This record was a second one of the resident kept as `into_resident_id` (合并重复档案).
    Its open needs and live wishes were handed to the kept record (`needs.need.transferred`,
    `needs.wish.transferred`); its surveys and what ended stay with it. Its personal data is
    destroyed with it: `needs.resident.erased` follows in the same transaction."""

    type: ClassVar[str] = "wushe.needs.resident.merged.v1"
    aggregate: ClassVar[str] = "resident"

    resident_id: UUID  # the duplicate, merged away
    community_id: Slug
    into_resident_id: UUID  # the record kept
    reason: Slug
    recorded_by: str | None = Field(
        None,
        description="the person id of the staff member who merged it, if their token names "
        "one; never a token's id or a name",
    )


class ConsentGranted(Event):
    """Stored in the resident's stream; who consented, never their name."""

    type: ClassVar[str] = "wushe.needs.consent.granted.v1"
    aggregate: ClassVar[str] = "resident"

    resident_id: UUID
    community_id: Slug
    purpose: ConsentPurpose
    given_by: ConsentGiver
    given_at: UtcDatetime
    # Absent from grants recorded before it was asked for, and where the token names no one.
    recorded_by: str | None = Field(
        None,
        description="the person id of the staff member who recorded it, if their token names "
        "one; never a token's id or a name",
    )


class ConsentWithdrawn(Event):
    type: ClassVar[str] = "wushe.needs.consent.withdrawn.v1"
    aggregate: ClassVar[str] = "resident"

    resident_id: UUID
    community_id: Slug
    purpose: ConsentPurpose
    withdrawn_at: UtcDatetime
    # Absent from withdrawals recorded before either was asked for.
    reason: WithdrawalReason | None = None
    recorded_by: str | None = Field(
        None,
        description="the person id of the staff member who recorded it, if their token names "
        "one; never a token's id or a name",
    )


class SurveyRecorded(Event):
    type: ClassVar[str] = "wushe.needs.survey.recorded.v1"
    aggregate: ClassVar[str] = "survey"
    always_present: ClassVar[tuple[str, ...]] = ("needs",)

    survey_id: UUID
    resident_id: UUID
    community_id: Slug
    method: SurveyMethod
    surveyed_at: UtcDatetime
    dimensions: Dimensions
    needs: list[IdentifiedNeed] = Field(default_factory=list)
    surveyor_id: str | None = None  # the surveyor's person id, if known; never a token's
    verifies_survey_id: UUID | None = None  # a spot check names the survey it verifies
    has_notes: bool = Field(False, description=NOTES)


class SurveyVerified(Event):
    """A spot check of this survey; a discrepancy when a level differs by 2 or more."""

    type: ClassVar[str] = "wushe.needs.survey.verified.v1"
    aggregate: ClassVar[str] = "survey"

    survey_id: UUID
    spot_check_id: UUID
    community_id: Slug
    discrepancy: bool
    differing: list[Dimension] = Field(default_factory=list)


class NeedIdentified(Event):
    """One entry of the community needs list (需求清单), identified by a survey."""

    type: ClassVar[str] = "wushe.needs.need.identified.v1"
    aggregate: ClassVar[str] = "need"

    need_id: UUID
    community_id: Slug
    resident_id: UUID
    survey_id: UUID
    category: Slug
    dimension: Dimension
    urgency: Urgency
    # When the survey found it (its surveyed_at), which may be days before it was recorded.
    identified_at: UtcDatetime | None = None
    has_notes: bool = Field(False, description=NOTES)


class NeedMatched(Event):
    type: ClassVar[str] = "wushe.needs.need.matched.v1"
    aggregate: ClassVar[str] = "need"

    need_id: UUID
    community_id: Slug
    match_kind: MatchKind
    match_id: UUID


class NeedUnmatched(Event):
    """What the need was matched to ended unfulfilled (a wish cancelled or expired): it is open
    again, on the community needs list."""

    type: ClassVar[str] = "wushe.needs.need.unmatched.v1"
    aggregate: ClassVar[str] = "need"

    need_id: UUID
    community_id: Slug
    match_kind: MatchKind
    match_id: UUID


class NeedMoved(Event):
    """An open or matched need follows its resident to another community's needs list."""

    type: ClassVar[str] = "wushe.needs.need.moved.v1"
    aggregate: ClassVar[str] = "need"

    need_id: UUID
    community_id: Slug  # the list it is on now
    from_community_id: Slug
    resident_id: UUID


class NeedTransferred(Event):
    """An open or matched need of a resident's duplicate record is the kept record's now (a
    merge, `needs.resident.merged`): on the kept resident's community's list. A new type rather
    than `needs.need.moved` with another resident_id: a consumer that knows only moves would
    take the resident as unchanged."""

    type: ClassVar[str] = "wushe.needs.need.transferred.v1"
    aggregate: ClassVar[str] = "need"

    need_id: UUID
    community_id: Slug  # the list it is on now: the kept resident's community
    from_community_id: Slug
    resident_id: UUID  # the resident kept
    from_resident_id: UUID  # the duplicate, merged away


class NeedReprioritised(Event):
    """An open or matched need is more urgent than it was found to be: its urgency only ever
    rises (a need found less urgent stays as found, and is resolved or closed in time)."""

    type: ClassVar[str] = "wushe.needs.need.reprioritised.v1"
    aggregate: ClassVar[str] = "need"

    need_id: UUID
    community_id: Slug
    urgency: Urgency
    from_urgency: Urgency


class NeedResolved(Event):
    type: ClassVar[str] = "wushe.needs.need.resolved.v1"
    aggregate: ClassVar[str] = "need"

    need_id: UUID
    community_id: Slug
    resolution: NeedOutcome
    reason: Slug
    has_notes: bool = Field(False, description=NOTES)


class WishPosted(Event):
    type: ClassVar[str] = "wushe.needs.wish.posted.v1"
    aggregate: ClassVar[str] = "wish"

    wish_id: UUID
    community_id: Slug
    resident_id: UUID | None
    category: Slug
    title: Label
    estimated_value_fen: Fen
    deadline: UtcDatetime
    need_id: UUID | None = None


class WishClaimed(Event):
    type: ClassVar[str] = "wushe.needs.wish.claimed.v1"
    aggregate: ClassVar[str] = "wish"

    wish_id: UUID
    community_id: Slug
    claimant_id: UUID
    claimant_kind: ClaimantKind
    claimant_display: Label | None = None  # the public name, where the claimant consented


class WishProgressed(Event):
    """The claimant reports progress: the claim is alive (no free text on the bus)."""

    type: ClassVar[str] = "wushe.needs.wish.progressed.v1"
    aggregate: ClassVar[str] = "wish"

    wish_id: UUID
    community_id: Slug
    claimant_id: UUID


class WishReleased(Event):
    type: ClassVar[str] = "wushe.needs.wish.released.v1"
    aggregate: ClassVar[str] = "wish"

    wish_id: UUID
    community_id: Slug
    reason: ReleaseReason | None = None


class WishFulfilled(Event):
    """The claimant did it; the volunteers service records the hours for them."""

    type: ClassVar[str] = "wushe.needs.wish.fulfilled.v1"
    aggregate: ClassVar[str] = "wish"

    wish_id: UUID
    community_id: Slug
    claimant_id: UUID | None = None
    claimant_kind: ClaimantKind | None = None
    hours: float | None = Field(None, gt=0, le=100, description="service hours it took")


class WishConfirmed(Event):
    type: ClassVar[str] = "wushe.needs.wish.confirmed.v1"
    aggregate: ClassVar[str] = "wish"

    wish_id: UUID
    community_id: Slug
    confirmed_by: str | None = Field(
        None,
        description="the person id of the social worker who confirmed it, if their token names "
        "one (the volunteers service records them as who verified the hours); never a token's "
        "id or a name",
    )


class WishCancelled(Event):
    type: ClassVar[str] = "wushe.needs.wish.cancelled.v1"
    aggregate: ClassVar[str] = "wish"

    wish_id: UUID
    community_id: Slug
    reason: Slug | None = None


class WishExpired(Event):
    type: ClassVar[str] = "wushe.needs.wish.expired.v1"
    aggregate: ClassVar[str] = "wish"

    wish_id: UUID
    community_id: Slug


class WishMoved(Event):
    """A posted or claimed wish follows its resident to another community's board; a claim
    stays with its claimant."""

    type: ClassVar[str] = "wushe.needs.wish.moved.v1"
    aggregate: ClassVar[str] = "wish"

    wish_id: UUID
    community_id: Slug  # the board it is on now
    from_community_id: Slug


class WishTransferred(Event):
    """A posted or claimed wish of a resident's duplicate record is the kept record's now (a
    merge, `needs.resident.merged`), on the kept resident's community's board; a claim stays
    with its claimant. A new type rather than `needs.wish.moved`, which names no resident."""

    type: ClassVar[str] = "wushe.needs.wish.transferred.v1"
    aggregate: ClassVar[str] = "wish"

    wish_id: UUID
    community_id: Slug  # the board it is on now: the kept resident's community
    from_community_id: Slug
    resident_id: UUID  # the resident kept
    from_resident_id: UUID  # the duplicate, merged away

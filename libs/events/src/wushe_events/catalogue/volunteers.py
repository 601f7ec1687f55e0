"""Events of the volunteers service: volunteers, teams, pairings, sites, activities, hours."""

from enum import StrEnum
from typing import Annotated, ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from wushe_events.catalogue.base import Event, Label, Slug, UtcDatetime


class Certification(StrEnum):
    none = "none"
    assistant = "assistant"  # 助理社会工作师
    intermediate = "intermediate"  # 社会工作师
    senior = "senior"  # 高级社会工作师


class TeamKind(StrEnum):
    volunteer_team = "volunteer_team"
    social_org = "social_org"
    university = "university"
    enterprise = "enterprise"
    party_org = "party_org"


class SiteKind(StrEnum):
    social_work_station = "social_work_station"  # 社工站
    volunteer_station = "volunteer_station"  # 志愿服务站
    women_children_station = "women_children_station"  # 妇儿驿站
    party_service_center = "party_service_center"  # 党群服务中心
    civilization_practice_center = "civilization_practice_center"  # 新时代文明实践中心


class HoursSource(StrEnum):
    activity = "activity"
    wish = "wish"


class MemberRole(StrEnum):
    member = "member"
    coordinator = "coordinator"  # records and verifies the team's service hours (谁组织谁记录)


Hours = Annotated[float, Field(gt=0, le=1000, description="service hours")]


class VolunteerRegistered(Event):
    type: ClassVar[str] = "wushe.volunteers.volunteer.registered.v1"
    aggregate: ClassVar[str] = "volunteer"
    always_present: ClassVar[tuple[str, ...]] = ("skills",)

    volunteer_id: UUID
    community_id: Slug
    skills: list[Slug] = Field(default_factory=list)
    certification: Certification
    display_name: Label | None = None  # only with the volunteer's consent
    # The application (志愿者报名) the volunteer signed up with themself, when a coordinator
    # accepted one; None for a volunteer a coordinator registered at the desk.
    application_id: UUID | None = None


class VolunteerSuspended(Event):
    type: ClassVar[str] = "wushe.volunteers.volunteer.suspended.v1"
    aggregate: ClassVar[str] = "volunteer"

    volunteer_id: UUID
    community_id: Slug


class VolunteerReactivated(Event):
    type: ClassVar[str] = "wushe.volunteers.volunteer.reactivated.v1"
    aggregate: ClassVar[str] = "volunteer"

    volunteer_id: UUID
    community_id: Slug


class VolunteerWithdrawn(Event):
    type: ClassVar[str] = "wushe.volunteers.volunteer.withdrawn.v1"
    aggregate: ClassVar[str] = "volunteer"

    volunteer_id: UUID
    community_id: Slug


class VolunteerErased(Event):
    """The volunteer's personal data was erased (crypto-shredding): their public name is no
    longer to be shown by any replica. Their hours and certificates stay, pseudonymous."""

    type: ClassVar[str] = "wushe.volunteers.volunteer.erased.v1"
    aggregate: ClassVar[str] = "volunteer"

    volunteer_id: UUID
    community_id: Slug


class ApplicationSubmitted(Event):
    """Someone asked to become a volunteer (志愿者报名, the public /join page). Their name,
    phone, birth month and availability are sealed in the service, never on the bus."""

    type: ClassVar[str] = "wushe.volunteers.application.submitted.v1"
    aggregate: ClassVar[str] = "application"

    application_id: UUID
    community_id: Slug
    skills: list[Slug] = Field(default_factory=list)


class ApplicationAccepted(Event):
    """A coordinator accepted the application: the volunteer is registered (their
    `volunteer.registered` names the application) and the application's sealed data shredded."""

    type: ClassVar[str] = "wushe.volunteers.application.accepted.v1"
    aggregate: ClassVar[str] = "application"

    application_id: UUID
    community_id: Slug
    volunteer_id: UUID
    decided_by: UUID | None = None  # the token's person, when it names one


class ApplicationDeclined(Event):
    """A coordinator declined the application, with a reason code; its sealed data is
    shredded with it."""

    type: ClassVar[str] = "wushe.volunteers.application.declined.v1"
    aggregate: ClassVar[str] = "application"

    application_id: UUID
    community_id: Slug
    reason: Slug
    decided_by: UUID | None = None


class ApplicationExpired(Event):
    """Nobody decided the application within the office's retention
    (`WUSHE_APPLICATION_RETENTION_DAYS`): the service closed it by itself and shredded its
    sealed data. Not a decline: no coordinator refused the applicant, who may apply again."""

    type: ClassVar[str] = "wushe.volunteers.application.expired.v1"
    aggregate: ClassVar[str] = "application"

    application_id: UUID
    community_id: Slug
    retention_days: int = Field(ge=1, description="the days a pending application was kept")


class TeamRegistered(Event):
    type: ClassVar[str] = "wushe.volunteers.team.registered.v1"
    aggregate: ClassVar[str] = "team"

    team_id: UUID
    kind: TeamKind
    name: Label


class TeamMemberAdded(Event):
    type: ClassVar[str] = "wushe.volunteers.team.memberadded.v1"
    aggregate: ClassVar[str] = "team"

    team_id: UUID
    volunteer_id: UUID
    role: MemberRole = MemberRole.member


class TeamMemberRemoved(Event):
    type: ClassVar[str] = "wushe.volunteers.team.memberremoved.v1"
    aggregate: ClassVar[str] = "team"

    team_id: UUID
    volunteer_id: UUID
    role: MemberRole | None = None


class PairingEstablished(Event):
    type: ClassVar[str] = "wushe.volunteers.pairing.established.v1"
    aggregate: ClassVar[str] = "pairing"

    pairing_id: UUID
    university_team_id: UUID
    social_org_team_id: UUID
    community_id: Slug


class SiteRegistered(Event):
    type: ClassVar[str] = "wushe.volunteers.site.registered.v1"
    aggregate: ClassVar[str] = "site"

    site_id: UUID
    kind: SiteKind
    name: Label
    community_id: Slug


class ActivityScheduled(Event):
    type: ClassVar[str] = "wushe.volunteers.activity.scheduled.v1"
    aggregate: ClassVar[str] = "activity"

    activity_id: UUID
    team_id: UUID
    community_id: Slug
    title: Label
    starts_at: UtcDatetime
    ends_at: UtcDatetime
    capacity: int = Field(gt=0, le=100_000)
    site_id: UUID | None = None
    need_categories: list[Slug] = Field(default_factory=list)
    # Needs of the needs list the activity serves: the needs service matches those still open
    # to it, and opens them again if it is cancelled.
    need_ids: list[UUID] = Field(default_factory=list)


class ActivityCancelled(Event):
    type: ClassVar[str] = "wushe.volunteers.activity.cancelled.v1"
    aggregate: ClassVar[str] = "activity"

    activity_id: UUID
    community_id: Slug
    reason: Slug | None = None


class SignupAccepted(Event):
    """A volunteer took one of an activity's places (stored in the activity's stream)."""

    type: ClassVar[str] = "wushe.volunteers.signup.accepted.v1"
    aggregate: ClassVar[str] = "activity"

    activity_id: UUID
    volunteer_id: UUID
    community_id: Slug
    # A walk-in: the place was taken at the activity, not signed up for before; entered with
    # the attendance, after the fact (补录).
    walk_in: bool = False
    # Set when the place is one beyond the activity's capacity, taken with the organiser's
    # consent: why, as a code (walk-in, paper-sheet); None within capacity.
    over_capacity_reason: Slug | None = None


class SignupWithdrawn(Event):
    type: ClassVar[str] = "wushe.volunteers.signup.withdrawn.v1"
    aggregate: ClassVar[str] = "activity"

    activity_id: UUID
    volunteer_id: UUID
    community_id: Slug


class AttendanceRecorded(Event):
    """Check-in and check-out of one volunteer; the hours it gives are recorded pending."""

    type: ClassVar[str] = "wushe.volunteers.attendance.recorded.v1"
    aggregate: ClassVar[str] = "activity"

    activity_id: UUID
    volunteer_id: UUID
    community_id: Slug
    checked_in_at: UtcDatetime
    checked_out_at: UtcDatetime
    record_id: UUID
    # Entered after the fact (补录) by the organising team, e.g. from a paper sign-in sheet,
    # with the times it gives; False for attendance recorded as it was checked.
    after_the_fact: bool = False


class HoursRecorded(Event):
    """Pending until a coordinator of the organising team verifies or declines it."""

    type: ClassVar[str] = "wushe.volunteers.hours.recorded.v1"
    aggregate: ClassVar[str] = "hours"
    id_field: ClassVar[str] = "record_id"

    record_id: UUID
    volunteer_id: UUID
    hours: Hours
    source: HoursSource
    source_id: UUID
    team_id: UUID | None = None  # the organiser: whose coordinators verify (谁组织谁记录)


class HoursVerified(Event):
    type: ClassVar[str] = "wushe.volunteers.hours.verified.v1"
    aggregate: ClassVar[str] = "hours"
    id_field: ClassVar[str] = "record_id"

    record_id: UUID
    volunteer_id: UUID
    hours: Hours
    source: HoursSource
    source_id: UUID
    verified_by: UUID | None = None  # the coordinator who verified


class HoursDeclined(Event):
    """Entries are never deleted: declined, with a reason."""

    type: ClassVar[str] = "wushe.volunteers.hours.declined.v1"
    aggregate: ClassVar[str] = "hours"
    id_field: ClassVar[str] = "record_id"

    record_id: UUID
    volunteer_id: UUID
    reason: Slug


class HoursCorrected(Event):
    """New hours for an entry, with a reason; pending again until verified."""

    type: ClassVar[str] = "wushe.volunteers.hours.corrected.v1"
    aggregate: ClassVar[str] = "hours"
    id_field: ClassVar[str] = "record_id"

    record_id: UUID
    volunteer_id: UUID
    hours: Hours
    reason: Slug


class CertifiedRecord(BaseModel):
    """One verified hours record a certificate covers, with the hours it had then."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    record_id: UUID
    hours: Hours


class CertificateIssued(Event):
    """A service-record certificate (志愿服务记录证明). Stored in the year's register stream,
    whose version numbers the certificates of the year without gaps."""

    type: ClassVar[str] = "wushe.volunteers.certificate.issued.v1"
    aggregate: ClassVar[str] = "certificate"
    id_field: ClassVar[str] = "year"

    year: int = Field(ge=2000, le=2999)
    certificate_id: UUID
    number: str
    code: str = Field(pattern=r"^[A-Z2-7]{16}$")
    volunteer_id: UUID
    hours: float = Field(ge=0)
    digest: str = Field(pattern=r"^[0-9a-f]{64}$")  # of the verified records it covers
    # The records it covers: it stays valid while each is verified with these hours, whatever
    # is verified later. None on certificates issued before the field existed: those are
    # valid while the volunteer's verified records are exactly those of `digest`.
    records: list[CertifiedRecord] | None = None

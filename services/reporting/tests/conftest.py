"""A scripted history of one office, as the other services would publish it."""

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import asyncpg
import pytest

from wushe_events.catalogue import Event
from wushe_events.catalogue import funds as f
from wushe_events.catalogue import needs as n
from wushe_events.catalogue import volunteers as v
from wushe_events.database import create_pool
from wushe_events.envelope import Envelope
from wushe_events.store import EventStore
from wushe_events.testing import envelope_of
from wushe_reporting.bus import CONSUMER
from wushe_reporting.main import create_app
from wushe_reporting.settings import ReportingSettings
from wushe_service import testing
from wushe_service.testing import serving

T0 = datetime(2026, 9, 1, 2, 0, tzinfo=UTC)  # 10:00 in the offices' time zone


@pytest.fixture
def envelope():
    return envelope_of


def scripted(office: str) -> list[Envelope]:
    """Two streets, three communities; residents, surveys, needs, wishes, volunteers, hours,
    money — with known figures (asserted in test_projections)."""
    ids = defaultdict(uuid4)
    versions: dict[tuple[str, str], int] = defaultdict(int)
    out: list[Envelope] = []

    def emit(event: Event, days: float = 0) -> None:
        key = (event.aggregate, event.aggregate_id)
        versions[key] += 1
        out.append(envelope_of(office, event, versions[key], T0 + timedelta(days=days)))

    for slug, name, street in [
        ("fengshan", "丰山社区", "阳明街道"),
        ("xinjian", "新建社区", "阳明街道"),
        ("jiangbin", "江滨社区", "兰江街道"),
    ]:
        emit(n.CommunityRegistered(community_id=slug, name=name, street=street))
    emit(n.CommunityRenamed(community_id="xinjian", name="新建村", street="阳明街道"), 1)
    for key, slug, groups, band in [
        ("r1", "fengshan", ["elderly_alone", "dibao"], "80_plus"),
        ("r2", "fengshan", ["elderly"], "70_79"),
        ("r3", "jiangbin", ["left_behind_child"], "under_14"),
        ("r4", "xinjian", ["veteran"], "60_69"),
    ]:
        emit(
            n.ResidentRegistered(
                resident_id=ids[key], community_id=slug, groups=groups, age_band=band
            )
        )
    for resident, slug, purpose, giver in [
        ("r1", "fengshan", "personal_data", "self"),
        ("r1", "fengshan", "services", "self"),
        ("r3", "jiangbin", "personal_data", "guardian"),
        ("r3", "jiangbin", "sharing", "guardian"),
        ("r4", "xinjian", "personal_data", "self"),  # erased later: no longer counted
    ]:
        emit(
            n.ConsentGranted(
                resident_id=ids[resident],
                community_id=slug,
                purpose=purpose,
                given_by=giver,
                given_at=T0,
            )
        )
    emit(
        n.ConsentWithdrawn(
            resident_id=ids["r3"],
            community_id="jiangbin",
            purpose="sharing",
            withdrawn_at=T0 + timedelta(days=8),
            reason="moved_away",
        ),
        8,
    )
    emit(n.ResidentErased(resident_id=ids["r4"], community_id="xinjian"), 40)
    levels = {"physical": 2, "psychological": 1, "material": 3, "spiritual": 0}
    for key, resident, slug, method, day, lv in [
        ("s1", "r1", "fengshan", "home_visit", 2, levels),
        ("s2", "r2", "fengshan", "phone", 35, {**levels, "physical": 3}),
        ("s3", "r3", "jiangbin", "questionnaire", 36, {**levels, "material": 0}),
        ("s4", "r1", "fengshan", "spot_check", 37, {**levels, "material": 1}),
    ]:
        emit(
            n.SurveyRecorded(
                survey_id=ids[key],
                resident_id=ids[resident],
                community_id=slug,
                method=method,
                surveyed_at=T0 + timedelta(days=day),
                dimensions=lv,
                verifies_survey_id=ids["s1"] if key == "s4" else None,
            ),
            day,
        )
    emit(
        n.SurveyVerified(
            survey_id=ids["s1"],
            spot_check_id=ids["s4"],
            community_id="fengshan",
            discrepancy=True,
            differing=["material"],
        ),
        37,
    )
    for key, slug, category, urgency, day in [
        ("n1", "fengshan", "meal-delivery", "high", 2),
        ("n2", "fengshan", "companionship", "normal", 2),
        ("n3", "jiangbin", "tutoring", "normal", 36),
    ]:
        emit(
            n.NeedIdentified(
                need_id=ids[key],
                community_id=slug,
                resident_id=ids["r1"],
                survey_id=ids["s1"],
                category=category,
                dimension="material",
                urgency=urgency,
            ),
            day,
        )
    emit(  # found more urgent on the spot check
        n.NeedReprioritised(
            need_id=ids["n3"], community_id="jiangbin", urgency="high", from_urgency="normal"
        ),
        37,
    )
    emit(
        n.NeedResolved(
            need_id=ids["n2"],
            community_id="fengshan",
            resolution="resolved",
            reason="service-provided",
        ),
        20,
    )
    deadline = T0 + timedelta(days=60)
    for key, slug, value in [("w1", "fengshan", 30_000), ("w2", "jiangbin", 8_000)]:
        emit(
            n.WishPosted(
                wish_id=ids[key],
                community_id=slug,
                resident_id=None,
                category="daily-goods",
                title="心愿",
                estimated_value_fen=value,
                deadline=deadline,
            ),
            3,
        )
    emit(
        n.NeedMatched(
            need_id=ids["n1"], community_id="fengshan", match_kind="wish", match_id=ids["w1"]
        ),
        3,
    )
    emit(
        n.WishClaimed(
            wish_id=ids["w1"],
            community_id="fengshan",
            claimant_id=ids["v1"],
            claimant_kind="volunteer",
        ),
        3.5,
    )
    emit(n.WishProgressed(wish_id=ids["w1"], community_id="fengshan", claimant_id=ids["v1"]), 4)
    emit(
        n.WishFulfilled(
            wish_id=ids["w1"],
            community_id="fengshan",
            claimant_id=ids["v1"],
            claimant_kind="volunteer",
            hours=2,
        ),
        5,
    )
    for key, slug, cert in [
        ("v1", "fengshan", "assistant"),
        ("v2", "fengshan", "none"),
        ("v3", "jiangbin", "senior"),
    ]:
        emit(
            v.VolunteerRegistered(
                volunteer_id=ids[key], community_id=slug, skills=[], certification=cert
            ),
            1,
        )
    emit(v.VolunteerSuspended(volunteer_id=ids["v3"], community_id="jiangbin"), 10)
    for key, kind in [("t1", "volunteer_team"), ("t2", "university"), ("t3", "social_org")]:
        emit(v.TeamRegistered(team_id=ids[key], kind=kind, name=f"队{key}"))
    for team, volunteer, added in [
        ("t1", "v1", True),
        ("t1", "v2", True),
        ("t1", "v2", False),
        ("t1", "v3", True),
        ("t2", "v1", True),
    ]:
        member = v.TeamMemberAdded if added else v.TeamMemberRemoved
        emit(member(team_id=ids[team], volunteer_id=ids[volunteer]), 2)
    emit(
        v.PairingEstablished(
            pairing_id=ids["p1"],
            university_team_id=ids["t2"],
            social_org_team_id=ids["t3"],
            community_id="fengshan",
        )
    )
    emit(
        v.SiteRegistered(
            site_id=ids["site"], kind="social_work_station", name="社工站", community_id="fengshan"
        )
    )
    emit(
        v.ActivityScheduled(
            activity_id=ids["a1"],
            team_id=ids["t1"],
            community_id="fengshan",
            title="理发",
            starts_at=T0 + timedelta(days=33),
            ends_at=T0 + timedelta(days=33, hours=2),
            capacity=10,
        ),
        30,
    )
    for volunteer in ("v1", "v2", "v3"):
        emit(
            v.SignupAccepted(
                activity_id=ids["a1"], volunteer_id=ids[volunteer], community_id="fengshan"
            ),
            31,
        )
    emit(
        v.SignupWithdrawn(activity_id=ids["a1"], volunteer_id=ids["v2"], community_id="fengshan"),
        32,
    )
    emit(  # v1 came; v3 signed up and did not
        v.AttendanceRecorded(
            activity_id=ids["a1"],
            volunteer_id=ids["v1"],
            community_id="fengshan",
            checked_in_at=T0 + timedelta(days=33),
            checked_out_at=T0 + timedelta(days=33, hours=2),
            record_id=ids["h1"],
        ),
        33,
    )
    for key, volunteer, hours, source_kind, source_id, day in [
        ("h1", "v1", 2.0, "activity", ids["a1"], 33),
        ("h2", "v1", 2.0, "wish", ids["w1"], 5),
        ("h3", "v2", 1.5, "activity", ids["a1"], 33),
    ]:
        emit(
            v.HoursRecorded(
                record_id=ids[key],
                volunteer_id=ids[volunteer],
                hours=hours,
                source=source_kind,
                source_id=source_id,
            ),
            day,
        )
    for key, day in [("h1", 34), ("h2", 6)]:
        emit(
            v.HoursVerified(
                record_id=ids[key],
                volunteer_id=ids["v1"],
                hours=2.0,
                source="activity" if key == "h1" else "wish",
                source_id=ids["a1"] if key == "h1" else ids["w1"],
            ),
            day,
        )
    emit(
        v.HoursCorrected(
            record_id=ids["h1"], volunteer_id=ids["v1"], hours=1.5, reason="left-early"
        ),
        35,
    )
    emit(
        v.HoursVerified(
            record_id=ids["h1"],
            volunteer_id=ids["v1"],
            hours=1.5,
            source="activity",
            source_id=ids["a1"],
        ),
        35.5,
    )
    emit(
        v.CertificateIssued(
            year=2026,
            certificate_id=ids["c1"],
            number="2026-0001",
            code="ABCDEFGHJKMNPQRS",
            volunteer_id=ids["v1"],
            hours=3.5,
            digest="0" * 64,
        ),
        36,
    )
    emit(f.FundOpened(fund_id=ids["f1"], community_id="fengshan", name="丰山慈善基金"))
    emit(f.FundOpened(fund_id=ids["f2"], community_id=None, name="全市公益创投基金"))
    for amount, day in [(500_000, 2), (20_000, 33)]:
        emit(
            f.DonationReceived(
                donation_id=uuid4(),
                fund_id=ids["f1"],
                amount_fen=amount,
                donor_kind="enterprise",
                donor_display=None,
            ),
            day,
        )
    emit(
        f.DonationReceived(
            donation_id=uuid4(),
            fund_id=ids["f2"],
            amount_fen=1_000_000,
            donor_kind="government",
            donor_display="民政局",
        ),
        2,
    )
    emit(
        f.RoundOpened(
            round_id=ids["round"],
            fund_id=ids["f2"],
            budget_fen=600_000,
            themes=["助老"],
            closes_at=T0 + timedelta(days=20),
            community_budgets_fen={"fengshan": 300_000, "jiangbin": 200_000},
        ),
        2,
    )
    for key, slug, requested in [("g1", "fengshan", 200_000), ("g2", "jiangbin", 150_000)]:
        emit(
            f.ApplicationSubmitted(
                application_id=ids[key],
                round_id=ids["round"],
                team_id=ids["t1"],
                community_id=slug,
                title="项目",
                requested_fen=requested,
            ),
            10,
        )
    emit(f.ReviewerRecused(application_id=ids["g2"], reviewer_id="r-a", reason="conflict"), 14)
    for key, reviewer, score in [("g1", "r-b", 80), ("g1", "r-c", 90), ("g2", "r-b", 60)]:
        emit(f.ApplicationReviewed(application_id=ids[key], reviewer_id=reviewer, score=score), 15)
    emit(f.ApplicationApproved(application_id=ids["g1"], approved_fen=180_000), 25)
    emit(f.RoundAllocated(round_id=ids["round"], application_id=ids["g1"], amount_fen=180_000), 25)
    emit(f.ApplicationRejected(application_id=ids["g2"]), 25)
    for key, amount, tranche, approvals, day in [
        ("d1", 90_000, 1, 0, 34),
        ("d2", 50_000, 2, 2, 39),
        ("d3", 40_000, 2, 2, 40),
    ]:
        if key == "d2":
            emit(
                f.MidtermEvaluated(application_id=ids["g1"], passed=True, evaluator_id=ids["e"]),
                38,
            )
        emit(
            f.DisbursementRequested(
                disbursement_id=ids[key], application_id=ids["g1"], fund_id=ids["f2"],
                amount_fen=amount, tranche=tranche, requested_by=ids["fm"],
                approvals_required=approvals,
            ),
            day,
        )  # fmt: skip
    emit(
        f.GrantDisbursed(
            disbursement_id=ids["d1"],
            application_id=ids["g1"],
            fund_id=ids["f2"],
            amount_fen=90_000,
        ),
        34,
    )
    emit(
        f.DisbursementApproved(
            disbursement_id=ids["d2"], application_id=ids["g1"], approved_by=ids["a"]
        ),
        39.5,
    )  # one of the two approvers: it waits
    emit(
        f.DisbursementCancelled(
            disbursement_id=ids["d3"], application_id=ids["g1"], reason="duplicate"
        ),
        41,
    )
    for key, amount, category, day in [
        ("x1", 30_000, "materials", 36),
        ("x2", 20_000, "venue", 37),
    ]:
        emit(
            f.ExpenseReported(
                expense_id=ids[key], application_id=ids["g1"], amount_fen=amount,
                category=category, receipt_sha256="a" * 64,
            ),
            day,
        )  # fmt: skip
    emit(f.MidtermEvaluated(application_id=ids["g1"], passed=False, evaluator_id=ids["e"]), 45)
    return out


@pytest.fixture
def history():
    return scripted


@pytest.fixture(scope="session")
async def migrated(postgres_url, nats_url):
    """A database with the reporting service's schemas migrated, made once for the session."""

    def app(url):
        return app_for(url, nats_url, "template")

    async with testing.migrated_template(postgres_url, app) as url:
        yield url


@pytest.fixture
async def reporting_store(database_url, office):
    pool = await create_pool(database_url, "reporting")  # migrated: a copy of `migrated`
    yield EventStore(pool, office)
    await pool.close()


def app_for(database_url, nats_url, office, **fields):
    return create_app(
        ReportingSettings(
            office=office,
            nats_url=nats_url,
            database_url=database_url,
            log_format="console",
            reporting_month_close=False,  # the tests take the snapshots they look at
            # Exact figures for all, unless a test sets it: the small-cell tests do.
            **({"public_min_count": 0} | fields),
        )
    )


@pytest.fixture
def reporting_app(database_url, nats_url, office):
    """A reporting service app of the test office (not started), with any other settings."""
    return lambda **fields: app_for(database_url, nats_url, office, **fields)


@pytest.fixture
async def reporting(reporting_app):
    app = reporting_app()
    async with serving(app) as client:
        client.app = app
        yield client


@pytest.fixture
def consumed(database_url):
    """Whether the reporting consumer has reached stream sequence `count`."""

    async def reached(count: int) -> bool:
        connection = await asyncpg.connect(database_url)
        try:
            seq = await connection.fetchval(
                "SELECT last_seq FROM reporting.consumer_positions WHERE consumer = $1", CONSUMER
            )
        finally:
            await connection.close()
        return seq == count

    return reached

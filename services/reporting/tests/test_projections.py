"""The read models for a scripted history: exact figures, and the same facts whatever the
order or repetition of delivery (real PostgreSQL)."""

import csv
import io
import random
import re
from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

from wushe_events.catalogue import event_types
from wushe_events.catalogue import funds as f
from wushe_events.catalogue import needs as n
from wushe_events.catalogue import volunteers as v
from wushe_events.testing import envelope_of
from wushe_reporting import queries
from wushe_reporting.projections import APPLY, TABLES, Deferred, apply_to, project

from .conftest import T0

AT = datetime(2026, 10, 15, 2, tzinfo=UTC)


async def apply_all(store, envelopes):
    for envelope in envelopes:
        async with store.transaction() as tx:
            await project(tx, envelope)


async def figures(store, **filters):
    async with store.connection() as db:
        return await queries.figures(db, queries.Filters(**filters))


class TestFigures:
    async def test_residents_due_a_visit_at_a_moment(self, reporting_store, office, history):
        events = history(office)
        await apply_all(reporting_store, events)

        async def due(moment: datetime, **place: str) -> int:
            async with reporting_store.connection() as db:
                filters = queries.Filters(office=office, at=moment, **place)
                return (await queries.figures(db, filters))["residents"]["due_visit"]

        # Visits: r1 on 3 September and 8 October (a spot check), r2 on 6 October, r3 on
        # 7 October. (r4 is erased: these read models know residents as they stand now; a
        # snapshot replays them as they stood.)
        assert await due(datetime(2026, 9, 2, tzinfo=UTC)) == 3  # none visited yet
        assert await due(datetime(2026, 9, 2, tzinfo=UTC), community="jiangbin") == 1
        assert await due(datetime(2026, 10, 1, 4, tzinfo=UTC)) == 2  # all but r1
        assert await due(datetime(2026, 10, 9, tzinfo=UTC)) == 0
        assert await due(datetime(2026, 11, 6, 4, tzinfo=UTC)) == 2  # r2 and r3, not r1

        # Who withdrew their consent to services is not to be visited.
        r2 = next(
            e.data["resident_id"]
            for e in events
            if e.type == "wushe.needs.resident.registered.v1" and e.data["groups"] == ["elderly"]
        )
        withdrawn = n.ConsentWithdrawn(
            resident_id=r2, community_id="fengshan", purpose="services", withdrawn_at=AT
        )
        await apply_all(reporting_store, [envelope_of(office, withdrawn, streamversion=10)])
        assert await due(datetime(2026, 11, 6, 4, tzinfo=UTC)) == 1

    async def test_the_offices_figures(self, reporting_store, office, history):
        await apply_all(reporting_store, history(office))
        got = await figures(reporting_store, office=office)
        assert got["residents"] == {
            "total": 3,
            "by_age_band": {"70_79": 1, "80_plus": 1, "under_14": 1},
            "by_group": {"dibao": 1, "elderly": 1, "elderly_alone": 1, "left_behind_child": 1},
            "due_visit": 3,  # counted now: the last visits were in October 2026
        }
        assert got["surveys"]["by_method"] == {
            "home_visit": 1,
            "phone": 1,
            "questionnaire": 1,
            "spot_check": 1,
        }
        assert got["surveys"]["by_month"] == [
            {"month": "2026-09", "count": 1},
            {"month": "2026-10", "count": 3},
        ]
        assert got["surveys"]["dimensions"] == {
            "physical": {"0": 0, "1": 0, "2": 2, "3": 1},
            "psychological": {"0": 0, "1": 3, "2": 0, "3": 0},
            "material": {"0": 1, "1": 0, "2": 0, "3": 2},
            "spiritual": {"0": 3, "1": 0, "2": 0, "3": 0},
        }
        assert got["surveys"]["spot_check_discrepancies"] == 1
        assert got["needs"] == {
            "open": 2,
            "by_category": {"meal-delivery": 1, "tutoring": 1},
            "by_urgency": {"high": 2},  # n3 raised from normal
            "by_state": {"matched": 1, "open": 1, "resolved": 1},
            "coverage": 0.6667,
        }
        assert got["wishes"] == {
            "total": 2,
            "by_state": {"fulfilled": 1, "posted": 1},
            "median_hours_to_claim": 12.0,
            "median_hours_to_fulfil": 48.0,
            "value_fen": 38_000,
            "with_progress": 1,
        }
        assert got["volunteers"] == {
            "active": 2,
            "by_status": {"active": 2, "suspended": 1},
            "social_workers_by_certification": {"assistant": 1},
        }
        assert got["organisations"] == {
            "teams_by_kind": {"social_org": 1, "university": 1, "volunteer_team": 1},
            "pairings": 1,
            "sites_by_kind": {"social_work_station": 1},
            "team_members": 3,
            "volunteers_in_teams": 2,
            "members_by_team_kind": {"university": 1, "volunteer_team": 2},
        }
        assert got["activities"] == {
            "held": 1,
            "upcoming": 0,
            "cancelled": 0,
            "places": 10,
            "signed_up": 2,
            "attended": 1,
            "attendance_rate": 0.5,
        }
        assert got["hours"] == {
            "verified": 3.5,
            "pending": 1.5,
            "verified_by_month": [
                {"month": "2026-09", "hours": 2.0},
                {"month": "2026-10", "hours": 1.5},
            ],
        }
        assert got["money"] == {
            "funds": 2,
            "raised_fen": 1_520_000,
            "refunded_fen": 0,
            "disbursed_fen": 90_000,
            "net_fen": 1_430_000,
            "balance_fen": 1_430_000,
            "by_month": [
                {
                    "month": "2026-09",
                    "raised_fen": 1_500_000,
                    "refunded_fen": 0,
                    "disbursed_fen": 0,
                },
                {
                    "month": "2026-10",
                    "raised_fen": 20_000,
                    "refunded_fen": 0,
                    "disbursed_fen": 90_000,
                },
            ],
        }
        [round_] = got["grants"]["by_round"]
        assert got["grants"]["by_state"] == {"approved": 1, "rejected": 1}
        assert (
            round_["budget_fen"],
            round_["applications"],
            round_["approved"],
            round_["approved_fen"],
        ) == (600_000, 2, 1, 180_000)
        assert (got["grants"]["allocated_fen"], round_["allocated_fen"]) == (180_000, 180_000)

    async def test_the_applications_listed_are_those_submitted_in_the_period_as_exported(
        self, reporting_store, office, history
    ):
        # Both applications were submitted on 11 September; the round and its allocation
        # stand whatever the period.
        await apply_all(reporting_store, history(office))
        for start, end, listed in [
            (date(2026, 9, 1), date(2026, 10, 1), 2),
            (date(2026, 10, 1), None, 0),
        ]:
            chosen = queries.Filters(office=office, start=start, end=end)
            async with reporting_store.connection() as db:
                got = (await queries.figures(db, chosen))["grants"]
                exported = await queries.export_csv(db, "grants", chosen)
            rows = list(csv.DictReader(io.StringIO(exported.removeprefix("\ufeff"))))
            assert len(got["by_application"]) == sum(got["by_state"].values()) == listed
            assert sorted(g["application_id"] for g in got["by_application"]) == sorted(
                r["application_id"] for r in rows
            )
            [round_] = got["by_round"]
            assert (round_["applications"], got["allocated_fen"]) == (2, 180_000)

    async def test_the_grants_figures(self, reporting_store, office, history):
        await apply_all(reporting_store, history(office))
        got = await figures(reporting_store, office=office)
        assert got["reviews"] == {
            "count": 3,
            "mean_score": 76.7,
            "recusals": 1,
            "applications_reviewed": 2,
        }
        assert got["disbursements"] == {
            "requested": 3,
            "requested_fen": 180_000,
            "awaiting_approval": 1,
            "awaiting_approval_fen": 50_000,
            "cancelled": 1,
            "cancelled_fen": 40_000,
            "by_status": {"awaiting_approval": 1, "cancelled": 1, "paid": 1},
            "by_status_fen": {"awaiting_approval": 50_000, "cancelled": 40_000, "paid": 90_000},
        }
        assert got["expenses"] == {
            "spent_fen": 50_000,
            "by_category_fen": {"materials": 30_000, "venue": 20_000},
        }
        assert got["evaluations"] == {"passed": 1, "failed": 1, "suspended_grants": 1}
        by_community = {g.pop("community_id"): g for g in got["grants"]["by_application"]}
        for grant in by_community.values():
            grant.pop("application_id")
            grant.pop("update_due")  # as of now: see test_grants_overdue_an_update
        assert by_community == {
            "fengshan": {
                "state": "approved",
                "approved_fen": 180_000,
                "reviews": 2,
                "mean_score": 85.0,
                "recusals": 0,
                "disbursed_fen": 90_000,
                "spent_fen": 50_000,
                "suspended": True,  # its latest evaluation failed
                "last_update_at": (T0 + timedelta(days=45)).isoformat(),  # that evaluation
            },
            "jiangbin": {
                "state": "rejected",
                "approved_fen": None,
                "reviews": 1,
                "mean_score": 60.0,
                "recusals": 1,
                "disbursed_fen": 0,
                "spent_fen": 0,
                "suspended": False,
                "last_update_at": (T0 + timedelta(days=10)).isoformat(),  # its submission
            },
        }
        september = await figures(
            reporting_store, office=office, start=date(2026, 9, 1), end=date(2026, 10, 1)
        )
        assert (september["reviews"]["count"], september["disbursements"]["requested"]) == (3, 0)
        jiangbin = await figures(reporting_store, office=office, community="jiangbin")
        assert (
            jiangbin["reviews"]["count"],
            jiangbin["expenses"]["spent_fen"],
            jiangbin["evaluations"]["suspended_grants"],
        ) == (1, 0, 0)

    async def test_grants_overdue_an_update(self, reporting_store, office, history):
        """A grant under way not heard of for 90 days is overdue an update (慈善组织信息公开办法
        art. 17); a rejected one never is."""
        await apply_all(reporting_store, history(office))
        last = T0 + timedelta(days=45)  # the approved grant's last evaluation

        async def due(moment: datetime) -> tuple[int, dict[str, bool]]:
            got = await figures(reporting_store, office=office, at=moment)
            grants = got["grants"]
            return grants["update_due"], {
                g["community_id"]: g["update_due"] for g in grants["by_application"]
            }

        assert await due(last + timedelta(days=89)) == (0, {"fengshan": False, "jiangbin": False})
        assert await due(last + timedelta(days=90)) == (1, {"fengshan": True, "jiangbin": False})
        jiangbin = await figures(
            reporting_store, office=office, community="jiangbin", at=last + timedelta(days=90)
        )
        assert jiangbin["grants"]["update_due"] == 0

    async def test_a_tranche_approved_or_cancelled_is_an_update(
        self, reporting_store, office, history
    ):
        """The first of two approvals, and a cancellation, update a grant as the funds service's
        projects list counts them: its disclosure changed."""
        events = history(office)
        grant = next(e for e in events if e.type == "wushe.funds.application.approved.v1")
        application, fund = grant.data["application_id"], uuid4()
        version = max(e.streamversion for e in events if e.subject == grant.subject)
        waiting, dropped = uuid4(), uuid4()

        def later(event, days):
            nonlocal version
            version += 1
            return envelope_of(office, event, version, T0 + timedelta(days=days))

        def asked(disbursement_id, days):
            return later(
                f.DisbursementRequested(
                    disbursement_id=disbursement_id, application_id=application, fund_id=fund,
                    amount_fen=10_000, tranche=2, requested_by=uuid4(), approvals_required=2,
                ),
                days,
            )  # fmt: skip

        await apply_all(
            reporting_store,
            [
                *events,
                asked(waiting, 46),
                asked(dropped, 47),
                later(
                    f.DisbursementApproved(
                        disbursement_id=waiting, application_id=application, approved_by=uuid4()
                    ),
                    60,
                ),  # one of two: it waits
                later(
                    f.DisbursementCancelled(
                        disbursement_id=dropped, application_id=application, reason="duplicate"
                    ),
                    70,
                ),
            ],
        )
        got = await figures(reporting_store, office=office, at=T0 + timedelta(days=159))
        [fengshan] = [g for g in got["grants"]["by_application"] if g["state"] == "approved"]
        assert fengshan["last_update_at"] == (T0 + timedelta(days=70)).isoformat()
        assert (got["grants"]["update_due"], fengshan["update_due"]) == (0, False)
        got = await figures(reporting_store, office=office, at=T0 + timedelta(days=160))
        assert got["grants"]["update_due"] == 1

    async def test_consent_certificates_and_teams(self, reporting_store, office, history):
        await apply_all(reporting_store, history(office))
        got = await figures(reporting_store, office=office)
        assert got["consent"] == {
            "by_purpose": {"personal_data": 2, "services": 1},  # the erased resident's is gone
            "by_giver": {"guardian": 1, "self": 2},
            "withdrawn": 1,
            "withdrawn_by_reason": {"moved_away": 1},
        }
        assert got["certificates"] == {"issued": 1, "hours": 3.5}
        street = await figures(reporting_store, office=office, street="阳明街道")
        assert street["consent"]["by_purpose"] == {"personal_data": 1, "services": 1}
        assert (
            street["organisations"]["team_members"],
            street["organisations"]["volunteers_in_teams"],
            street["certificates"]["issued"],
        ) == (2, 1, 1)
        jiangbin = await figures(reporting_store, office=office, community="jiangbin")
        assert (jiangbin["certificates"]["issued"], jiangbin["consent"]["withdrawn"]) == (0, 1)
        assert jiangbin["organisations"]["members_by_team_kind"] == {"volunteer_team": 1}
        # A withdrawal recorded before reasons were asked for counts as not recorded.
        unsaid = n.ConsentWithdrawn(
            resident_id=uuid4(), community_id="fengshan", purpose="services", withdrawn_at=AT
        )
        await apply_all(reporting_store, [envelope_of(office, unsaid, streamversion=3)])
        got = await figures(reporting_store, office=office)
        assert got["consent"]["withdrawn_by_reason"] == {"moved_away": 1, "not_recorded": 1}

    async def test_by_street_community_and_period(self, reporting_store, office, history):
        await apply_all(reporting_store, history(office))
        street = await figures(reporting_store, office=office, street="阳明街道")
        assert street["residents"]["total"] == 2  # the erased resident is not counted
        assert street["volunteers"]["active"] == 2
        assert street["organisations"]["teams_by_kind"] == {}  # teams have no community
        assert (street["money"]["funds"], street["money"]["raised_fen"]) == (1, 520_000)
        jiangbin = await figures(reporting_store, office=office, community="jiangbin")
        assert (
            jiangbin["residents"]["total"],
            jiangbin["surveys"]["total"],
            jiangbin["needs"]["open"],
            jiangbin["wishes"]["total"],
            jiangbin["volunteers"]["active"],
        ) == (1, 1, 1, 1, 0)
        october = await figures(
            reporting_store, office=office, start=date(2026, 10, 1), end=date(2026, 11, 1)
        )
        assert october["surveys"]["total"] == 3
        assert (october["filters"]["from"], october["filters"]["to"]) == (
            "2026-10-01",
            "2026-10-31",
        )
        assert (october["money"]["raised_fen"], october["money"]["disbursed_fen"]) == (
            20_000,
            90_000,
        )
        # The period's net flow is negative; the balance is a stock, as at the period's end.
        assert (october["money"]["net_fen"], october["money"]["balance_fen"]) == (
            -70_000,
            1_430_000,
        )
        september = await figures(
            reporting_store, office=office, start=date(2026, 9, 1), end=date(2026, 10, 1)
        )
        assert september["money"]["balance_fen"] == 1_500_000
        assert october["hours"]["verified"] == 1.5
        assert october["wishes"]["total"] == 0

    async def test_the_overview_and_the_drill_down(self, reporting_store, office, history):
        await apply_all(reporting_store, history(office))
        async with reporting_store.connection() as db:
            overview = await queries.overview(db)
            places = await queries.places(db, office)
        [row] = overview["offices"]
        assert {
            k: row[k]
            for k in (
                "communities",
                "residents",
                "surveys",
                "volunteers",
                "open_needs",
                "raised_fen",
                "verified_hours",
            )
        } == {
            "communities": 3,
            "residents": 3,
            "surveys": 4,
            "volunteers": 2,
            "open_needs": 2,
            "raised_fen": 1_520_000,
            "verified_hours": 3.5,
        }
        streets = {
            s["street"]: {c["community_id"]: c for c in s["communities"]} for s in places["streets"]
        }
        assert set(streets) == {"阳明街道", "兰江街道"}
        assert streets["阳明街道"]["xinjian"]["name"] == "新建村"  # renamed
        assert {
            k: streets["阳明街道"]["fengshan"][k]
            for k in ("residents", "surveys", "open_needs", "volunteers")
        } == {"residents": 2, "surveys": 3, "open_needs": 1, "volunteers": 2}


async def dump(store, office):
    tables = {}
    async with store.connection() as db:
        for table in TABLES:
            rows = await db.fetch(f"SELECT * FROM {table} WHERE office = $1", office)
            tables[table] = sorted(
                repr(sorted((k, v) for k, v in dict(r).items() if k != "office")) for r in rows
            )
    return tables


async def test_any_order_and_any_repetition_give_the_same_facts(reporting_store, office, history):
    in_order = history(office)
    await apply_all(reporting_store, in_order)
    shuffled = [
        e.model_copy(update={"office": "shuffled", "source": e.source.replace(office, "shuffled")})
        for e in in_order
    ]
    shuffled += random.Random(7).sample(shuffled, 25)  # some delivered twice
    random.Random(11).shuffle(shuffled)
    await apply_all(reporting_store, shuffled)
    expected, got = await dump(reporting_store, office), await dump(reporting_store, "shuffled")
    assert got == expected


async def test_an_erased_resident_keeps_no_groups_or_age_band_whatever_the_order(
    reporting_store, office, history
):
    events = history(office)
    erasure = next(e for e in events if e.type == "wushe.needs.resident.erased.v1")
    await apply_all(reporting_store, [erasure, *events])  # the erasure first, and again later
    async with reporting_store.connection() as db:
        row = await db.fetchrow(
            "SELECT groups, age_band, erased FROM residents WHERE office = $1 AND resident_id = $2",
            office,
            erasure.event().resident_id,
        )
    assert dict(row) == {"groups": None, "age_band": None, "erased": True}


async def test_a_batch_sent_grouped_as_a_rebuild_does_gives_the_same_facts(
    reporting_store, office, history
):
    in_order = history(office)
    await apply_all(reporting_store, in_order)
    batched = [
        e.model_copy(update={"office": "batched", "source": e.source.replace(office, "batched")})
        for e in in_order
    ]
    batched += batched[:10]  # some delivered twice
    random.Random(3).shuffle(batched)
    deferred = Deferred()
    for envelope in batched:
        await apply_to(deferred, envelope)
    async with reporting_store.transaction() as tx:
        await deferred.flush(tx.raw)
    expected, got = await dump(reporting_store, office), await dump(reporting_store, "batched")
    del expected["offices"], got["offices"]  # freshness: the rebuild writes it once per batch
    assert got == expected


async def test_a_need_whose_wish_ended_unfulfilled_counts_as_open_again(reporting_store, office):
    need_id, wish_id = uuid4(), uuid4()
    identified = n.NeedIdentified(
        need_id=need_id,
        community_id="fengshan",
        resident_id=uuid4(),
        survey_id=uuid4(),
        category="meal-delivery",
        dimension="material",
        urgency="high",
    )
    match = {"need_id": need_id, "community_id": "fengshan", "match_kind": "wish"}
    history = [
        envelope_of(office, identified, 1, AT),
        envelope_of(office, n.NeedMatched(**match, match_id=wish_id), 2, AT),
        envelope_of(office, n.NeedUnmatched(**match, match_id=wish_id), 3, AT),
    ]
    await apply_all(reporting_store, [history[2], history[0], history[1]])
    got = await figures(reporting_store, office=office)
    assert (got["needs"]["open"], got["needs"]["by_state"]) == (1, {"open": 1})


async def test_a_needs_raised_urgency_counts_whatever_the_order_of_delivery(
    reporting_store, office
):
    found = {"community_id": "fengshan", "resident_id": uuid4(), "survey_id": uuid4()}
    n1, n2, n3 = uuid4(), uuid4(), uuid4()
    raised = {"community_id": "fengshan"}
    history = [
        *(
            envelope_of(office, n.NeedIdentified(need_id=i, **found, **need), 1, AT)
            for i, need in [
                (n1, {"category": "repair", "dimension": "material", "urgency": "low"}),
                (n2, {"category": "repair", "dimension": "physical", "urgency": "normal"}),
                (n3, {"category": "medical", "dimension": "physical", "urgency": "normal"}),
            ]
        ),
        envelope_of(
            office,
            n.NeedReprioritised(need_id=n1, **raised, urgency="normal", from_urgency="low"),
            2,
            AT,
        ),
        envelope_of(
            office,
            n.NeedReprioritised(need_id=n1, **raised, urgency="critical", from_urgency="normal"),
            3,
            AT,
        ),
        envelope_of(
            office,
            n.NeedReprioritised(need_id=n2, **raised, urgency="high", from_urgency="normal"),
            2,
            AT,
        ),
    ]
    # The raises before what they raise, the last raise of n1 before the first, and twice.
    await apply_all(reporting_store, [history[4], history[3], *history, history[5]])
    got = await figures(reporting_store, office=office)
    assert got["needs"]["open"] == 3
    assert got["needs"]["by_category"] == {"repair": 2, "medical": 1}
    assert got["needs"]["by_urgency"] == {"critical": 1, "high": 1, "normal": 1}


def corrected_and_moved(office: str) -> list:
    """r1 of 丰山 (阳明街道) is corrected — groups, then birth year — and moves to 江滨 (兰江街道)
    with their matched need n1 and claimed wish w1; n2, resolved before, and r2 stay."""
    r1, r2, n1, n2, w1 = uuid4(), uuid4(), uuid4(), uuid4(), uuid4()
    now_there = {"groups": ["elderly_alone", "dibao"], "age_band": "80_plus"}
    moved = {"community_id": "jiangbin", "from_community_id": "fengshan"}
    need = {"category": "meal-delivery", "dimension": "material", "urgency": "high"}
    streams = [
        [n.CommunityRegistered(community_id="fengshan", name="丰山社区", street="阳明街道")],
        [n.CommunityRegistered(community_id="jiangbin", name="江滨社区", street="兰江街道")],
        [
            n.ResidentRegistered(
                resident_id=r1, community_id="fengshan", groups=["elderly"], age_band="70_79"
            ),
            n.ConsentGranted(
                resident_id=r1,
                community_id="fengshan",
                purpose="personal_data",
                given_by="self",
                given_at=AT,
            ),
            n.ResidentUpdated(
                resident_id=r1,
                community_id="fengshan",
                groups=["elderly_alone", "dibao"],
                age_band="70_79",
                changed=["groups"],
            ),
            n.ResidentUpdated(
                resident_id=r1, community_id="fengshan", **now_there, changed=["birth_year"]
            ),
            n.ResidentMoved(resident_id=r1, **moved, **now_there),
            n.ResidentUpdated(
                resident_id=r1, community_id="jiangbin", **now_there, changed=["phone"]
            ),
        ],
        [
            n.ResidentRegistered(
                resident_id=r2, community_id="fengshan", groups=["elderly"], age_band="60_69"
            )
        ],
        [
            n.NeedIdentified(
                need_id=n1, community_id="fengshan", resident_id=r1, survey_id=uuid4(), **need
            ),
            n.NeedMatched(need_id=n1, community_id="fengshan", match_kind="wish", match_id=w1),
            n.NeedMoved(need_id=n1, resident_id=r1, **moved),
        ],
        [
            n.NeedIdentified(
                need_id=n2, community_id="fengshan", resident_id=r1, survey_id=uuid4(), **need
            ),
            n.NeedResolved(
                need_id=n2, community_id="fengshan", resolution="resolved", reason="done"
            ),
        ],
        [
            n.WishPosted(
                wish_id=w1,
                community_id="fengshan",
                resident_id=r1,
                category="daily-goods",
                title="一台收音机",
                estimated_value_fen=15_000,
                deadline=AT + timedelta(days=30),
                need_id=n1,
            ),
            n.WishClaimed(
                wish_id=w1, community_id="fengshan", claimant_id=uuid4(), claimant_kind="volunteer"
            ),
            n.WishMoved(wish_id=w1, **moved),
        ],
    ]
    return [
        envelope_of(office, event, version, AT + timedelta(hours=version))
        for stream in streams
        for version, event in enumerate(stream, 1)
    ]


async def test_a_corrected_and_moved_resident_counts_where_and_as_they_are_now_in_any_order(
    reporting_store, office
):
    in_order = corrected_and_moved(office)
    shuffled = [*in_order, *random.Random(5).sample(in_order, 8)]  # some delivered twice
    random.Random(13).shuffle(shuffled)
    for place, envelopes in (
        (office, in_order),
        (f"{office}-r", [e.model_copy(update={"office": f"{office}-r"}) for e in in_order[::-1]]),
        (f"{office}-s", [e.model_copy(update={"office": f"{office}-s"}) for e in shuffled]),
    ):
        await apply_all(reporting_store, envelopes)
        fengshan = await figures(reporting_store, office=place, community="fengshan")
        jiangbin = await figures(reporting_store, office=place, street="兰江街道")
        assert fengshan["residents"] == {
            "total": 1,
            "by_age_band": {"60_69": 1},
            "by_group": {"elderly": 1},
            "due_visit": 1,
        }, place
        assert jiangbin["residents"] == {
            "total": 1,
            "by_age_band": {"80_plus": 1},
            "by_group": {"dibao": 1, "elderly_alone": 1},
            "due_visit": 1,
        }, place
        assert (fengshan["needs"]["open"], fengshan["needs"]["by_state"]) == (0, {"resolved": 1})
        assert (jiangbin["needs"]["open"], jiangbin["needs"]["by_state"]) == (1, {"matched": 1})
        assert (fengshan["wishes"]["total"], jiangbin["wishes"]["by_state"]) == (0, {"claimed": 1})
        assert fengshan["consent"]["by_purpose"] == {}  # the consent follows its resident
        assert jiangbin["consent"]["by_purpose"] == {"personal_data": 1}
    deferred = Deferred()  # grouped as a rebuild sends them
    for envelope in shuffled:
        await apply_to(deferred, envelope.model_copy(update={"office": f"{office}-b"}))
    async with reporting_store.transaction() as tx:
        await deferred.flush(tx.raw)
    expected = await dump(reporting_store, office)
    del expected["offices"]
    for other in (f"{office}-r", f"{office}-s", f"{office}-b"):
        got = await dump(reporting_store, other)
        del got["offices"]
        assert got == expected


def test_every_event_type_of_the_catalogue_has_a_projection():
    # A new event type must be projected (or knowingly mapped to nothing) before it ships.
    missing = sorted(t for t, model in event_types().items() if model not in APPLY)
    assert missing == []


async def test_every_table_exports_as_csv_with_a_bom(reporting_store, office, history):
    await apply_all(reporting_store, history(office))
    async with reporting_store.connection() as db:
        for table in TABLES:
            text = await queries.export_csv(db, table)
            assert text.startswith("\ufeffoffice,")
            assert not {"version", "placed_version"} & set(text.splitlines()[0].split(","))
        communities = await queries.export_csv(db, "communities")
    assert f"{office},fengshan,丰山社区,阳明街道" in communities
    # Times are office time, as Excel reads times (the history's happen at 02:00 UTC).
    async with reporting_store.connection() as db:
        flows = await queries.export_csv(db, "fund_flows", queries.Filters(office=office))
    assert re.search(r",\d{4}-\d\d-\d\d 10:00:00\r\n", flows)
    assert "+00:00" not in flows


async def test_a_need_counts_in_the_month_its_survey_was_done_not_typed_in(
    reporting_store, office, envelope
):
    found = n.NeedIdentified(
        need_id=uuid4(), community_id="fengshan", resident_id=uuid4(), survey_id=uuid4(),
        category="daily-care", dimension="physical", urgency="high",
        identified_at=datetime(2026, 9, 30, 9, tzinfo=UTC),
    )  # fmt: skip
    typed_in = datetime(2026, 10, 2, 9, tzinfo=UTC)
    await apply_all(reporting_store, [envelope(office, found, 1, typed_in)])
    september = await figures(
        reporting_store, office=office, start=date(2026, 9, 1), end=date(2026, 10, 1)
    )
    october = await figures(
        reporting_store, office=office, start=date(2026, 10, 1), end=date(2026, 11, 1)
    )
    assert (september["needs"]["by_state"], october["needs"]["by_state"]) == ({"open": 1}, {})


async def test_an_activity_yet_to_come_is_upcoming_not_held(reporting_store, office, envelope):
    activity, team = uuid4(), uuid4()
    starts = datetime.now(UTC) + timedelta(days=200)
    scheduled = v.ActivityScheduled(
        activity_id=activity, team_id=team, community_id="fengshan", title="义诊",
        starts_at=starts, ends_at=starts + timedelta(hours=2), capacity=5,
    )  # fmt: skip
    signed = v.SignupAccepted(activity_id=activity, volunteer_id=uuid4(), community_id="fengshan")
    await apply_all(
        reporting_store, [envelope(office, scheduled, 1, AT), envelope(office, signed, 2, AT)]
    )
    got = (await figures(reporting_store, office=office))["activities"]
    assert (got["held"], got["upcoming"], got["signed_up"]) == (0, 1, 1)
    assert got["attendance_rate"] is None  # no one could have come yet
    then = await figures(reporting_store, office=office, at=starts + timedelta(hours=3))
    assert (then["activities"]["held"], then["activities"]["upcoming"]) == (1, 0)
    assert then["activities"]["attendance_rate"] == 0.0


class TestFundsFlowsAndGrantStates:
    async def test_refunds_lower_the_balance_and_grants_count_by_state_per_round(
        self, reporting_store, office, envelope
    ):
        fund, round_id, donation = uuid4(), uuid4(), uuid4()
        a, b, c = uuid4(), uuid4(), uuid4()
        versions: dict[str, int] = {}

        def emit(event):
            versions[event.aggregate_id] = versions.get(event.aggregate_id, 0) + 1
            return envelope(office, event, versions[event.aggregate_id], AT)

        def submitted(application_id):
            return f.ApplicationSubmitted(
                application_id=application_id, round_id=round_id, team_id=uuid4(),
                community_id="fengshan", title="项目", requested_fen=100_000,
            )  # fmt: skip

        events = [
            f.FundOpened(fund_id=fund, community_id="fengshan", name="丰山慈善基金"),
            f.DonationReceived(
                donation_id=donation, fund_id=fund, amount_fen=100_000,
                donor_kind="individual", donor_display=None,
            ),
            f.DonationRefunded(
                refund_id=uuid4(), fund_id=fund, donation_id=donation, amount_fen=30_000,
                reason="donor-request",
            ),
            f.RoundOpened(
                round_id=round_id, fund_id=fund, budget_fen=200_000, themes=["助老"],
                closes_at=AT,
            ),
            submitted(a), submitted(b), submitted(c),
            f.ApplicationEligibilityChecked(application_id=a, eligible=True),
            f.ApplicationEligibilityChecked(
                application_id=b, eligible=False, reasons=["budget-lines-missing"]
            ),
            f.ApplicationEligibilityChecked(application_id=c, eligible=True),
            f.ApplicationApproved(application_id=a, approved_fen=60_000, round_id=round_id),
            f.RoundAllocated(round_id=round_id, application_id=a, amount_fen=60_000),
            f.GrantDisbursed(
                disbursement_id=uuid4(), application_id=a, fund_id=fund, amount_fen=40_000,
                round_id=round_id, tranche=1,
            ),
            f.ProjectCompleted(application_id=a, beneficiaries=30, activities=6),
        ]  # fmt: skip
        await apply_all(reporting_store, [emit(e) for e in events])
        got = await figures(reporting_store, office=office)
        assert got["money"] == {
            "funds": 1,
            "raised_fen": 100_000,
            "refunded_fen": 30_000,
            "disbursed_fen": 40_000,
            "net_fen": 30_000,
            "balance_fen": 30_000,
            "by_month": [
                {
                    "month": "2026-10",
                    "raised_fen": 100_000,
                    "refunded_fen": 30_000,
                    "disbursed_fen": 40_000,
                }
            ],
        }
        assert got["grants"]["by_state"] == {"completed": 1, "eligible": 1, "ineligible": 1}
        [one] = got["grants"]["by_round"]
        assert one == {
            "round_id": str(round_id),
            "name": None,  # opened without one
            "fund_id": str(fund),
            "budget_fen": 200_000,
            "state": "closed",  # its deadline passed
            "closes_at": "2026-10-15T02:00:00+00:00",
            "applications": 3,
            "approved": 1,
            "approved_fen": 60_000,
            "by_state": {"completed": 1, "eligible": 1, "ineligible": 1},
            "allocated_fen": 60_000,
            "disbursed_fen": 40_000,
            "envelope_fen": None,  # not parted between communities
            "communities": [],
        }

    async def test_a_round_is_open_closed_early_or_cancelled_in_any_order_of_delivery(
        self, reporting_store, office, envelope
    ):
        fund = uuid4()
        later = datetime.now(UTC) + timedelta(days=30)
        states = {}
        for ending in (None, f.RoundClosed, f.RoundCancelled):
            round_id, application = uuid4(), uuid4()
            history = [
                envelope(office, f.RoundOpened(
                    round_id=round_id, fund_id=fund, budget_fen=100_000, themes=["助老"],
                    closes_at=later,
                ), 1, AT),
                envelope(office, f.ApplicationSubmitted(
                    application_id=application, round_id=round_id, team_id=uuid4(),
                    community_id="fengshan", title="项目", requested_fen=10_000,
                ), 1, AT),
            ]  # fmt: skip
            if ending is not None:
                ended = ending(round_id=round_id, fund_id=fund, reason="fund-short")
                # The end delivered before the opening: the opening does not undo it.
                history.insert(0, envelope(office, ended, 2, AT))
            if ending is f.RoundCancelled:
                rejected = f.ApplicationRejected(
                    application_id=application, reason="round-cancelled"
                )
                history.append(envelope(office, rejected, 2, AT))
            await apply_all(reporting_store, history)
            states[ending] = round_id
        got = {
            r["round_id"]: (r["state"], r["by_state"])
            for r in (await figures(reporting_store, office=office))["grants"]["by_round"]
        }
        assert got[str(states[None])] == ("open", {"submitted": 1})
        assert got[str(states[f.RoundClosed])] == ("closed", {"submitted": 1})
        assert got[str(states[f.RoundCancelled])] == ("cancelled", {"rejected": 1})


class TestRoundsAsTheDashboardShowsThem:
    """Each round with its state, budget, what was approved and what was paid; rounds nobody
    applied to yet among them."""

    async def test_each_round_shows_its_state_budget_approved_and_disbursed(
        self, reporting_store, office, envelope
    ):
        fengshan_fund, office_fund = uuid4(), uuid4()
        r1, r2, r3, r4 = uuid4(), uuid4(), uuid4(), uuid4()
        a, b, c = uuid4(), uuid4(), uuid4()
        later = datetime.now(UTC) + timedelta(days=30)
        versions: dict[str, int] = {}

        def emit(event):
            versions[event.aggregate_id] = versions.get(event.aggregate_id, 0) + 1
            return envelope(office, event, versions[event.aggregate_id], AT)

        def opened(round_id, fund_id, budget, closes_at, name=None):
            return f.RoundOpened(
                round_id=round_id, fund_id=fund_id, budget_fen=budget, themes=["助老"],
                closes_at=closes_at, name=name,
            )  # fmt: skip

        def submitted(application_id, round_id, community_id):
            return f.ApplicationSubmitted(
                application_id=application_id, round_id=round_id, team_id=uuid4(),
                community_id=community_id, title="项目", requested_fen=200_000,
            )  # fmt: skip

        def paid(application_id, fund_id, amount):
            return f.GrantDisbursed(
                disbursement_id=uuid4(), application_id=application_id, fund_id=fund_id,
                amount_fen=amount,
            )  # fmt: skip

        events = [
            f.FundOpened(fund_id=fengshan_fund, community_id="fengshan", name="丰山慈善基金"),
            f.FundOpened(fund_id=office_fund, community_id=None, name="全镇公益创投基金"),
            # r1: open, two applications, one granted and paid in two tranches.
            opened(r1, fengshan_fund, 300_000, later + timedelta(days=1), "2026 丰山微创投"),
            submitted(a, r1, "fengshan"), submitted(b, r1, "fengshan"),
            f.ApplicationApproved(application_id=a, approved_fen=120_000, round_id=r1),
            f.ApplicationRejected(application_id=b, reason="not-selected"),
            paid(a, fengshan_fund, 50_000), paid(a, fengshan_fund, 30_000),
            # r2: closed early, nobody applied; r3: cancelled, nobody applied.
            opened(r2, fengshan_fund, 100_000, later + timedelta(days=2)),
            f.RoundClosed(round_id=r2, fund_id=fengshan_fund, reason="budget-committed"),
            opened(r3, office_fund, 500_000, later + timedelta(days=3)),
            f.RoundCancelled(round_id=r3, fund_id=office_fund, reason="fund-short"),
            # r4: its deadline passed; a project of jiangbin granted and paid in full.
            opened(r4, office_fund, 400_000, AT),
            submitted(c, r4, "jiangbin"),
            f.ApplicationApproved(application_id=c, approved_fen=200_000, round_id=r4),
            paid(c, office_fund, 200_000),
        ]  # fmt: skip
        await apply_all(reporting_store, [emit(e) for e in events])

        def shown(got):
            return [
                (
                    r["round_id"], r["state"], r["budget_fen"], r["applications"], r["approved"],
                    r["approved_fen"], r["disbursed_fen"],
                )
                for r in got["grants"]["by_round"]
            ]  # fmt: skip

        # In the order of their deadlines.
        assert shown(await figures(reporting_store, office=office)) == [
            (str(r4), "closed", 400_000, 1, 1, 200_000, 200_000),
            (str(r1), "open", 300_000, 2, 1, 120_000, 80_000),
            (str(r2), "closed", 100_000, 0, 0, 0, 0),
            (str(r3), "cancelled", 500_000, 0, 0, 0, 0),
        ]
        [first] = [
            r
            for r in (await figures(reporting_store, office=office))["grants"]["by_round"]
            if r["round_id"] == str(r1)
        ]
        assert (first["name"], first["fund_id"], first["by_state"]) == (
            "2026 丰山微创投",
            str(fengshan_fund),
            {"approved": 1, "rejected": 1},
        )
        # A community: the rounds of its own funds, and those its projects applied to.
        assert shown(await figures(reporting_store, office=office, community="fengshan")) == [
            (str(r1), "open", 300_000, 2, 1, 120_000, 80_000),
            (str(r2), "closed", 100_000, 0, 0, 0, 0),
        ]
        assert shown(await figures(reporting_store, office=office, community="jiangbin")) == [
            (str(r4), "closed", 400_000, 1, 1, 200_000, 200_000),
        ]
        # As it stood before r4's deadline: open.
        before = await figures(reporting_store, office=office, at=AT - timedelta(hours=1))
        assert shown(before)[0][:2] == (str(r4), "open")

    async def test_a_rounds_community_envelopes_each_with_what_was_granted_there(
        self, reporting_store, office, envelope
    ):
        fund, round_id, granted = uuid4(), uuid4(), uuid4()
        events = [
            envelope(office, n.CommunityRegistered(
                community_id="fengshan", name="丰山社区", street="阳明街道"), 1, AT),
            envelope(office, n.CommunityRegistered(
                community_id="jiangbin", name="江滨社区", street="兰江街道"), 1, AT),
            envelope(office, f.FundOpened(
                fund_id=fund, community_id=None, name="全镇公益创投基金"), 1, AT),
            envelope(office, f.RoundOpened(
                round_id=round_id, fund_id=fund, budget_fen=500_000, themes=["助老"],
                closes_at=AT + timedelta(days=30),
                community_budgets_fen={"fengshan": 300_000, "jiangbin": 200_000},
            ), 1, AT),
            envelope(office, f.ApplicationSubmitted(
                application_id=granted, round_id=round_id, team_id=uuid4(),
                community_id="fengshan", title="项目", requested_fen=120_000,
            ), 1, AT),
            envelope(office, f.ApplicationApproved(
                application_id=granted, approved_fen=100_000, round_id=round_id), 2, AT),
        ]  # fmt: skip
        await apply_all(reporting_store, events + events[3:4])  # the opening twice: once

        [whole] = (await figures(reporting_store, office=office))["grants"]["by_round"]
        assert (whole["budget_fen"], whole["envelope_fen"]) == (500_000, 500_000)
        assert whole["communities"] == [
            {"community_id": "fengshan", "budget_fen": 300_000, "approved_fen": 100_000},
            {"community_id": "jiangbin", "budget_fen": 200_000, "approved_fen": 0},
        ]
        # jiangbin applied to nothing, yet the round is its too: its envelope.
        [theirs] = (await figures(reporting_store, office=office, street="兰江街道"))["grants"][
            "by_round"
        ]
        assert (theirs["round_id"], theirs["envelope_fen"], theirs["applications"]) == (
            str(round_id),
            200_000,
            0,
        )
        assert [c["community_id"] for c in theirs["communities"]] == ["jiangbin"]
        rows = await exported(
            reporting_store, "round_envelopes", office=office, community="fengshan"
        )
        assert [(r["community_id"], r["budget_fen"]) for r in rows] == [("fengshan", "300000")]

    async def test_a_round_heard_of_only_from_its_applications_shows_without_a_budget(
        self, reporting_store, office, envelope
    ):
        round_id = uuid4()
        submitted = f.ApplicationSubmitted(
            application_id=uuid4(), round_id=round_id, team_id=uuid4(),
            community_id="fengshan", title="项目", requested_fen=10_000,
        )  # fmt: skip
        await apply_all(reporting_store, [envelope(office, submitted, 1, AT)])
        [one] = (await figures(reporting_store, office=office))["grants"]["by_round"]
        assert (one["round_id"], one["state"], one["budget_fen"], one["applications"]) == (
            str(round_id),
            None,
            None,
            1,
        )


async def exported(store, table, **filters):
    async with store.connection() as db:
        text = await queries.export_csv(db, table, queries.Filters(**filters))
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


class TestExportedStates:
    async def test_a_tranche_exports_as_paid_awaiting_or_cancelled_as_the_figures_count_it(
        self, reporting_store, office, history
    ):
        await apply_all(reporting_store, history(office))
        rows = await exported(reporting_store, "disbursements", office=office)
        # d1 under the threshold, paid; d2 approved once of twice; d3 withdrawn.
        assert sorted((r["amount_fen"], r["paid_at"] != "", r["state"]) for r in rows) == [
            ("40000", False, "cancelled"),
            ("50000", False, "awaiting_approval"),
            ("90000", True, "paid"),
        ]
        got = (await figures(reporting_store, office=office))["disbursements"]["by_status"]
        assert got == {"awaiting_approval": 1, "cancelled": 1, "paid": 1}

    async def test_an_activity_exports_as_held_once_started_as_the_figures_count_it(
        self, reporting_store, office, envelope
    ):
        team, held, upcoming, cancelled = uuid4(), uuid4(), uuid4(), uuid4()
        now = datetime.now(UTC)

        def scheduled(activity, starts):
            return v.ActivityScheduled(
                activity_id=activity, team_id=team, community_id="fengshan", title="义诊",
                starts_at=starts, ends_at=starts + timedelta(hours=2), capacity=5,
            )  # fmt: skip

        await apply_all(
            reporting_store,
            [
                envelope(office, scheduled(held, now - timedelta(days=1)), 1, AT),
                envelope(office, scheduled(upcoming, now + timedelta(days=1)), 1, AT),
                envelope(office, scheduled(cancelled, now - timedelta(days=2)), 1, AT),
                envelope(
                    office,
                    v.ActivityCancelled(activity_id=cancelled, community_id="fengshan"),
                    2,
                    AT,
                ),
            ],
        )
        rows = await exported(reporting_store, "activities", office=office)
        assert {r["activity_id"]: r["state"] for r in rows} == {
            str(held): "held",
            str(upcoming): "upcoming",
            str(cancelled): "cancelled",
        }
        got = (await figures(reporting_store, office=office))["activities"]
        assert (got["held"], got["upcoming"], got["cancelled"]) == (1, 1, 1)


def merged_duplicate(office: str) -> list:
    """d, a second record of k (丰山), is merged into k, who lives in 江滨 (兰江街道): d's open
    need n1 and its claimed wish w1 go to k, d's resolved need n2 and cancelled wish w2 stay;
    d was surveyed 2 days before the merge, k never."""
    k, d, n1, n2, w1, w2 = uuid4(), uuid4(), uuid4(), uuid4(), uuid4(), uuid4()
    need = {"category": "meal-delivery", "dimension": "material", "urgency": "high"}
    to_k = {"community_id": "jiangbin", "from_community_id": "fengshan"}
    handed = {**to_k, "resident_id": k, "from_resident_id": d}
    levels = {"physical": 1, "psychological": 1, "material": 2, "spiritual": 0}

    def wish(wish_id, need_id=None):
        return n.WishPosted(
            wish_id=wish_id,
            community_id="fengshan",
            resident_id=d,
            category="daily-goods",
            title="一台收音机",
            estimated_value_fen=15_000,
            deadline=AT + timedelta(days=30),
            need_id=need_id,
        )

    streams = [
        [n.CommunityRegistered(community_id="fengshan", name="丰山社区", street="阳明街道")],
        [n.CommunityRegistered(community_id="jiangbin", name="江滨社区", street="兰江街道")],
        [
            n.ResidentRegistered(
                resident_id=k, community_id="jiangbin", groups=["elderly"], age_band="70_79"
            )
        ],
        [
            n.ResidentRegistered(
                resident_id=d, community_id="fengshan", groups=["elderly"], age_band="70_79"
            ),
            n.ConsentGranted(
                resident_id=d,
                community_id="fengshan",
                purpose="personal_data",
                given_by="self",
                given_at=AT,
            ),
            n.ResidentMerged(
                resident_id=d, community_id="fengshan", into_resident_id=k, reason="duplicate"
            ),
            n.ResidentErased(resident_id=d, community_id="fengshan"),
        ],
        [
            n.SurveyRecorded(
                survey_id=uuid4(),
                resident_id=d,
                community_id="fengshan",
                method="home_visit",
                surveyed_at=AT,
                dimensions=levels,
            )
        ],
        [
            n.NeedIdentified(
                need_id=n1, community_id="fengshan", resident_id=d, survey_id=uuid4(), **need
            ),
            n.NeedMatched(need_id=n1, community_id="fengshan", match_kind="wish", match_id=w1),
            n.NeedTransferred(need_id=n1, **handed),
        ],
        [
            n.NeedIdentified(
                need_id=n2, community_id="fengshan", resident_id=d, survey_id=uuid4(), **need
            ),
            n.NeedResolved(
                need_id=n2, community_id="fengshan", resolution="resolved", reason="done"
            ),
        ],
        [
            wish(w1, n1),
            n.WishClaimed(
                wish_id=w1, community_id="fengshan", claimant_id=uuid4(), claimant_kind="volunteer"
            ),
            n.WishTransferred(wish_id=w1, **handed),
        ],
        [wish(w2), n.WishCancelled(wish_id=w2, community_id="fengshan", reason="not-needed")],
    ]
    merging = (n.ResidentMerged, n.ResidentErased, n.NeedTransferred, n.WishTransferred)
    return [
        envelope_of(office, event, version, AT + timedelta(days=2 * later, hours=version))
        for stream in streams
        for version, event in enumerate(stream, 1)
        for later in [isinstance(event, merging)]
    ]


async def test_a_merged_duplicate_counts_once_and_its_needs_and_wishes_where_the_kept_is(
    reporting_store, office
):
    in_order = merged_duplicate(office)
    shuffled = [*in_order, *random.Random(3).sample(in_order, 8)]  # some delivered twice
    random.Random(17).shuffle(shuffled)
    kept = next(e.event().into_resident_id for e in in_order if e.type.endswith("merged.v1"))
    for place, envelopes in (
        (office, in_order),
        (f"{office}-r", [e.model_copy(update={"office": f"{office}-r"}) for e in in_order[::-1]]),
        (f"{office}-s", [e.model_copy(update={"office": f"{office}-s"}) for e in shuffled]),
    ):
        await apply_all(reporting_store, envelopes)
        moment = AT + timedelta(days=3)
        whole = await figures(reporting_store, office=place, at=moment)
        fengshan = await figures(reporting_store, office=place, community="fengshan", at=moment)
        jiangbin = await figures(reporting_store, office=place, street="兰江街道", at=moment)
        assert whole["residents"] == {
            "total": 1,
            "by_age_band": {"70_79": 1},
            "by_group": {"elderly": 1},
            "due_visit": 0,  # visited under the duplicate record, two days before
        }, place
        assert (fengshan["residents"]["total"], jiangbin["residents"]["total"]) == (0, 1)
        assert (fengshan["needs"]["open"], fengshan["needs"]["by_state"]) == (0, {"resolved": 1})
        assert (jiangbin["needs"]["open"], jiangbin["needs"]["by_state"]) == (1, {"matched": 1})
        assert fengshan["wishes"]["by_state"] == {"cancelled": 1}, place
        assert jiangbin["wishes"]["by_state"] == {"claimed": 1}, place
        assert fengshan["consent"]["by_purpose"] == {}  # the duplicate's went with it
        async with reporting_store.connection() as db:
            owners = await db.fetch(
                """SELECT resident_id, state FROM needs WHERE office = $1
                   UNION ALL SELECT resident_id, state FROM wishes WHERE office = $1""",
                place,
            )
            merged = await db.fetchval(
                "SELECT count(*) FROM residents WHERE office = $1 AND merged_into = $2",
                place,
                kept,
            )
        assert sorted(s for r, s in owners if r == kept) == ["claimed", "matched"], place
        assert merged == 1
        for table in ("needs", "wishes"):  # exported to anyone: whose they are stays in
            [row, *_] = await exported(reporting_store, table, office=place)
            assert not {"resident_id", "resident_version"} & set(row)
    deferred = Deferred()  # grouped as a rebuild sends them
    for envelope in shuffled:
        await apply_to(deferred, envelope.model_copy(update={"office": f"{office}-b"}))
    async with reporting_store.transaction() as tx:
        await deferred.flush(tx.raw)
    expected = await dump(reporting_store, office)
    del expected["offices"]
    for other in (f"{office}-r", f"{office}-s", f"{office}-b"):
        got = await dump(reporting_store, other)
        del got["offices"]
        assert got == expected


async def test_a_visit_under_a_record_merged_twice_over_counts_for_the_one_kept(
    reporting_store, office
):
    """c was surveyed, then merged into a, which was merged into b: b was visited."""
    c, a, b = uuid4(), uuid4(), uuid4()
    levels = {"physical": 1, "psychological": 1, "material": 2, "spiritual": 0}
    where = {"community_id": "jiangbin"}
    streams = [
        [n.CommunityRegistered(community_id="jiangbin", name="江滨社区", street="兰江街道")],
        [n.ResidentRegistered(resident_id=b, groups=["elderly"], age_band="70_79", **where)],
        [
            n.ResidentRegistered(resident_id=a, groups=["elderly"], age_band="70_79", **where),
            n.ResidentMerged(resident_id=a, into_resident_id=b, reason="duplicate", **where),
            n.ResidentErased(resident_id=a, **where),
        ],
        [
            n.ResidentRegistered(resident_id=c, groups=["elderly"], age_band="70_79", **where),
            n.ResidentMerged(resident_id=c, into_resident_id=a, reason="duplicate", **where),
            n.ResidentErased(resident_id=c, **where),
        ],
        [
            n.SurveyRecorded(
                survey_id=uuid4(),
                resident_id=c,
                method="home_visit",
                surveyed_at=AT,
                dimensions=levels,
                **where,
            )
        ],
    ]
    await apply_all(
        reporting_store,
        [
            envelope_of(office, event, version, AT - timedelta(days=1))
            for stream in streams
            for version, event in enumerate(stream, 1)
        ],
    )
    soon = await figures(reporting_store, office=office, at=AT + timedelta(days=3))
    later = await figures(reporting_store, office=office, at=AT + timedelta(days=40))
    assert (soon["residents"]["total"], soon["residents"]["due_visit"]) == (1, 0)
    assert later["residents"]["due_visit"] == 1

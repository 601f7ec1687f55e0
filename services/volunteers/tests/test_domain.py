"""The volunteers aggregates' rules, pure and fast."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from wushe_events.aggregate import fold
from wushe_events.catalogue.volunteers import (
    AttendanceRecorded,
    HoursRecorded,
    MemberRole,
    SignupAccepted,
    TeamKind,
)
from wushe_events.errors import InvalidReference, NotFound, RuleBroken
from wushe_volunteers.domain import activity, certificate, hours, place, team, volunteer
from wushe_volunteers.domain.team import ADMIN, Caller

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
START = NOW + timedelta(days=2)
END = START + timedelta(hours=3)
LATER = END + timedelta(days=1)


def a_volunteer(**changes) -> volunteer.Volunteer:
    vid = uuid4()
    state = fold(
        volunteer.evolve, volunteer.register(vid, "fengshan", ["haircut"], "none", "李志愿者", True)
    )
    for verb in changes.get("then", ()):
        state = fold(volunteer.evolve, getattr(volunteer, verb)(state, vid), state)
    return state


def a_team(kind=TeamKind.volunteer_team, coordinator=None) -> team.Team:
    tid = uuid4()
    state = fold(team.evolve, team.register(tid, kind, "阳明青年志愿队"))
    if coordinator is not None:
        state = fold(
            team.evolve,
            team.add_member(
                state, tid, coordinator, coordinator.volunteer_id, MemberRole.coordinator, ADMIN
            ),
            state,
        )
    return state


def an_activity(organiser=None, capacity=2) -> activity.Activity:
    organiser = organiser or a_team()
    events = activity.schedule(
        uuid4(),
        organiser,
        organiser.team_id,
        None,
        None,
        "fengshan",
        "理发进社区",
        START,
        END,
        capacity,
        ["haircut"],
        ADMIN,
        NOW,
    )
    return fold(activity.evolve, events)


def signed_up(act, who):
    return fold(
        activity.evolve, activity.sign_up(act, act.activity_id, who, who.volunteer_id, [], NOW), act
    )


def attend(
    act, who, *, team=None, caller=ADMIN, checked_in=START, checked_out=END, at=LATER, elsewhere=()
):
    """`who` (a volunteer's state) attends `act`, as recorded by `caller` at `at`; `elsewhere`,
    the other activities where they were checked in at these times."""
    return activity.record_attendance(
        act,
        act.activity_id,
        team or a_team(),
        caller,
        who,
        who.volunteer_id,
        checked_in,
        checked_out,
        list(elsewhere),
        uuid4(),
        at,
    )


class TestVolunteer:
    def test_the_public_name_is_published_only_with_consent(self):
        vid = uuid4()
        [hidden] = volunteer.register(vid, "fengshan", [], "none", "李志愿者", False)
        [shown] = volunteer.register(vid, "fengshan", [], "none", "李志愿者", True)
        assert (hidden.display_name, shown.display_name) == (None, "李志愿者")

    def test_suspend_reactivate_withdraw(self):
        assert a_volunteer(then=["suspend"]).status is volunteer.VolunteerStatus.suspended
        assert a_volunteer(then=["suspend", "reactivate"]).status is (
            volunteer.VolunteerStatus.active
        )
        assert a_volunteer(then=["withdraw"]).status is volunteer.VolunteerStatus.withdrawn

    @pytest.mark.parametrize(
        ("path", "verb", "rule"),
        [
            ([], "reactivate", "volunteer_not_suspended"),
            (["suspend"], "suspend", "volunteer_not_active"),
            (["withdraw"], "withdraw", "volunteer_withdrawn"),
            (["withdraw"], "reactivate", "volunteer_not_suspended"),
        ],
    )
    def test_refused_status_changes(self, path, verb, rule):
        state = a_volunteer(then=path)
        with pytest.raises(RuleBroken) as refused:
            getattr(volunteer, verb)(state, state.volunteer_id)
        assert refused.value.rule == rule

    @pytest.mark.parametrize(
        ("path", "types"),
        [
            ([], ["withdrawn", "erased"]),
            (["suspend"], ["withdrawn", "erased"]),
            (["withdraw"], ["erased"]),
        ],
    )
    def test_erasure_withdraws_and_forgets_the_public_name(self, path, types):
        state = a_volunteer(then=path)
        events = volunteer.erase(state, state.volunteer_id)
        assert [e.type.split(".")[-2] for e in events] == types
        erased = fold(volunteer.evolve, events, state)
        assert (erased.status, erased.erased, erased.display_name) == (
            volunteer.VolunteerStatus.withdrawn,
            True,
            None,
        )
        with pytest.raises(RuleBroken) as again:
            volunteer.erase(erased, state.volunteer_id)
        assert again.value.rule == "volunteer_erased"
        with pytest.raises(RuleBroken):
            volunteer.reactivate(erased, state.volunteer_id)


class TestTeams:
    def test_members_are_added_with_a_role_and_removed(self):
        who, successor = a_volunteer(), a_volunteer()
        crew = a_team(coordinator=who)
        assert crew.coordinates(who.volunteer_id)
        crew = fold(
            team.evolve,
            team.add_member(
                crew,
                crew.team_id,
                successor,
                successor.volunteer_id,
                MemberRole.coordinator,
                ADMIN,
            ),
            crew,
        )
        crew = fold(
            team.evolve, team.remove_member(crew, crew.team_id, who.volunteer_id, ADMIN), crew
        )
        assert not crew.coordinates(who.volunteer_id)
        assert crew.coordinates(successor.volunteer_id)

    def test_the_last_coordinator_can_neither_leave_nor_step_down(self):
        who = a_volunteer()
        crew = a_team(coordinator=who)
        mine = Caller(who.volunteer_id)
        for refused_change in (
            lambda: team.remove_member(crew, crew.team_id, who.volunteer_id, mine),
            lambda: team.remove_member(crew, crew.team_id, who.volunteer_id, ADMIN),
            lambda: team.add_member(
                crew, crew.team_id, who, who.volunteer_id, MemberRole.member, mine
            ),
        ):
            with pytest.raises(RuleBroken) as refused:
                refused_change()
            assert refused.value.rule == "last_coordinator"

    def test_an_inactive_volunteer_cannot_join(self):
        with pytest.raises(RuleBroken):
            team.add_member(
                a_team(), uuid4(), a_volunteer(then=["suspend"]), uuid4(), MemberRole.member, ADMIN
            )

    def test_only_a_coordinator_of_the_team_or_an_admin_runs_it(self):
        coordinator, outsider, newcomer = a_volunteer(), a_volunteer(), a_volunteer()
        crew = a_team(coordinator=coordinator)
        for caller in (Caller(outsider.volunteer_id), Caller(None)):
            with pytest.raises(RuleBroken) as refused:
                team.add_member(
                    crew,
                    crew.team_id,
                    outsider,
                    outsider.volunteer_id,
                    MemberRole.coordinator,
                    caller,
                )
            assert refused.value.rule == "not_team_coordinator"
            with pytest.raises(RuleBroken, match="coordinator"):
                team.remove_member(crew, crew.team_id, coordinator.volunteer_id, caller)
        for caller in (Caller(coordinator.volunteer_id), ADMIN):
            [added] = team.add_member(
                crew, crew.team_id, newcomer, newcomer.volunteer_id, MemberRole.member, caller
            )
            assert added.volunteer_id == newcomer.volunteer_id

    def test_the_coordinator_who_registers_a_team_is_its_first_coordinator(self):
        founder = a_volunteer()
        crew = fold(
            team.evolve,
            team.register(uuid4(), TeamKind.volunteer_team, "新队", founder, founder.volunteer_id),
        )
        assert crew.coordinates(founder.volunteer_id)
        with pytest.raises(RuleBroken):
            team.register(
                uuid4(), TeamKind.volunteer_team, "新队", a_volunteer(then=["withdraw"]), uuid4()
            )

    def test_removing_a_non_member_is_refused(self):
        with pytest.raises(RuleBroken) as refused:
            team.remove_member(a_team(), uuid4(), uuid4(), ADMIN)
        assert refused.value.rule == "not_a_member"


class TestPairings:
    def test_a_pairing_joins_a_university_a_social_organisation_and_a_community(self):
        uni, org = a_team(TeamKind.university), a_team(TeamKind.social_org)
        [event] = place.establish(None, uni, uni.team_id, org, org.team_id, "fengshan")
        assert event.pairing_id == place.pairing_id(uni.team_id, org.team_id, "fengshan")

    def test_the_same_triple_is_paired_once(self):
        uni, org = a_team(TeamKind.university), a_team(TeamKind.social_org)
        existing = place.Pairing(place.pairing_id(uni.team_id, org.team_id, "fengshan"))
        with pytest.raises(RuleBroken) as refused:
            place.establish(existing, uni, uni.team_id, org, org.team_id, "fengshan")
        assert refused.value.rule == "pairing_exists"

    def test_a_team_can_be_in_several_pairings(self):
        uni, org = a_team(TeamKind.university), a_team(TeamKind.social_org)
        assert place.pairing_id(uni.team_id, org.team_id, "a") != place.pairing_id(
            uni.team_id, org.team_id, "b"
        )

    def test_the_kinds_must_fit(self):
        uni, org = a_team(TeamKind.volunteer_team), a_team(TeamKind.social_org)
        with pytest.raises(InvalidReference) as error:
            place.establish(None, uni, uni.team_id, org, org.team_id, "fengshan")
        assert error.value.field == "university_team_id"


class TestActivities:
    def test_an_activity_is_scheduled_in_the_future_and_ends_after_it_starts(self):
        crew = a_team()
        with pytest.raises(InvalidReference, match="ends after") as ends:
            activity.schedule(
                uuid4(),
                crew,
                crew.team_id,
                None,
                None,
                "fengshan",
                "t",
                END,
                START,
                5,
                [],
                ADMIN,
                NOW,
            )
        with pytest.raises(InvalidReference, match="future") as starts:
            activity.schedule(
                uuid4(),
                crew,
                crew.team_id,
                None,
                None,
                "fengshan",
                "t",
                NOW - timedelta(hours=1),
                END,
                5,
                [],
                ADMIN,
                NOW,
            )
        assert (ends.value.code, starts.value.code) == ("ends_before_start", "starts_in_past")

    def test_only_a_coordinator_of_the_team_schedules_and_cancels_its_activities(self):
        coordinator, outsider = a_volunteer(), a_volunteer()
        crew = a_team(coordinator=coordinator)
        with pytest.raises(RuleBroken) as refused:
            activity.schedule(
                uuid4(),
                crew,
                crew.team_id,
                None,
                None,
                "fengshan",
                "t",
                START,
                END,
                5,
                [],
                Caller(outsider.volunteer_id),
                NOW,
            )
        assert refused.value.rule == "not_team_coordinator"
        act = an_activity(crew)
        with pytest.raises(RuleBroken, match="coordinator"):
            activity.cancel(act, act.activity_id, crew, Caller(outsider.volunteer_id), None, NOW)
        [cancelled] = activity.cancel(
            act, act.activity_id, crew, Caller(coordinator.volunteer_id), None, NOW
        )
        assert cancelled.activity_id == act.activity_id

    def test_a_site_must_be_in_the_activitys_community(self):
        crew = a_team()
        site = place.Site(uuid4(), "social_work_station", "社工站", "lanjiang")
        with pytest.raises(InvalidReference) as error:
            activity.schedule(
                uuid4(),
                crew,
                crew.team_id,
                site,
                site.site_id,
                "fengshan",
                "t",
                START,
                END,
                5,
                [],
                ADMIN,
                NOW,
            )
        assert error.value.field == "site_id"

    def test_places_run_out(self):
        act = signed_up(signed_up(an_activity(capacity=2), a_volunteer()), a_volunteer())
        late = a_volunteer()
        with pytest.raises(RuleBroken) as refused:
            activity.sign_up(act, act.activity_id, late, late.volunteer_id, [], NOW)
        assert refused.value.rule == "activity_full"

    @pytest.mark.parametrize(("clashes", "rule"), [([uuid4()], "overlapping_signup")])
    def test_no_overlapping_signups(self, clashes, rule):
        act, who = an_activity(), a_volunteer()
        with pytest.raises(RuleBroken) as refused:
            activity.sign_up(act, act.activity_id, who, who.volunteer_id, clashes, NOW)
        assert refused.value.rule == rule

    def test_twice_or_after_the_start_is_refused(self):
        who = a_volunteer()
        act = signed_up(an_activity(), who)
        with pytest.raises(RuleBroken, match="already"):
            activity.sign_up(act, act.activity_id, who, who.volunteer_id, [], NOW)
        other = a_volunteer()
        with pytest.raises(RuleBroken) as refused:
            activity.sign_up(act, act.activity_id, other, other.volunteer_id, [], START)
        assert refused.value.rule == "activity_started"

    def test_a_cancelled_activity_takes_no_signups(self):
        act = an_activity()
        act = fold(
            activity.evolve, activity.cancel(act, act.activity_id, a_team(), ADMIN, None, NOW), act
        )
        who = a_volunteer()
        with pytest.raises(RuleBroken) as refused:
            activity.sign_up(act, act.activity_id, who, who.volunteer_id, [], NOW)
        assert refused.value.rule == "activity_cancelled"

    def test_withdrawing_frees_the_place(self):
        who = a_volunteer()
        act = signed_up(an_activity(capacity=1), who)
        act = fold(
            activity.evolve,
            activity.withdraw_signup(act, act.activity_id, who.volunteer_id, NOW),
            act,
        )
        assert not act.full


class TestRelease:
    def test_a_withdrawn_volunteers_place_to_come_is_given_back(self):
        who = a_volunteer()
        act = signed_up(an_activity(capacity=1), who)
        [released] = activity.release(act, act.activity_id, who.volunteer_id, NOW)
        assert not fold(activity.evolve, [released], act).full

    def test_nothing_is_given_back_once_started_cancelled_or_never_taken(self):
        who = a_volunteer()
        act = signed_up(an_activity(), who)
        cancelled = fold(
            activity.evolve, activity.cancel(act, act.activity_id, a_team(), ADMIN, None, NOW), act
        )
        assert activity.release(act, act.activity_id, who.volunteer_id, START) == []
        assert activity.release(cancelled, act.activity_id, who.volunteer_id, NOW) == []
        assert activity.release(act, act.activity_id, uuid4(), NOW) == []
        assert activity.release(None, act.activity_id, who.volunteer_id, NOW) == []


class TestCancel:
    def test_an_activity_with_attendance_cannot_be_cancelled(self):
        who = a_volunteer()
        act = signed_up(an_activity(), who)
        during = START + timedelta(hours=2)
        done = attend(act, who, checked_out=during, at=during)
        act = fold(activity.evolve, done.activity, act)
        with pytest.raises(RuleBroken) as refused:
            activity.cancel(act, act.activity_id, a_team(), ADMIN, "rain", during)
        assert refused.value.rule == "activity_has_attendance"


class TestAttendance:
    @pytest.mark.parametrize(
        ("check_in", "check_out", "expected"),
        [
            (START, END, 3.0),
            (START + timedelta(minutes=30), START + timedelta(minutes=75), 0.75),
        ],
    )
    def test_hours_are_check_out_minus_check_in(self, check_in, check_out, expected):
        who = a_volunteer()
        act = signed_up(an_activity(), who)
        recorded = attend(act, who, checked_in=check_in, checked_out=check_out)
        [attended] = recorded.activity
        [pending] = recorded.hours
        assert isinstance(attended, AttendanceRecorded)
        assert isinstance(pending, HoursRecorded)
        assert (pending.hours, pending.team_id, pending.source) == (
            expected,
            act.team_id,
            "activity",
        )

    def test_only_a_coordinator_of_the_team_records_attendance(self):
        coordinator, outsider, who = a_volunteer(), a_volunteer(), a_volunteer()
        crew = a_team(coordinator=coordinator)
        act = signed_up(an_activity(crew), who)
        with pytest.raises(RuleBroken) as refused:
            attend(act, who, team=crew, caller=Caller(outsider.volunteer_id))
        assert refused.value.rule == "not_team_coordinator"
        recorded = attend(act, who, team=crew, caller=Caller(coordinator.volunteer_id))
        assert len(recorded.hours) == 1

    @pytest.mark.parametrize("verb", ["suspend", "withdraw"])
    def test_no_attendance_for_a_volunteer_no_longer_active(self, verb):
        who = a_volunteer()
        act = signed_up(an_activity(), who)
        gone = fold(volunteer.evolve, getattr(volunteer, verb)(who, who.volunteer_id), who)
        with pytest.raises(RuleBroken) as refused:
            activity.record_attendance(
                act,
                act.activity_id,
                a_team(),
                ADMIN,
                gone,
                who.volunteer_id,
                START,
                END,
                [],
                uuid4(),
                LATER,
            )
        assert refused.value.rule == "volunteer_not_active"

    @pytest.mark.parametrize("verb", ["suspend", "withdraw"])
    def test_service_before_a_suspension_or_withdrawal_still_counts(self, verb):
        who = a_volunteer()
        act = signed_up(an_activity(), who)
        after_check_in = START + timedelta(minutes=30)
        gone = volunteer.evolve_timed(
            who, getattr(volunteer, verb)(who, who.volunteer_id)[0], after_check_in
        )
        recorded = activity.record_attendance(
            act,
            act.activity_id,
            a_team(),
            ADMIN,
            gone,
            who.volunteer_id,
            START,
            END,
            [],
            uuid4(),
            LATER,
        )
        assert recorded.hours[0].hours == 3.0
        before = volunteer.evolve_timed(
            who, getattr(volunteer, verb)(who, who.volunteer_id)[0], START - timedelta(hours=1)
        )
        with pytest.raises(RuleBroken) as refused:
            activity.record_attendance(
                act,
                act.activity_id,
                a_team(),
                ADMIN,
                before,
                who.volunteer_id,
                START,
                END,
                [],
                uuid4(),
                LATER,
            )
        assert refused.value.rule == "volunteer_not_active"

    def test_the_first_suspension_counts_and_a_reactivation_clears_it(self):
        who = a_volunteer()
        vid = who.volunteer_id
        suspended = volunteer.evolve_timed(who, volunteer.suspend(who, vid)[0], START)
        [withdrawn] = volunteer.withdraw(suspended, vid)
        assert volunteer.evolve_timed(suspended, withdrawn, END).inactive_since == START
        [back] = volunteer.reactivate(suspended, vid)
        reactivated = volunteer.evolve_timed(suspended, back, END)
        assert reactivated.inactive_since is None
        assert volunteer.served(reactivated, vid, LATER) is reactivated
        with pytest.raises(InvalidReference):
            volunteer.served(None, vid, LATER)

    def test_attendance_of_someone_not_signed_up_is_refused(self):
        act = an_activity()
        with pytest.raises(RuleBroken) as refused:
            activity.record_attendance(
                act, act.activity_id, a_team(), ADMIN, None, uuid4(), START, END, [], uuid4(), LATER
            )
        assert refused.value.rule == "not_signed_up"

    def test_attendance_is_recorded_after_it_happened(self):
        who = a_volunteer()
        act = signed_up(an_activity(), who)
        with pytest.raises(InvalidReference) as error:
            attend(act, who, at=NOW)
        assert (error.value.field, error.value.code) == ("checked_out_at", "not_happened_yet")

    def test_nobody_is_checked_in_at_two_overlapping_activities_at_once(self):
        who = a_volunteer()
        act = signed_up(an_activity(), who)
        other = uuid4()
        with pytest.raises(RuleBroken) as refused:
            attend(act, who, elsewhere=[other])
        assert refused.value.rule == "overlapping_attendance"
        assert str(other) in str(refused.value)
        assert len(attend(act, who, elsewhere=[]).hours) == 1

    def test_bad_times_are_refused_before_any_overlap(self):
        who = a_volunteer()
        act = signed_up(an_activity(), who)
        with pytest.raises(InvalidReference) as error:
            attend(act, who, checked_in=END, checked_out=START, elsewhere=[uuid4()])
        assert error.value.field == "checked_out_at"

    def test_attendance_is_recorded_once(self):
        who = a_volunteer()
        act = signed_up(an_activity(), who)
        done = attend(act, who)
        act = fold(activity.evolve, done.activity, act)
        with pytest.raises(RuleBroken) as refused:
            attend(act, who)
        assert refused.value.rule == "attendance_recorded"


def enter(act, who, *, team=None, caller=ADMIN, checked_in=START, checked_out=END, **changes):
    """`who` is entered as having attended `act`, after the fact (补录)."""
    given = {"over_capacity_reason": None, "elsewhere": [], "now": LATER} | changes
    return activity.enter_attendance(
        act,
        act.activity_id,
        team or a_team(),
        caller,
        who,
        who.volunteer_id,
        checked_in,
        checked_out,
        given["over_capacity_reason"],
        given["elsewhere"],
        uuid4(),
        given["now"],
    )


class TestAttendanceEnteredAfterTheFact:
    def test_a_walk_in_takes_a_place_and_gets_pending_hours(self):
        who = a_volunteer()
        act = an_activity()
        entered = enter(act, who, checked_in=START + timedelta(minutes=30))
        place, attended = entered.activity
        assert isinstance(place, SignupAccepted)
        assert (place.walk_in, place.over_capacity_reason) == (True, None)
        assert isinstance(attended, AttendanceRecorded)
        assert attended.after_the_fact is True
        [pending] = entered.hours
        assert (pending.hours, pending.team_id) == (2.5, act.team_id)
        after = fold(activity.evolve, entered.activity, act)
        assert who.volunteer_id in after.signed_up
        assert who.volunteer_id in after.attended

    def test_a_volunteer_signed_up_takes_no_second_place(self):
        who = a_volunteer()
        act = signed_up(an_activity(), who)
        [attended] = enter(act, who).activity
        assert isinstance(attended, AttendanceRecorded)

    def test_a_full_activity_takes_a_walk_in_only_with_a_reason(self):
        act = an_activity(capacity=1)
        act = signed_up(act, a_volunteer())
        walk_in = a_volunteer()
        with pytest.raises(RuleBroken) as refused:
            enter(act, walk_in)
        assert refused.value.rule == "activity_full"
        assert "over_capacity_reason" in str(refused.value)
        place, _ = enter(act, walk_in, over_capacity_reason="walk-in").activity
        assert place.over_capacity_reason == "walk-in"

    def test_a_reason_within_capacity_is_not_recorded_as_over_it(self):
        place, _ = enter(an_activity(), a_volunteer(), over_capacity_reason="walk-in").activity
        assert place.over_capacity_reason is None

    def test_it_is_entered_after_it_happened(self):
        with pytest.raises(InvalidReference) as refused:
            enter(an_activity(), a_volunteer(), now=START + timedelta(hours=1))
        assert (refused.value.field, refused.value.code) == ("checked_out_at", "not_happened_yet")

    def test_only_the_organising_teams_coordinator_enters_it(self):
        coordinator, outsider = a_volunteer(), a_volunteer()
        crew = a_team(coordinator=coordinator)
        act = an_activity(crew)
        with pytest.raises(RuleBroken) as refused:
            enter(act, a_volunteer(), team=crew, caller=Caller(outsider.volunteer_id))
        assert refused.value.rule == "not_team_coordinator"
        assert enter(act, a_volunteer(), team=crew, caller=Caller(coordinator.volunteer_id))

    def test_once_and_never_in_two_places_at_once(self):
        who = a_volunteer()
        act = an_activity()
        act = fold(activity.evolve, enter(act, who).activity, act)
        with pytest.raises(RuleBroken) as refused:
            enter(act, who)
        assert refused.value.rule == "attendance_recorded"
        with pytest.raises(RuleBroken) as refused:
            enter(an_activity(), a_volunteer(), elsewhere=[uuid4()])
        assert refused.value.rule == "overlapping_attendance"

    def test_not_for_service_after_a_suspension_nor_for_a_cancelled_activity(self):
        who = a_volunteer()
        gone = volunteer.evolve_timed(who, volunteer.suspend(who, who.volunteer_id)[0], START)
        with pytest.raises(RuleBroken) as refused:
            enter(an_activity(), gone, checked_in=START + timedelta(minutes=5))
        assert refused.value.rule == "volunteer_not_active"
        act = an_activity()
        cancelled = fold(
            activity.evolve, activity.cancel(act, act.activity_id, a_team(), ADMIN, None, NOW), act
        )
        with pytest.raises(RuleBroken) as refused:
            enter(cancelled, a_volunteer())
        assert refused.value.rule == "activity_cancelled"


def live(act, who, checked_in, checked_out):
    return attend(signed_up(act, who), who, checked_in=checked_in, checked_out=checked_out)


def entered(act, who, checked_in, checked_out):
    return enter(act, who, checked_in=checked_in, checked_out=checked_out)


@pytest.mark.parametrize("recording", [live, entered], ids=["live", "after the fact"])
@pytest.mark.parametrize(
    ("check_in", "check_out", "field", "code"),
    [
        (START - timedelta(hours=1), END, "checked_in_at", "before_activity_start"),
        (START, END + timedelta(minutes=1), "checked_out_at", "after_activity_end"),
        (
            START + timedelta(hours=1),
            START + timedelta(hours=1),
            "checked_out_at",
            "check_out_before_check_in",
        ),
        (START, START + timedelta(seconds=30), "checked_out_at", "under_a_minute"),
    ],
)
def test_times_fall_within_the_activity_whether_recorded_live_or_after_the_fact(
    recording, check_in, check_out, field, code
):
    """One rule for the roster and for 补录, each refusal with a code a page words."""
    with pytest.raises(InvalidReference) as refused:
        recording(an_activity(), a_volunteer(), check_in, check_out)
    assert (refused.value.field, refused.value.code) == (field, code)


class TestHours:
    def pending(self, organiser):
        rid = uuid4()
        return fold(
            hours.evolve,
            [
                HoursRecorded(
                    record_id=rid,
                    volunteer_id=uuid4(),
                    hours=3,
                    source="activity",
                    source_id=uuid4(),
                    team_id=organiser.team_id,
                )
            ],
        )

    def test_a_confirmed_wish_verifies_its_pending_hours_once_and_nothing_else(self):
        wid = uuid4()
        [recorded] = hours.record_from_wish(None, uuid4(), uuid4(), wid, 0.5)
        record = fold(hours.evolve, [recorded])
        [verified] = hours.verify_confirmed_wish(record)
        assert (verified.hours, verified.source_id, verified.verified_by) == (0.5, wid, None)
        social_worker = uuid4()  # named when their token names a person
        [named] = hours.verify_confirmed_wish(record, social_worker)
        assert named.verified_by == social_worker
        done = fold(hours.evolve, [verified], record)
        assert hours.verify_confirmed_wish(done) == []  # told again
        no = hours.decline(record, record.record_id, [], None, ADMIN, "absent")
        declined = fold(hours.evolve, no, record)
        assert hours.verify_confirmed_wish(declined) == []  # a coordinator's no stands
        assert hours.verify_confirmed_wish(None) == []
        assert hours.verify_confirmed_wish(self.pending(a_team())) == []  # an activity's

    def test_a_coordinator_of_the_organising_team_verifies(self):
        coordinator = a_volunteer()
        organiser = a_team(coordinator=coordinator)
        record = self.pending(organiser)
        [event] = hours.verify(
            record, record.record_id, [organiser], coordinator.volunteer_id, ADMIN
        )
        assert (event.hours, event.verified_by) == (3, coordinator.volunteer_id)

    def test_anyone_else_may_not(self):
        organiser = a_team(coordinator=a_volunteer())
        record = self.pending(organiser)
        with pytest.raises(RuleBroken) as refused:
            hours.verify(record, record.record_id, [organiser], uuid4(), ADMIN)
        assert refused.value.rule == "not_team_coordinator"

    @pytest.mark.parametrize(
        "as_whom",
        ["a coordinator, as themself", "an admin naming them", "an admin whose token names them"],
    )
    @pytest.mark.parametrize("verb", ["verify", "decline", "correct"])
    def test_nobody_judges_their_own_hours_not_even_an_admin(self, as_whom, verb):
        coordinator = a_volunteer()
        me = coordinator.volunteer_id
        organiser = a_team(coordinator=coordinator)
        own = fold(
            hours.evolve,
            [
                HoursRecorded(
                    record_id=uuid4(),
                    volunteer_id=me,
                    hours=3,
                    source="activity",
                    source_id=uuid4(),
                    team_id=organiser.team_id,
                )
            ],
        )
        judge, caller = {
            "a coordinator, as themself": (me, Caller(me)),
            "an admin naming them": (me, ADMIN),
            "an admin whose token names them": (None, Caller(me, admin=True)),
        }[as_whom]
        extra = {"verify": (), "decline": ("no-show",), "correct": (9, "stayed-late")}[verb]
        with pytest.raises(RuleBroken) as refused:
            getattr(hours, verb)(own, own.record_id, [organiser], judge, caller, *extra)
        assert refused.value.rule == "own_hours"

    def test_verified_hours_are_not_verified_again_and_declined_ones_stay_on_record(self):
        coordinator = a_volunteer()
        organiser = a_team(coordinator=coordinator)
        record = self.pending(organiser)
        judge = coordinator.volunteer_id
        verified = fold(
            hours.evolve, hours.verify(record, record.record_id, [organiser], judge, ADMIN), record
        )
        with pytest.raises(RuleBroken):
            hours.verify(verified, record.record_id, [organiser], judge, ADMIN)
        declined = fold(
            hours.evolve,
            hours.decline(verified, record.record_id, [organiser], judge, ADMIN, "no-show"),
            verified,
        )
        assert declined.state is hours.HoursState.declined

    def test_a_correction_sets_new_hours_pending_again(self):
        coordinator = a_volunteer()
        organiser = a_team(coordinator=coordinator)
        record = self.pending(organiser)
        judge = coordinator.volunteer_id
        record = fold(
            hours.evolve, hours.verify(record, record.record_id, [organiser], judge, ADMIN), record
        )
        record = fold(
            hours.evolve,
            hours.correct(record, record.record_id, [organiser], judge, ADMIN, 2.5, "left-early"),
            record,
        )
        assert (record.hours, record.state) == (2.5, hours.HoursState.pending)

    def test_a_correction_gives_no_more_hours_than_the_activity_lasted(self):
        coordinator = a_volunteer()
        organiser = a_team(coordinator=coordinator)
        record = self.pending(organiser)
        judge = coordinator.volunteer_id
        with pytest.raises(InvalidReference) as error:
            hours.correct(record, record.record_id, [organiser], judge, ADMIN, 3.5, "typo", 3.0)
        assert (error.value.field, error.value.code) == ("hours", "longer_than_activity")
        [corrected] = hours.correct(
            record, record.record_id, [organiser], judge, ADMIN, 2.0, "left-early", 3.0
        )
        assert corrected.hours == 2.0

    def test_wish_hours_are_judged_by_a_coordinator_of_the_volunteers_team_or_an_admin(self):
        coordinator, member, stranger = a_volunteer(), a_volunteer(), a_volunteer()
        crew = a_team(coordinator=coordinator)
        crew = fold(
            team.evolve,
            team.add_member(
                crew, crew.team_id, member, member.volunteer_id, MemberRole.member, ADMIN
            ),
            crew,
        )
        other = a_team(coordinator=stranger)
        [recorded] = hours.record_from_wish(None, uuid4(), member.volunteer_id, uuid4(), 2.0)
        record = fold(hours.evolve, [recorded])
        judge = coordinator.volunteer_id
        [verified] = hours.verify(record, record.record_id, [crew], judge, Caller(judge))
        assert verified.verified_by == judge
        assert hours.verify(record, record.record_id, [], None, ADMIN)
        for teams, someone in (([other], stranger.volunteer_id), ([crew], uuid4())):
            with pytest.raises(RuleBroken) as refused:
                hours.verify(record, record.record_id, teams, someone, Caller(someone))
            assert refused.value.rule == "not_team_coordinator"
        with pytest.raises(RuleBroken):  # a coordinator's token without an admin's rights
            hours.verify(record, record.record_id, [crew], None, Caller(None))

    def test_wish_hours_are_recorded_once(self):
        record_id, who, wish = uuid4(), uuid4(), uuid4()
        [event] = hours.record_from_wish(None, record_id, who, wish, 2.0)
        assert hours.record_from_wish(fold(hours.evolve, [event]), record_id, who, wish, 2.0) == []

    def test_an_unknown_record_is_not_found(self):
        with pytest.raises(NotFound):
            hours.verify(None, uuid4(), [], None, ADMIN)


class TestCertificates:
    def test_the_number_follows_the_years_register(self):
        who = uuid4()
        [event] = certificate.issue(
            41, 2026, "YUYAO", uuid4(), who, [(uuid4(), 2.5), (uuid4(), 1.0)]
        )
        assert (event.number, event.hours) == ("YUYAO-2026-000042", 3.5)

    def test_the_digest_changes_with_any_record(self):
        who, rid = uuid4(), uuid4()
        assert certificate.digest(who, [(rid, 2.5)]) != certificate.digest(who, [(rid, 2.0)])
        assert certificate.digest(who, [(rid, 2.5)]) == certificate.digest(who, [(rid, 2.50)])

    def test_a_certificate_holds_while_the_records_it_covers_are_unchanged(self):
        who, first, second, later = uuid4(), uuid4(), uuid4(), uuid4()
        [issued] = certificate.issue(0, 2026, "YUYAO", uuid4(), who, [(first, 2.5), (second, 1)])
        covered = [(r.record_id, r.hours) for r in issued.records]

        def holds(verified):
            return certificate.still_valid(who, issued.digest, covered, verified)

        assert holds([(second, 1.0), (first, 2.5)])
        assert holds([(first, 2.5), (second, 1.0), (later, 4.0)])  # more service since
        assert not holds([(first, 2.0), (second, 1.0)])  # corrected
        assert not holds([(first, 2.5)])  # declined, or corrected and pending again

    def test_a_certificate_issued_before_it_listed_its_records_holds_as_before(self):
        who, first, later = uuid4(), uuid4(), uuid4()
        hashed = certificate.digest(who, [(first, 2.5)])
        assert certificate.still_valid(who, hashed, None, [(first, 2.5)])
        assert not certificate.still_valid(who, hashed, None, [(first, 2.5), (later, 1.0)])

    def test_no_certificate_without_verified_hours(self):
        with pytest.raises(RuleBroken) as refused:
            certificate.issue(0, 2026, "YUYAO", uuid4(), uuid4(), [])
        assert refused.value.rule == "no_verified_hours"

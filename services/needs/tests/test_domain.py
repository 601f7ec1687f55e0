"""The needs aggregates' rules (communities, residents, surveys, needs), pure and fast."""

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest

from wushe_events.aggregate import fold
from wushe_events.catalogue.needs import (
    AgeBand,
    CommunityRegistered,
    ConsentGranted,
    ConsentPurpose,
    ConsentWithdrawn,
    Dimensions,
    IdentifiedNeed,
    NeedIdentified,
    NeedReprioritised,
    ResidentRegistered,
    SurveyRecorded,
    SurveyVerified,
    Urgency,
)
from wushe_events.errors import InvalidReference, NotFound, RuleBroken
from wushe_needs.domain import community, need, resident, survey

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
FENGSHAN = community.Community("fengshan", "丰山社区", "阳明街道")
LEVELS = Dimensions(physical=1, psychological=2, material=3, spiritual=0)


def a_resident(band: AgeBand = AgeBand.age_70_79, **changes) -> resident.Resident:
    return resident.Resident(uuid4(), "fengshan", ("elderly",), band, **changes)


class TestCommunity:
    def test_a_new_community_is_registered(self):
        assert community.register(None, "fengshan", "丰山社区", "阳明街道") == [
            CommunityRegistered(community_id="fengshan", name="丰山社区", street="阳明街道")
        ]

    def test_a_community_cannot_be_registered_twice(self):
        with pytest.raises(RuleBroken, match="already registered"):
            community.register(FENGSHAN, "fengshan", "丰山社区", "阳明街道")

    def test_a_second_community_of_one_name_in_a_street_is_refused(self):
        for command in (
            lambda: community.register(None, "fengshan-2", "丰山社区", "阳明街道", "fengshan"),
            lambda: community.rename(FENGSHAN, "fengshan", "江南社区", "阳明街道", "jiangnan"),
        ):
            with pytest.raises(RuleBroken) as refused:
                command()
            assert refused.value.rule == "community_exists"

    def test_renaming_changes_the_name_and_street(self):
        events = community.rename(FENGSHAN, "fengshan", "丰山新村", "凤山街道")
        assert fold(community.evolve, events, FENGSHAN) == community.Community(
            "fengshan", "丰山新村", "凤山街道"
        )

    def test_renaming_to_the_same_is_no_change(self):
        assert community.rename(FENGSHAN, "fengshan", "丰山社区", "阳明街道") == []

    def test_an_unknown_community_cannot_be_renamed(self):
        with pytest.raises(NotFound):
            community.rename(None, "nowhere", "某社区", "某街道")


class TestGroupsFitTheAge:
    def register(self, groups, birth: resident.Birth, now=NOW):
        return resident.register(
            FENGSHAN,
            uuid4(),
            "fengshan",
            groups,
            birth,
            now,
            with_personal_data=False,
            consent_by=None,
        )

    @pytest.mark.parametrize(
        ("groups", "birth"),
        [
            (["child"], resident.Birth(1980)),
            (["child", "dibao"], resident.Birth(NOW.year - 19)),
            (["left_behind_child"], resident.Birth(NOW.year - 18)),
            (["left_behind_child"], resident.Birth(2008, date(2008, 1, 5))),  # 16 and over
            (["elderly_alone"], resident.Birth(2001)),
            (["elderly", "disabled"], resident.Birth(NOW.year - 59)),
            (["elderly"], resident.Birth(NOW.year - 60, date(NOW.year - 60, 12, 31))),
        ],
    )
    def test_a_group_of_another_age_is_a_422_naming_groups_and_the_rule(self, groups, birth):
        with pytest.raises(InvalidReference) as refused:
            self.register(groups, birth)
        assert refused.value.field == "groups"
        assert "under" in str(refused.value) or "or over" in str(refused.value)
        assert str(birth.year) not in str(refused.value)

    @pytest.mark.parametrize(
        ("groups", "birth"),
        [
            (["child"], resident.Birth(NOW.year - 18)),  # maybe 17 still: born in December
            (["left_behind_child"], resident.Birth(NOW.year - 16)),
            (["elderly_alone"], resident.Birth(NOW.year - 60)),  # 60 this year
            (["elderly"], resident.Birth(NOW.year - 60, date(NOW.year - 60, 1, 2))),
            (["dibao", "veteran", "disabled", "low_income", "other"], resident.Birth(1990)),
        ],
    )
    def test_a_group_of_the_age_or_of_any_age_is_registered(self, groups, birth):
        assert self.register(groups, birth)

    def test_a_birthday_counts_on_beijings_date(self):
        turning = datetime(2026, 11, 27, 17, 0, tzinfo=UTC)  # 28 November in Beijing
        born = resident.Birth(1966, date(1966, 11, 28))
        assert self.register(["elderly"], born, now=turning)


class TestRegisterResident:
    def register(self, born: int | date, consent_by=None, personal=True, now=NOW):
        birth = resident.Birth(born) if isinstance(born, int) else resident.Birth(born.year, born)
        return resident.register(
            FENGSHAN,
            uuid4(),
            "fengshan",
            ["other"],  # the groups of an age: TestGroupsFitTheAge
            birth,
            now,
            with_personal_data=personal,
            consent_by=consent_by,
        )

    def test_the_event_carries_an_age_band_not_the_birth_year(self):
        [event] = self.register(1940)
        assert isinstance(event, ResidentRegistered)
        assert event.age_band is AgeBand.age_80_plus
        assert "birth_year" not in event.payload()

    def test_a_child_under_14_needs_a_guardians_consent_for_personal_data(self):
        with pytest.raises(RuleBroken) as refused:
            self.register(2016)
        assert refused.value.rule == "guardian_consent_required"
        with pytest.raises(RuleBroken):
            self.register(2016, consent_by="self")

    def test_with_a_guardians_consent_the_consent_is_recorded_dated(self):
        registered, consent = self.register(2016, consent_by="guardian")
        assert isinstance(registered, ResidentRegistered)
        assert isinstance(consent, ConsentGranted)
        assert (consent.purpose, consent.given_by, consent.given_at) == (
            "personal_data",
            "guardian",
            NOW,
        )

    def test_a_child_without_personal_data_needs_no_consent(self):
        assert len(self.register(2016, personal=False)) == 1

    def test_the_community_must_be_registered(self):
        with pytest.raises(InvalidReference) as error:
            resident.register(
                None,
                uuid4(),
                "nowhere",
                ["elderly"],
                resident.Birth(1950),
                NOW,
                with_personal_data=True,
                consent_by=None,
            )
        assert error.value.field == "community_id"

    def test_a_birth_year_more_than_120_years_ago_is_refused(self):
        assert self.register(1906)
        with pytest.raises(InvalidReference) as refused:
            self.register(1905)
        assert refused.value.field == "birth_year"

    def test_a_birth_year_in_the_future_is_refused(self):
        with pytest.raises(InvalidReference, match="future"):
            self.register(2030)

    @pytest.mark.parametrize(
        ("age", "band"),
        [
            (0, AgeBand.under_14),
            (13, AgeBand.under_14),
            (14, AgeBand.age_14_17),
            (18, AgeBand.age_18_59),
            (59, AgeBand.age_18_59),
            (60, AgeBand.age_60_69),
            (70, AgeBand.age_70_79),
            (80, AgeBand.age_80_plus),
        ],
    )
    def test_age_bands(self, age, band):
        assert resident.age_band(age) == band

    def test_the_age_is_exact_from_a_birth_date(self):
        born = resident.Birth(2012, date(2012, 11, 29))
        assert born.age(NOW) == 13
        assert born.age(NOW + timedelta(days=1)) == 14

    def test_with_the_year_only_the_age_is_the_one_certain(self):
        born = resident.Birth(2012)
        assert born.age(NOW) == 13  # 14 this year, perhaps not yet
        assert born.age(datetime(2026, 12, 31, tzinfo=UTC)) == 14

    def test_a_child_who_turns_14_later_this_year_still_needs_a_guardian(self):
        with pytest.raises(RuleBroken) as refused:
            self.register(date(2012, 12, 31), consent_by="self")
        assert refused.value.rule == "guardian_consent_required"
        [registered, _] = self.register(date(2012, 12, 31), consent_by="guardian")
        assert registered.age_band is AgeBand.under_14

    def test_a_child_born_14_years_ago_this_year_is_a_minor_until_the_year_makes_it_certain(self):
        with pytest.raises(RuleBroken):
            self.register(2012, consent_by="self")
        later = datetime(2026, 12, 31, 1, tzinfo=UTC)
        assert len(self.register(2012, consent_by="self", now=later)) == 2

    def test_a_fourteen_year_old_consents_for_themself(self):
        [registered, consent] = self.register(date(2012, 11, 28), consent_by="self")
        assert (registered.age_band, consent.given_by) == (AgeBand.age_14_17, "self")

    def test_a_birth_date_in_the_future_is_refused(self):
        with pytest.raises(InvalidReference) as refused:
            self.register(date(2026, 12, 1))
        assert refused.value.field == "birth_year"


class TestConsentAndErasure:
    def test_consent_is_granted_and_withdrawn(self):
        person = a_resident()
        granted = resident.grant_consent(person, person.resident_id, "sharing", "self", NOW, None)
        person = fold(resident.evolve, granted, person)
        assert set(person.consents) == {"sharing"}
        withdrawn = resident.withdraw_consent(person, person.resident_id, "sharing", NOW)
        assert fold(resident.evolve, withdrawn, person).consents == {}

    def test_the_consent_history_lists_grants_and_withdrawals_in_order_with_reasons(self):
        person = a_resident()
        later = NOW + timedelta(days=3)
        events = [
            *resident.grant_consent(
                person, person.resident_id, "sharing", "self", NOW, None, "worker-1"
            ),
            *resident.withdraw_consent(
                person, person.resident_id, "services", NOW, "guardian_request", "worker-1"
            ),
        ]
        person = fold(resident.evolve, events, person)
        withdrawn = resident.withdraw_consent(
            person, person.resident_id, "sharing", later, "moved_away", "worker-2"
        )
        [event] = withdrawn
        assert isinstance(event, ConsentWithdrawn)
        assert (event.reason, event.recorded_by) == ("moved_away", "worker-2")
        assert fold(resident.evolve, withdrawn, person).consent_history == (
            resident.ConsentChange("granted", "sharing", NOW, "self", recorded_by="worker-1"),
            resident.ConsentChange(
                "withdrawn", "services", NOW, "guardian", "guardian_request", "worker-1"
            ),
            resident.ConsentChange("withdrawn", "sharing", later, None, "moved_away", "worker-2"),
        )

    def test_a_withdrawal_recorded_before_reasons_were_asked_for_still_loads(self):
        person = a_resident()
        old = ConsentWithdrawn.model_validate(
            {
                "resident_id": str(person.resident_id),
                "community_id": "fengshan",
                "purpose": "sharing",
                "withdrawn_at": NOW.isoformat(),
            }
        )
        [change] = fold(resident.evolve, [old], person).consent_history
        assert (change.by, change.reason, change.recorded_by) == (None, None, None)

    def test_a_minor_consents_only_through_a_guardian(self):
        child = a_resident(AgeBand.under_14)
        with pytest.raises(RuleBroken, match="guardian"):
            resident.grant_consent(
                child, child.resident_id, "services", "self", NOW, resident.Birth(2015)
            )

    def test_a_child_registered_under_14_consents_for_themself_once_14(self):
        child = a_resident(AgeBand.under_14)
        born = resident.Birth(2012, date(2012, 3, 1))
        [granted] = resident.grant_consent(child, child.resident_id, "services", "self", NOW, born)
        assert granted.given_by == "self"

    def test_without_a_birth_date_or_year_the_band_registered_decides(self):
        child = a_resident(AgeBand.under_14)
        with pytest.raises(RuleBroken, match="guardian"):
            resident.grant_consent(child, child.resident_id, "services", "self", NOW, None)
        adult = a_resident()
        assert resident.grant_consent(adult, adult.resident_id, "services", "self", NOW, None)

    def test_a_withdrawn_consent_is_remembered_until_given_again(self):
        person = a_resident()
        given = resident.grant_consent(person, person.resident_id, "services", "self", NOW, None)
        person = fold(resident.evolve, given, person)
        withdrawn = fold(
            resident.evolve,
            resident.withdraw_consent(person, person.resident_id, "services", NOW),
            person,
        )
        assert withdrawn.withdrawn == {"services": NOW}
        with pytest.raises(RuleBroken) as refused:
            resident.may_be_served(withdrawn)
        assert refused.value.rule == "consent_withdrawn"
        assert "2026-11-28" in str(refused.value)
        again = resident.grant_consent(withdrawn, person.resident_id, "services", "self", NOW, None)
        given = fold(resident.evolve, again, withdrawn)
        assert given.withdrawn == {}
        resident.may_be_served(given)

    def test_a_consent_to_keep_personal_data_never_given_cannot_be_withdrawn(self):
        person = a_resident()
        with pytest.raises(RuleBroken) as refused:
            resident.withdraw_consent(person, person.resident_id, "personal_data", NOW)
        assert refused.value.rule == "no_consent"

    @pytest.mark.parametrize("purpose", ["services", "sharing"])
    def test_being_served_or_shared_may_be_refused_without_a_consent_given_first(self, purpose):
        person = a_resident()
        withdrawn = resident.withdraw_consent(person, person.resident_id, purpose, NOW)
        person = fold(resident.evolve, withdrawn, person)
        assert person.withdrawn == {purpose: NOW}
        with pytest.raises(RuleBroken) as refused:
            resident.withdraw_consent(person, person.resident_id, purpose, NOW)
        assert refused.value.rule == "consent_already_withdrawn"

    def test_an_erased_resident_keeps_its_pseudonymous_facts_and_cannot_be_erased_again(self):
        person = a_resident()
        erased = fold(resident.evolve, resident.erase(person, person.resident_id), person)
        assert (erased.erased, erased.groups, erased.age_band) == (
            True,
            ("elderly",),
            AgeBand.age_70_79,
        )
        with pytest.raises(RuleBroken) as refused:
            resident.erase(erased, person.resident_id)
        assert refused.value.rule == "resident_erased"

    def test_an_unknown_resident_cannot_be_erased(self):
        with pytest.raises(NotFound):
            resident.erase(None, uuid4())

    def test_notes_are_kept_only_while_the_residents_personal_data_is(self):
        resident.may_keep_notes(a_resident())
        for person, rule, says in (
            (a_resident(erased=True), "resident_erased", "erased: no notes"),
            (
                a_resident(withdrawn={ConsentPurpose.personal_data: NOW}),
                "consent_withdrawn",
                "(personal_data) on 2026-11-28: no notes",
            ),
        ):
            with pytest.raises(RuleBroken) as refused:
                resident.may_keep_notes(person)
            assert refused.value.rule == rule
            assert says in str(refused.value)
        resident.may_keep_notes(a_resident(withdrawn={ConsentPurpose.services: NOW}))


class TestSurveys:
    def record(
        self,
        person,
        method="home_visit",
        dims=LEVELS,
        needs=(),
        verified=None,
        verifies=None,
        at=NOW,
        noted=frozenset(),
        by=None,
    ):
        return survey.record(
            person,
            person.resident_id if person else uuid4(),
            uuid4(),
            method,
            at,
            dims,
            list(needs),
            by or ("checker-1" if method == "spot_check" else "worker-1"),
            verified,
            verifies,
            now=NOW,
            noted=noted,
        )

    def test_a_survey_is_not_dated_in_the_future(self):
        self.record(a_resident(), at=NOW + survey.CLOCK_SKEW)  # a clock a little fast
        with pytest.raises(InvalidReference) as error:
            self.record(a_resident(), at=NOW + survey.CLOCK_SKEW + timedelta(seconds=1))
        assert error.value.field == "surveyed_at"

    @pytest.mark.parametrize(
        ("born", "surveyed", "refused"),
        [
            (resident.Birth(2018), datetime(2010, 6, 1, tzinfo=UTC), True),
            (resident.Birth(2018), datetime(2017, 12, 31, 15, tzinfo=UTC), False),  # Beijing 2018
            (resident.Birth(2018), datetime(2018, 1, 1, tzinfo=UTC), False),
            (resident.Birth(2018, date(2018, 5, 20)), datetime(2018, 5, 18, tzinfo=UTC), True),
            (resident.Birth(2018, date(2018, 5, 20)), datetime(2018, 5, 19, 20, tzinfo=UTC), False),
            (resident.Birth(2018, date(2018, 5, 20)), datetime(2018, 5, 20, tzinfo=UTC), False),
        ],
    )
    def test_a_survey_is_not_dated_before_the_resident_was_born(self, born, surveyed, refused):
        def record():
            return survey.record(
                a_resident(AgeBand.under_14),
                uuid4(),
                uuid4(),
                "home_visit",
                surveyed,
                LEVELS,
                [],
                None,
                now=NOW,
                born=born,
            )

        if not refused:
            assert record().survey
            return
        with pytest.raises(InvalidReference, match="before the resident was born") as error:
            record()
        assert error.value.field == "surveyed_at"
        assert "2018" not in str(error.value)  # a birth date is personal data

    def test_a_spot_check_is_not_dated_before_the_survey_it_verifies(self):
        person = a_resident()
        original = self.earlier(person)
        with pytest.raises(RuleBroken) as refused:
            self.record(
                person,
                "spot_check",
                verified=original,
                verifies=original.survey_id,
                at=NOW - timedelta(days=1),
            )
        assert refused.value.rule == "spot_check_before_survey"

    def test_events_say_which_survey_and_needs_have_notes_never_the_notes(self):
        person = a_resident()
        noted, plain = (
            IdentifiedNeed(need_id=uuid4(), category=c, dimension="material", urgency="high")
            for c in ("repair", "meal-delivery")
        )
        recorded = self.record(person, needs=[noted, plain], noted=frozenset({noted.need_id}))
        [surveyed] = recorded.survey
        assert surveyed.has_notes is False
        assert {e.need_id: e.has_notes for e in recorded.needs} == {
            noted.need_id: True,
            plain.need_id: False,
        }
        kept = fold(survey.evolve, recorded.survey)
        assert kept.has_notes is False
        with_record = survey.record(
            person,
            person.resident_id,
            sid := uuid4(),
            "home_visit",
            NOW,
            LEVELS,
            [],
            None,
            now=NOW,
            noted=frozenset({sid}),
        )
        assert fold(survey.evolve, with_record.survey).has_notes is True

    def test_no_notes_are_taken_for_an_erased_resident(self):
        with pytest.raises(RuleBroken) as refused:
            self.record(a_resident(erased=True), noted=frozenset({uuid4()}))
        assert refused.value.rule == "resident_erased"
        assert "no notes" in str(refused.value)

    def test_a_need_listed_twice_is_refused_naming_the_second(self):
        twice = [
            IdentifiedNeed(need_id=uuid4(), category="repair", dimension="material", urgency=u)
            for u in ("low", "high")
        ]
        with pytest.raises(InvalidReference) as refused:
            self.record(a_resident(), needs=twice)
        assert refused.value.field == "needs.1"
        assert refused.value.code == "need_repeated"

    def test_a_need_already_open_is_listed_in_the_survey_but_not_identified_again(self):
        found_again = IdentifiedNeed(
            need_id=uuid4(),
            category="repair",
            dimension="material",
            urgency="low",
            already_open=True,
        )
        recorded = self.record(a_resident(), needs=[found_again])
        [surveyed] = recorded.survey
        assert surveyed.needs == [found_again]
        assert recorded.needs == []

    def test_a_survey_identifies_each_need_in_its_own_stream(self):
        person = a_resident()
        wanted = IdentifiedNeed(
            need_id=uuid4(), category="meal-delivery", dimension="material", urgency="high"
        )
        recorded = self.record(person, needs=[wanted])
        [surveyed] = recorded.survey
        [identified] = recorded.needs
        assert isinstance(surveyed, SurveyRecorded)
        assert surveyed.community_id == "fengshan"
        assert isinstance(identified, NeedIdentified)
        assert (identified.need_id, identified.resident_id) == (wanted.need_id, person.resident_id)
        assert identified.identified_at == surveyed.surveyed_at  # found when surveyed
        assert recorded.verified == []

    def earlier(self, person, dims=LEVELS, method="home_visit"):
        [event] = self.record(person, method=method, dims=dims).survey
        return fold(survey.evolve, [event])

    @pytest.mark.parametrize(
        ("checked", "discrepant", "differing"),
        [
            (Dimensions(physical=1, psychological=2, material=3, spiritual=0), False, []),
            (Dimensions(physical=2, psychological=1, material=2, spiritual=1), False, []),
            (
                Dimensions(physical=3, psychological=2, material=1, spiritual=0),
                True,
                ["physical", "material"],
            ),
        ],
    )
    def test_a_spot_check_verifies_and_flags_levels_two_apart(self, checked, discrepant, differing):
        person = a_resident()
        original = self.earlier(person)
        recorded = self.record(
            person, "spot_check", checked, verified=original, verifies=original.survey_id
        )
        [verification] = recorded.verified
        assert isinstance(verification, SurveyVerified)
        assert verification.survey_id == original.survey_id
        assert (verification.discrepancy, verification.differing) == (discrepant, differing)
        checked_survey = fold(survey.evolve, recorded.verified, original)
        assert checked_survey.dimensions == LEVELS  # verified, never overwritten

    def test_a_spot_check_by_the_surveyor_of_the_survey_it_verifies_is_refused(self):
        person = a_resident()
        original = self.earlier(person)
        with pytest.raises(RuleBroken) as refused:
            self.record(
                person, "spot_check", verified=original, verifies=original.survey_id, by="worker-1"
            )
        assert refused.value.rule == "spot_check_by_own_surveyor"
        assert "someone other than the surveyor" in str(refused.value)

    def test_a_survey_recorded_under_no_ones_name_may_be_spot_checked_by_anyone(self):
        person = a_resident()
        [unnamed] = survey.record(
            person, person.resident_id, uuid4(), "home_visit", NOW, LEVELS, [], None, now=NOW
        ).survey
        original = fold(survey.evolve, [unnamed])
        for by in ("checker-1", None):
            recorded = survey.record(
                person,
                person.resident_id,
                uuid4(),
                "spot_check",
                NOW,
                LEVELS,
                [],
                by,
                original,
                original.survey_id,
                now=NOW,
            )
            assert recorded.verified

    def test_a_spot_check_names_the_survey_it_verifies(self):
        with pytest.raises(InvalidReference) as error:
            self.record(a_resident(), "spot_check")
        assert error.value.field == "verifies_survey_id"

    def test_a_spot_check_verifies_the_same_resident(self):
        original = self.earlier(a_resident())
        with pytest.raises(RuleBroken) as refused:
            self.record(a_resident(), "spot_check", verified=original, verifies=original.survey_id)
        assert refused.value.rule == "spot_check_other_resident"

    def test_a_spot_check_does_not_verify_a_spot_check(self):
        person = a_resident()
        original = self.earlier(person)
        check = fold(
            survey.evolve,
            self.record(
                person, "spot_check", verified=original, verifies=original.survey_id
            ).survey,
        )
        with pytest.raises(RuleBroken, match="not another spot check"):
            self.record(person, "spot_check", verified=check, verifies=check.survey_id)

    def test_only_a_spot_check_verifies(self):
        person = a_resident()
        with pytest.raises(InvalidReference):
            self.record(person, "phone", verifies=uuid4())

    def test_a_resident_who_withdrew_consent_to_be_served_is_not_surveyed(self):
        with pytest.raises(RuleBroken) as refused:
            self.record(a_resident(withdrawn={"services": NOW}))
        assert refused.value.rule == "consent_withdrawn"
        self.record(a_resident(withdrawn={"sharing": NOW}))  # another purpose: no bar

    def test_an_erased_resident_is_not_surveyed(self):
        with pytest.raises(RuleBroken):
            self.record(a_resident(erased=True))

    def test_an_unknown_resident_is_a_bad_reference(self):
        with pytest.raises(InvalidReference):
            self.record(None)


class TestNeeds:
    def identified(self) -> need.Need:
        return fold(
            need.evolve,
            [
                NeedIdentified(
                    need_id=uuid4(),
                    community_id="fengshan",
                    resident_id=uuid4(),
                    survey_id=uuid4(),
                    category="meal-delivery",
                    dimension="material",
                    urgency="high",
                )
            ],
        )

    def test_a_need_is_matched_then_resolved(self):
        item = self.identified()
        item = fold(need.evolve, need.match(item, item.need_id, "wish", uuid4()), item)
        assert item.state is need.NeedState.matched
        item = fold(
            need.evolve, need.resolve(item, item.need_id, "resolved", "service-provided"), item
        )
        assert item.state is need.NeedState.resolved

    def test_a_resolved_need_cannot_be_resolved_or_closed_again(self):
        item = self.identified()
        item = fold(need.evolve, need.resolve(item, item.need_id, "closed", "moved-away"), item)
        assert item.state is need.NeedState.closed
        with pytest.raises(RuleBroken) as refused:
            need.resolve(item, item.need_id, "resolved", "service-provided")
        assert refused.value.rule == "need_not_open"

    def test_an_open_or_matched_needs_urgency_is_raised(self):
        item = self.identified()
        [raised] = need.reprioritise(item, item.need_id, Urgency.critical)
        assert isinstance(raised, NeedReprioritised)
        assert (raised.urgency, raised.from_urgency) == (Urgency.critical, Urgency.high)
        assert fold(need.evolve, [raised], item).urgency is Urgency.critical
        matched = fold(need.evolve, need.match(item, item.need_id, "wish", uuid4()), item)
        assert need.reprioritise(matched, item.need_id, Urgency.critical)

    @pytest.mark.parametrize("urgency", [Urgency.low, Urgency.normal, Urgency.high])
    def test_an_urgency_only_rises(self, urgency):
        item = self.identified()  # high
        with pytest.raises(RuleBroken) as refused:
            need.reprioritise(item, item.need_id, urgency)
        assert refused.value.rule == "urgency_only_rises"
        assert "only rises (critical)" in str(refused.value)

    def test_a_critical_need_has_no_higher_urgency(self):
        item = fold(
            need.evolve, need.reprioritise(i := self.identified(), i.need_id, "critical"), i
        )
        with pytest.raises(RuleBroken, match="none is higher"):
            need.reprioritise(item, item.need_id, Urgency.critical)

    def test_a_need_resolved_or_closed_or_unknown_is_not_reprioritised(self):
        item = self.identified()
        item = fold(need.evolve, need.resolve(item, item.need_id, "closed", "moved-away"), item)
        with pytest.raises(RuleBroken) as refused:
            need.reprioritise(item, item.need_id, Urgency.critical)
        assert refused.value.rule == "need_not_open"
        with pytest.raises(NotFound):
            need.reprioritise(None, uuid4(), Urgency.critical)

    def test_a_resolution_says_whether_notes_were_kept_with_it(self):
        item = self.identified()
        [plain] = need.resolve(item, item.need_id, "resolved", "service-provided")
        [noted] = need.resolve(item, item.need_id, "closed", "moved-away", has_notes=True)
        assert (plain.has_notes, noted.has_notes) == (False, True)

    def test_an_unknown_need_is_not_found(self):
        with pytest.raises(NotFound):
            need.resolve(None, uuid4(), "resolved", "service-provided")

    def test_a_grant_or_activity_naming_a_need_matches_it_only_while_it_is_open(self):
        item = self.identified()
        grant, activity = uuid4(), uuid4()
        [matched] = need.served_by(item, item.need_id, "grant", grant)
        assert (matched.match_kind, matched.match_id) == ("grant", grant)
        item = fold(need.evolve, [matched], item)
        assert need.served_by(item, item.need_id, "activity", activity) == []
        assert need.unmatch(item, item.need_id, activity) == []  # not the activity's
        assert need.served_by(None, uuid4(), "grant", grant) == []  # another office's
        closed = fold(need.evolve, need.resolve(item, item.need_id, "closed", "moved-away"), item)
        assert need.served_by(closed, closed.need_id, "activity", activity) == []

    def test_a_need_whose_wish_ended_unfulfilled_is_open_again(self):
        item = self.identified()
        wish_id = uuid4()
        item = fold(need.evolve, need.match(item, item.need_id, "wish", wish_id), item)
        assert item.wish_id == wish_id
        [reopened] = need.unmatch(item, item.need_id, wish_id)
        assert (reopened.match_kind, reopened.match_id) == ("wish", wish_id)
        item = fold(need.evolve, [reopened], item)
        assert (item.state, item.wish_id) == (need.NeedState.open, None)
        assert need.unmatch(item, item.need_id, wish_id) == []  # nothing left to undo

    def test_a_need_whose_wish_was_confirmed_is_resolved(self):
        item = self.identified()
        wish_id = uuid4()
        item = fold(need.evolve, need.match(item, item.need_id, "wish", wish_id), item)
        [resolved] = need.answered(item, item.need_id, wish_id)
        assert (resolved.resolution, resolved.reason) == ("resolved", "wish-confirmed")
        item = fold(need.evolve, [resolved], item)
        assert item.state is need.NeedState.resolved
        assert need.answered(item, item.need_id, wish_id) == []  # resolved already
        assert need.answered(self.identified(), item.need_id, wish_id) == []  # not its match

    def test_a_wish_other_than_the_needs_match_leaves_it_matched(self):
        item = self.identified()
        item = fold(need.evolve, need.match(item, item.need_id, "wish", uuid4()), item)
        assert need.unmatch(item, item.need_id, uuid4()) == []

    def test_a_need_with_a_live_wish_is_not_resolved_nor_matched_again(self):
        item = self.identified()
        item = fold(need.evolve, need.match(item, item.need_id, "wish", uuid4()), item)
        for refused_command in (
            lambda: need.resolve(item, item.need_id, "closed", "moved-away", wish_live=True),
            lambda: need.match(item, item.need_id, "wish", uuid4(), wish_live=True),
        ):
            with pytest.raises(RuleBroken) as refused:
                refused_command()
            assert refused.value.rule == "need_has_live_wish"


class TestNotRegisteredYet:
    NEW = resident.Namesake(uuid4(), 1940, "13957401111")

    @pytest.mark.parametrize(
        "other",
        [
            resident.Namesake(uuid4(), 1940),
            resident.Namesake(uuid4(), 1941, "13957401111"),
            resident.Namesake(uuid4(), 1940, "13957402222", "330281194001010021"),
        ],
    )
    def test_the_same_birth_year_or_phone_is_a_possible_duplicate(self, other):
        with pytest.raises(RuleBroken) as refused:
            resident.not_registered_yet(self.NEW, [other])
        assert refused.value.rule == "possible_duplicate"
        assert str(other.resident_id) in str(refused.value)
        assert refused.value.details == {"duplicate_of": str(other.resident_id)}
        assert "13957401111" not in str(refused.value)

    @pytest.mark.parametrize(
        "other",
        [
            resident.Namesake(uuid4(), 1941, "13957402222"),
            resident.Namesake(uuid4(), None),
            resident.Namesake(NEW.resident_id, 1940, "13957401111"),  # themselves
        ],
    )
    def test_a_different_birth_year_and_phone_or_themselves_is_no_duplicate(self, other):
        resident.not_registered_yet(self.NEW, [other])

    def test_two_id_numbers_decide_alone(self):
        new = resident.Namesake(uuid4(), 1940, "13957401111", "330281194001010021")
        twin = resident.Namesake(uuid4(), 1940, "13957401111", "33028119400101004X")
        resident.not_registered_yet(new, [twin])

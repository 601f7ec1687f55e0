"""An application to become a volunteer, as a pure fold: one decision, the age rules."""

from datetime import date
from uuid import uuid4

import pytest

from wushe_events.aggregate import fold
from wushe_events.catalogue.volunteers import ApplicationAccepted, ApplicationDeclined
from wushe_events.errors import InvalidReference, NotFound, RuleBroken
from wushe_volunteers.domain import application
from wushe_volunteers.domain.application import ApplicationState

A = uuid4()
TODAY = date(2026, 12, 7)


def submitted():
    return fold(application.evolve, application.submit(A, "fengshan", ["haircut", "haircut"]))


class TestDecision:
    def test_a_submitted_application_is_pending_with_its_skills_once(self):
        found = submitted()
        assert found.state is ApplicationState.pending
        assert found.skills == ("haircut",)

    def test_an_accepted_application_names_its_volunteer(self):
        volunteer_id = uuid4()
        events = application.accept(submitted(), A, volunteer_id, None)
        assert events == [
            ApplicationAccepted(
                application_id=A, community_id="fengshan", volunteer_id=volunteer_id
            )
        ]
        assert fold(application.evolve, events, submitted()).volunteer_id == volunteer_id

    @pytest.mark.parametrize("first", ["accept", "decline"])
    def test_a_decided_application_cannot_be_decided_again(self, first):
        decided = fold(
            application.evolve,
            application.accept(submitted(), A, uuid4(), None)
            if first == "accept"
            else application.decline(submitted(), A, "unreachable", None),
            submitted(),
        )
        with pytest.raises(RuleBroken) as refused:
            application.decline(decided, A, "other", None)
        assert refused.value.rule == "application_decided"
        with pytest.raises(RuleBroken):
            application.accept(decided, A, uuid4(), None)

    def test_a_declined_application_keeps_its_reason_code(self):
        events = application.decline(submitted(), A, "unreachable", uuid4())
        assert isinstance(events[0], ApplicationDeclined)
        assert events[0].reason == "unreachable"
        assert fold(application.evolve, events, submitted()).state is ApplicationState.declined

    def test_an_unknown_application_is_not_found(self):
        with pytest.raises(NotFound):
            application.accept(None, A, uuid4(), None)

    def test_no_decision_applies_before_a_submission(self):
        with pytest.raises(TypeError):
            application.evolve(
                None, ApplicationDeclined(application_id=A, community_id="x", reason="y")
            )


class TestAge:
    def test_in_the_birth_month_the_birthday_is_not_taken_to_have_come(self):
        assert application.full_years(date(2008, 12, 1), TODAY) == 17
        assert application.full_years(date(2008, 11, 1), TODAY) == 18

    def test_an_adult_applies_without_a_guardian(self):
        application.old_enough(date(1990, 5, 1), TODAY, guardian_consents=False)

    def test_a_minor_needs_the_guardian_s_consent(self):
        with pytest.raises(InvalidReference) as refused:
            application.old_enough(date(2010, 1, 1), TODAY, guardian_consents=False)
        assert (refused.value.field, refused.value.code) == (
            "guardian_consent",
            "guardian_consent_required",
        )
        application.old_enough(date(2010, 1, 1), TODAY, guardian_consents=True)

    def test_a_child_under_14_is_registered_at_the_office_instead(self):
        with pytest.raises(InvalidReference) as refused:
            application.old_enough(date(2013, 1, 1), TODAY, guardian_consents=True)
        assert (refused.value.field, refused.value.code) == ("birth_month", "too_young")

    def test_a_birth_month_to_come_is_refused(self):
        with pytest.raises(InvalidReference) as refused:
            application.old_enough(date(2027, 1, 1), TODAY, guardian_consents=True)
        assert refused.value.code == "future_birth"

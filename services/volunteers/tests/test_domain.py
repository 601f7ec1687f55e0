"""The volunteer aggregate's rules, pure and fast."""

from uuid import uuid4

from wushe_events.aggregate import fold
from wushe_volunteers import domain


class TestRegisterVolunteer:
    def test_the_public_name_is_published_only_with_consent(self):
        vid = uuid4()
        [without] = domain.register_volunteer(
            vid, "fengshan", ["haircut"], "none", "李志愿者", show_name_publicly=False
        )
        [with_consent] = domain.register_volunteer(
            vid, "fengshan", [], "none", "李志愿者", show_name_publicly=True
        )
        assert without.display_name is None
        assert with_consent.display_name == "李志愿者"

    def test_skills_are_kept_once_each_in_order(self):
        [event] = domain.register_volunteer(
            uuid4(), "fengshan", ["tutoring", "haircut", "tutoring"], "assistant", None, False
        )
        assert event.skills == ["haircut", "tutoring"]
        assert fold(domain.evolve_volunteer, [event]).skills == ("haircut", "tutoring")

"""An office is stale when its hub link is quiet or broken, else when its last event is old;
a hub's offices are checked."""

import pytest
from pydantic import ValidationError

from wushe_events.hub import Link
from wushe_reporting.settings import ReportingSettings
from wushe_reporting.staleness import is_stale, offices_lag


def link(quiet: float | None, error: str | None = None) -> Link:
    return Link(stream="WUSHE_YUYAO", lag=0, seconds_since_active=quiet, error=error)


class TestIsStale:
    def test_a_link_in_contact_is_fresh_however_old_the_last_event(self):
        assert not is_stale(link(0.5), seconds_since_last_event=86_400, after=60, backlog=9)

    def test_a_quiet_link_is_stale(self):
        assert is_stale(link(61), seconds_since_last_event=1, after=60, backlog=0)

    def test_a_link_that_never_made_contact_or_reports_an_error_is_stale(self):
        assert is_stale(link(None), seconds_since_last_event=1, after=60, backlog=0)
        assert is_stale(
            link(0.5, "stream not found"), seconds_since_last_event=1, after=60, backlog=0
        )

    def test_without_a_link_a_quiet_office_with_nothing_waiting_is_fresh(self):
        assert not is_stale(None, seconds_since_last_event=86_400, after=60, backlog=0)
        assert not is_stale(None, seconds_since_last_event=None, after=60, backlog=0)

    def test_without_a_link_events_waiting_behind_an_old_one_are_stale(self):
        assert not is_stale(None, seconds_since_last_event=59, after=60, backlog=5)
        assert is_stale(None, seconds_since_last_event=61, after=60, backlog=5)
        assert is_stale(None, seconds_since_last_event=None, after=60, backlog=5)

    def test_without_a_link_a_bus_that_cannot_be_asked_is_stale(self):
        assert is_stale(None, seconds_since_last_event=1, after=60, backlog=None)


def test_every_office_of_the_hub_is_listed_even_before_its_first_event():
    fresh = [{"office": "yuyao", "last_event_at": None, "seconds_since_last_event": 3.0}]
    entries = offices_lag(
        fresh, {"WUSHE_YUYAO": link(0.2)}, ["yuyao", "wei-fang"], after=60, backlog=0
    )
    assert [(e["office"], e["stale"]) for e in entries] == [("wei-fang", True), ("yuyao", False)]
    assert entries[0]["link"] is None
    assert entries[1]["link"] == {
        "stream": "WUSHE_YUYAO",
        "lag": 0,
        "seconds_since_active": 0.2,
        "error": None,
    }


def test_links_that_cannot_be_read_make_every_office_stale():
    fresh = [{"office": "yuyao", "last_event_at": None, "seconds_since_last_event": 3.0}]
    entries = offices_lag(fresh, None, ["yuyao"], after=60, backlog=0)
    assert [(e["office"], e["stale"], e["link"]) for e in entries] == [("yuyao", True, None)]


def test_no_office_of_a_hub_may_be_called_after_the_hubs_domain():
    with pytest.raises(ValidationError, match="hub"):
        ReportingSettings(office="hub", hub_offices="yuyao,hub")  # type: ignore[call-arg]
    settings = ReportingSettings(office="hub", hub_offices="yuyao, wei-fang,yuyao")  # type: ignore[call-arg]
    assert settings.offices_of_hub() == ["yuyao", "wei-fang"]  # each once: sourced once
    with pytest.raises(ValidationError, match="at least one office"):
        ReportingSettings(office="hub", hub_offices=" , ")  # type: ignore[call-arg]
    assert settings.stream() == "WUSHE_ALL"

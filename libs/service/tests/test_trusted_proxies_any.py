"""`WUSHE_TRUSTED_PROXIES=*` keeps working (a container network may need it) but the service says
at start, once, what it allows — any client may claim any address in X-Forwarded-For — and what
to set instead; a `*` in a list, which uvicorn would take for a name matching no peer, stops the
service at start naming the variable."""

from __future__ import annotations

import pytest
import structlog
from pydantic import ValidationError
from structlog.testing import capture_logs

from wushe_service import runtime
from wushe_service.runtime import Runtime
from wushe_service.settings import ServiceSettings


@pytest.fixture
def logged(monkeypatch):
    """The runtime's log lines, as structlog captures them. Its module logger may have been
    bound (and cached) under an earlier test's configuration, which capture_logs does not
    reach: a fresh one binds under the capture's."""
    monkeypatch.setattr(runtime, "log", structlog.get_logger())
    with capture_logs() as entries:
        yield entries


def warnings(entries, event="trusted_proxies_any"):
    return [e for e in entries if e["event"] == event and e["log_level"] == "warning"]


class TestTheWarning:
    @pytest.mark.parametrize("value", ["*", " * "])
    def test_any_proxy_is_warned_of_once_saying_what_it_allows_and_what_to_set(self, logged, value):
        runtime.warn_of_settings(ServiceSettings(office="yuyao", trusted_proxies=value))

        [warning] = warnings(logged)
        assert "any client" in warning["advice"]
        assert "X-Forwarded-For" in warning["advice"]
        assert "/join's limit per client" in warning["advice"]
        assert "instead" in warning["advice"]
        assert "172.16.0.0/12" in warning["advice"]

    @pytest.mark.parametrize("value", ["127.0.0.1", "10.0.0.0/8, 192.168.1.2", "::1"])
    def test_named_proxies_are_not_warned_of(self, logged, value):
        runtime.warn_of_settings(ServiceSettings(office="yuyao", trusted_proxies=value))

        assert warnings(logged) == []

    async def test_the_service_warns_when_it_starts(self, database_url, nats_url, office, capfd):
        settings = ServiceSettings(
            office=office,
            nats_url=nats_url,
            database_url=database_url,
            trusted_proxies="*",
            log_format="console",
        )
        started = Runtime("proxies", settings)
        await started.start()
        await started.stop()

        logged = capfd.readouterr().err
        assert logged.count("trusted_proxies_any") == 1
        assert "Set the reverse proxies' own addresses" in logged


class TestTheSetting:
    def test_a_lone_star_trusts_any_proxy(self):
        assert ServiceSettings(office="yuyao", trusted_proxies=" * ").trusts_any_proxy()
        assert not ServiceSettings(office="yuyao", trusted_proxies="10.0.0.1").trusts_any_proxy()

    @pytest.mark.parametrize("value", ["10.0.0.1, *", "*,*"])
    def test_a_star_in_a_list_is_refused_naming_the_variable(self, value):
        with pytest.raises(ValidationError, match=r"trusted_proxies(.|\n)*\* alone"):
            ServiceSettings(office="yuyao", trusted_proxies=value)

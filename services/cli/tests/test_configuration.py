"""Reading the configuration of a command: clear errors, misspelt variables noticed."""

import pytest

from wushe_cli import configuration
from wushe_cli.relay import RelaySettings
from wushe_needs.settings import NeedsSettings


def test_a_missing_office_is_named_as_the_variable_to_set(monkeypatch):
    monkeypatch.delenv("WUSHE_OFFICE", raising=False)
    with pytest.raises(configuration.ConfigurationError, match="WUSHE_OFFICE: Field required"):
        configuration.load(RelaySettings)


def test_a_bad_office_id_says_what_it_must_look_like(monkeypatch):
    monkeypatch.setenv("WUSHE_OFFICE", "Yuyao Office")
    with pytest.raises(configuration.ConfigurationError, match=r"WUSHE_OFFICE: .*must match"):
        configuration.load(NeedsSettings)


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("WUSHE_OFFICE", "weifang")
    monkeypatch.setenv("WUSHE_RELAY_SCHEMAS", "needs, funds")
    settings = configuration.load(RelaySettings)
    assert (settings.office, settings.schemas()) == ("weifang", ["needs", "funds"])


def test_misspelt_variables_are_reported_and_known_ones_are_not():
    environ = {
        "WUSHE_OFFICE": "yuyao",
        "WUSHE_OFICE_KEY": "x",
        "WUSHE_OFFICE_KEY": "y",
        "WUSHE_RELAY_SCHEMAS": "needs",
        "WUSHE_REPORTING_STREAM": "WUSHE_ALL",
        "WUSHE_TEST_NATS_URL": "nats://",
        "HOME": "/root",
    }
    assert configuration.unknown_variables(environ) == ["WUSHE_OFICE_KEY"]

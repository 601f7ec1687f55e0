"""The public pages' addresses (WUSHE_PUBLIC_URLS) read at a service's start: a typo stops it
with the variable named and what is wrong, rather than a navigation to nowhere."""

import pytest

from wushe_cli import configuration
from wushe_funds.settings import FundsSettings
from wushe_needs.settings import NeedsSettings
from wushe_volunteers.settings import VolunteersSettings


@pytest.fixture(autouse=True)
def _office(monkeypatch):
    monkeypatch.setenv("WUSHE_OFFICE", "yuyao")


@pytest.mark.parametrize("settings", [NeedsSettings, VolunteersSettings, FundsSettings])
def test_each_public_service_reads_the_addresses(monkeypatch, settings):
    monkeypatch.setenv(
        "WUSHE_PUBLIC_URLS",
        " needs=https://wushe.yuyao.gov.cn/needs/ , funds=http://10.0.0.5:8103,volunteers="
        "https://wushe.yuyao.gov.cn/volunteers",
    )
    assert configuration.load(settings).public_urls == {
        "needs": "https://wushe.yuyao.gov.cn/needs",
        "funds": "http://10.0.0.5:8103",
        "volunteers": "https://wushe.yuyao.gov.cn/volunteers",
    }


@pytest.mark.parametrize("unset", [None, "", " "])
def test_unset_or_empty_is_no_address(monkeypatch, unset):
    if unset is None:
        monkeypatch.delenv("WUSHE_PUBLIC_URLS", raising=False)
    else:
        monkeypatch.setenv("WUSHE_PUBLIC_URLS", unset)
    assert configuration.load(NeedsSettings).public_urls == {}


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("reporting=https://wushe.yuyao.gov.cn", "'reporting=.*' is not service=URL"),
        ("https://wushe.yuyao.gov.cn/needs", "is not service=URL"),
        ("needs=wushe.yuyao.gov.cn/needs", "needs's URL 'wushe.yuyao.gov.cn/needs' is not an"),
        ("funds=ftp://wushe.yuyao.gov.cn", "funds's URL 'ftp://.*' is not an http"),
        ("funds=https://", "is not an http"),
    ],
)
def test_a_bad_address_stops_the_service_naming_the_variable(monkeypatch, value, said):
    monkeypatch.setenv("WUSHE_PUBLIC_URLS", value)
    with pytest.raises(configuration.ConfigurationError, match=rf"WUSHE_PUBLIC_URLS: .*{said}"):
        configuration.load(FundsSettings)

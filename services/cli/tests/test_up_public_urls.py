"""`wushe up` gives its services each other's addresses for the public pages' navigation
(WUSHE_PUBLIC_URLS): the ones it prints, unless the operator gives the public's own."""

import pytest

from wushe_cli.up import public_environment
from wushe_service.settings import parse_public_urls

PRINTED = {
    "needs": "http://127.0.0.1:8101",
    "volunteers": "http://127.0.0.1:18102",  # its default port was taken
    "funds": "http://127.0.0.1:8103",
    "reporting": "http://127.0.0.1:8104",
}


def test_the_public_services_are_given_the_addresses_it_prints():
    env = public_environment({"WUSHE_OFFICE": "yuyao"}, PRINTED)
    assert env["WUSHE_OFFICE"] == "yuyao"
    assert parse_public_urls(env["WUSHE_PUBLIC_URLS"]) == {
        "needs": "http://127.0.0.1:8101",
        "volunteers": "http://127.0.0.1:18102",
        "funds": "http://127.0.0.1:8103",
    }


def test_the_addresses_the_environment_sets_are_kept():
    given = {"WUSHE_PUBLIC_URLS": "needs=https://wushe.yuyao.gov.cn/needs"}
    assert public_environment(given, PRINTED) == given


@pytest.mark.parametrize("empty", ["", " "])
def test_an_empty_setting_is_unset(empty):
    env = public_environment({"WUSHE_PUBLIC_URLS": empty}, PRINTED)
    assert "needs=http://127.0.0.1:8101" in env["WUSHE_PUBLIC_URLS"]

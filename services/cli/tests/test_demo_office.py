"""The office `wushe up --demo` runs, as its pages name it and whom they send a reader to,
whatever its code (the run itself: tests/e2e/test_up.py)."""

from __future__ import annotations

import pytest

from wushe_cli import demo
from wushe_cli.up import demo_environment

NAME, CONTACT = "WUSHE_OFFICE_NAME", "WUSHE_PUBLIC_CONTACT"


def test_the_default_office_is_named_yuyaos():
    env = demo_environment({"WUSHE_OFFICE": "yuyao"}, "yuyao")
    assert env[NAME] == "余姚市社会工作服务指导中心（演示）"
    assert env[CONTACT] == demo.PUBLIC_CONTACT


@pytest.mark.parametrize("office", ["hhdemo", "u1a2b3c4"])
def test_any_other_office_gets_a_chinese_name_and_the_demo_contact(office):
    env = demo_environment({}, office)
    assert env[NAME] == "示范区社会工作服务指导中心（演示）"
    assert office not in env[NAME]
    assert env[CONTACT] == "阳明街道社工站 0574-12345678（周一至周五 8:30-17:00）"


def test_what_the_operator_sets_is_kept_and_an_empty_value_is_unset():
    given = {NAME: "余姚市社会工作服务指导中心", CONTACT: "", "OTHER": "x"}
    env = demo_environment(given, "yuyao")
    assert env == {**given, CONTACT: demo.PUBLIC_CONTACT}

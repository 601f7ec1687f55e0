"""A dead letter as `/dead-letters` shows it: its reason without the text 审计查询 withholds
(a title, a public name), however pydantic quoted it, and what an operator needs kept."""

from datetime import UTC, datetime
from typing import Any

import orjson
import pytest
from pydantic import BaseModel, ValidationError

from wushe_events.catalogue.needs import WishPosted
from wushe_events.catalogue.volunteers import VolunteerRegistered
from wushe_events.dead_letters import DeadLetter
from wushe_service.audit_withheld import dead_letter

WISH = "wushe.needs.wish.posted.v1"
VOLUNTEER = "wushe.volunteers.volunteer.registered.v1"
# 201 characters: one more than a title may have, so pydantic quotes its two ends.
TITLE = "给王奶奶换一个新的轮椅" + "，她的旧轮椅坏了很久" * 19
WISH_DATA = {
    "wish_id": "00000000-0000-0000-0000-000000000001",
    "community_id": "fengshan",
    "resident_id": "00000000-0000-0000-0000-000000000002",
    "category": "repair",
    "title": TITLE,
    "estimated_value_fen": 8000,
    "deadline": "2026-12-31",  # no zone: refused, and quoted, as a code or a date is
}


def _error(model: type[BaseModel], data: dict[str, Any]) -> str:
    with pytest.raises(ValidationError) as raised:
        model.model_validate(data)
    return f"ValidationError: {raised.value}"  # as the consumer gives its reason


def _letter(event_type: str | None, data: Any, reason: str) -> DeadLetter:
    body = orjson.dumps({"id": "e1", "type": event_type, "data": data}) if event_type else data
    return DeadLetter(
        sequence=7,
        consumer="needs-claimants",
        reason=reason,
        deliveries=3,
        dead_at=datetime(2026, 12, 7, 8, 0, tzinfo=UTC),
        subject="wushe.t1.needs.wish.posted",
        stream="WUSHE_T1",
        stream_sequence=42,
        event_id="e1" if event_type else None,
        event_type=event_type,
        data=body,
    )


def test_a_long_title_quoted_in_part_is_withheld_and_the_rest_of_the_error_kept():
    said = _error(WishPosted, WISH_DATA)
    assert "给王奶奶换一个新" in said  # pydantic quotes the title's first and last characters
    shown = dead_letter(_letter(WISH, WISH_DATA, said))
    assert shown["reason"] == said.replace(
        "input_value='给王奶奶换一个新...旧轮椅坏了很久'",
        "input_value=(withheld)",
    )
    assert (
        "title\n  String should have at most 200 characters [type=string_too_long"
        in shown["reason"]
    )
    assert "input_value='2026-12-31', input_type=str" in shown["reason"]  # a date: shown
    assert shown["withheld"] == {"title": 201}
    assert {k: shown[k] for k in ("sequence", "event_id", "event_type", "deliveries")} == {
        "sequence": 7,
        "event_id": "e1",
        "event_type": WISH,
        "deliveries": 3,
    }
    assert (shown["subject"], shown["stream"], shown["stream_sequence"]) == (
        "wushe.t1.needs.wish.posted",
        "WUSHE_T1",
        42,
    )


def test_the_event_s_data_quoted_whole_is_withheld():
    data = {"volunteer_id": "00000000-0000-0000-0000-000000000003", "display_name": "小王同学"}
    said = _error(VolunteerRegistered, data)
    assert "小王同学" in said
    shown = dead_letter(_letter(VOLUNTEER, data, said))
    assert "小王" not in shown["reason"]
    assert (
        "community_id\n  Field required [type=missing, input_value=(withheld), input_type=dict]"
        in (shown["reason"])
    )
    assert shown["withheld"] == {"display_name": 4}


def test_a_title_named_in_a_handler_s_words_is_withheld():
    data = WISH_DATA | {"title": "王奶奶的轮椅", "deadline": "2026-12-31T00:00:00Z"}
    said = "Poison: wish 王奶奶的轮椅 ('王奶奶的轮椅') of no community known here"
    shown = dead_letter(_letter(WISH, data, said))
    assert shown["reason"] == "Poison: wish (withheld) ('(withheld)') of no community known here"
    assert shown["withheld"] == {"title": 6}


def test_an_event_with_nothing_to_withhold_keeps_its_error_whole():
    data = {"volunteer_id": "00000000-0000-0000-0000-000000000003", "display_name": None}
    said = _error(VolunteerRegistered, data)
    assert "input_value={'volunteer_id'" in said
    shown = dead_letter(_letter(VOLUNTEER, data, said))
    assert (shown["reason"], shown["withheld"]) == (said, {})


def test_a_message_that_is_no_envelope_is_shown_by_where_it_was_and_why():
    said = "not a Wushe CloudEvents envelope (id, type)"
    shown = dead_letter(_letter(None, b"\x00garbage", said))
    assert (shown["reason"], shown["withheld"], shown["event_type"]) == (said, {}, None)


def test_a_retry_s_new_error_is_withheld_alike():
    data = WISH_DATA | {"title": "王奶奶的轮椅"}
    shown = dead_letter(_letter(WISH, data, "old"), "KeyError: '王奶奶的轮椅'")
    assert shown["reason"] == "KeyError: '(withheld)'"

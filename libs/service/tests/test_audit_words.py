"""The audit's words: every event type and aggregate of the catalogue has its Chinese, and a
read's purpose reads as the fields it showed."""

from wushe_events.catalogue import event_types
from wushe_service.audit_words import (
    AGGREGATES,
    aggregate_name,
    event_name,
    purpose_name,
    short_type,
)


def test_every_aggregate_of_the_catalogue_has_its_words():
    assert {cls.aggregate for cls in event_types().values()} <= set(AGGREGATES)


def test_an_event_type_is_named_with_or_without_its_prefix_and_version():
    assert short_type("wushe.needs.wish.claimed.v1") == "needs.wish.claimed"
    assert event_name("wushe.needs.wish.claimed.v1") == "认领微心愿"
    assert event_name("wushe.needs.wish.claimed.v2") == "认领微心愿"
    assert event_name("wushe.needs.unknown.thing.v1") == "wushe.needs.unknown.thing.v1"
    assert aggregate_name("wish") == "微心愿"


def test_a_purpose_reads_as_what_was_shown():
    assert purpose_name("visit list: name, address, phone") == "走访名单（姓名、住址、手机号）"
    assert purpose_name("resident record") == "查看居民档案"
    assert purpose_name("a purpose of a later version") == "a purpose of a later version"

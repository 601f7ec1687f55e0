"""What 审计查询's lists withhold of an event's data: every text field of the catalogue is
either withheld (typed text, people's names) or shown (the organisation's names, codes)."""

import types
import typing
from typing import Any

from pydantic import BaseModel

from wushe_events.catalogue import event_types
from wushe_service.audit_withheld import SHOWN, WITHHELD, withheld
from wushe_service.audit_words import short_type


def _free_text(annotation: Any, metadata: list[Any]) -> bool:
    """A str that no pattern holds to a code, a hash or an id."""
    if any(getattr(m, "pattern", None) for m in metadata):
        return False
    if typing.get_origin(annotation) is typing.Annotated:
        inner, *more = typing.get_args(annotation)
        return _free_text(inner, [*metadata, *more, *getattr(more[0], "metadata", [])])
    if typing.get_origin(annotation) in (typing.Union, types.UnionType, list):
        return any(_free_text(a, metadata) for a in typing.get_args(annotation))
    return annotation is str


def _text_fields(model: type[BaseModel], at: str = "") -> set[str]:
    found = set()
    for name, info in model.model_fields.items():
        if name.endswith("_id"):
            continue  # ids of records, as text
        annotation = info.annotation
        items = typing.get_args(annotation) if typing.get_origin(annotation) is list else ()
        nested = [a for a in items if isinstance(a, type) and issubclass(a, BaseModel)]
        for inner in nested:
            found |= _text_fields(inner, f"{at}{name}.*.")
        if _free_text(annotation, list(info.metadata)):
            found.add(f"{at}{name}")
    return found


def test_every_text_field_of_the_catalogue_is_withheld_or_shown():
    for event_type, cls in event_types().items():
        kind = short_type(event_type)
        listed = set(WITHHELD.get(kind, ())) | set(SHOWN.get(kind, ()))
        assert _text_fields(cls) <= listed, f"{kind}: {_text_fields(cls) - listed}"
        assert not set(WITHHELD.get(kind, ())) & set(SHOWN.get(kind, ()))


def test_a_wishs_title_is_withheld_with_its_length():
    data = {"wish_id": "w", "title": "给王秀英奶奶买助听器", "estimated_value_fen": 5000}
    shown, said = withheld("wushe.needs.wish.posted.v1", data)
    assert shown == {"wish_id": "w", "estimated_value_fen": 5000}
    assert said == {"title": 10}
    assert data["title"] == "给王秀英奶奶买助听器"  # the event itself is untouched


def test_a_projects_budget_lines_keep_their_amounts_not_their_words():
    data = {
        "title": "助老",
        "summary": None,
        "theme": "为老服务",
        "budget_lines": [{"item": "李大爷家扶手", "amount_fen": 100}, {"amount_fen": 5}],
    }
    shown, said = withheld("wushe.funds.application.submitted.v1", data)
    assert shown == {
        "summary": None,
        "theme": "为老服务",
        "budget_lines": [{"amount_fen": 100}, {"amount_fen": 5}],
    }
    assert said == {"title": 2, "budget_lines.0.item": 6}


def test_a_rejections_code_is_shown_and_its_words_of_old_withheld():
    code = {"application_id": "a", "reason": "off-theme"}
    assert withheld("wushe.funds.application.rejected.v1", code) == (code, {})
    words = {"application_id": "a", "reason": "张社工说不合适"}
    assert withheld("wushe.funds.application.rejected.v1", words) == (
        {"application_id": "a"},
        {"reason": 7},
    )


def test_an_event_without_text_is_shown_whole():
    data = {"wish_id": "w", "claimant_id": "c", "claimant_kind": "volunteer"}
    assert withheld("wushe.needs.wish.claimed.v1", data) == (data, {})

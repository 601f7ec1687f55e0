"""What 审计查询 withholds of an event's data: the text people typed (a wish's, an activity's
or a project's title, a summary, a budget line, a reason in words) and people's public names.
Such text may name a resident, and it stays in the log after the resident's data is erased;
an auditor's lists need who did what, when, to which record, not that. Each list says which
fields it withheld and how long each was; the auditor opens one event to read them, and the
opening is read-logged as any showing of personal data (`GET /audit/events/{event_id}`).

The names of the office's own organisation (communities, streets, teams, sites, funds, rounds
and their themes), codes, amounts, ids and numbers are shown: `test_audit_withheld` holds
every text field of the catalogue to one of the two tables.

A dead letter (`GET /dead-letters`, `wushe events dead-letters`) never shows its payload, but
its reason may quote it: pydantic's errors repeat the input (`input_value={'title': …}`, or
part of a long title). `dead_letter` shows it without what 审计查询 withholds, keeping what
an operator needs to find the cause and retry: the type, the ids, where it was, the tries and
the error, its field and rule."""

from __future__ import annotations

import re
from typing import Any

import orjson

from wushe_events.catalogue.base import SLUG_PATTERN
from wushe_events.dead_letters import DeadLetter
from wushe_service.audit_words import short_type

# By type as DESIGN §4 lists it: the fields withheld; `*` stands for each item of a list.
WITHHELD: dict[str, tuple[str, ...]] = {
    "needs.wish.posted": ("title",),
    "needs.wish.claimed": ("claimant_display",),
    "volunteers.activity.scheduled": ("title",),
    "volunteers.volunteer.registered": ("display_name",),
    "funds.application.submitted": ("title", "summary", "budget_lines.*.item"),
    "funds.application.rejected": ("reason",),  # a code since a release: words before it
    "funds.donation.received": ("donor_display",),
    "funds.grant.disbursed": ("purpose",),
}
# Text fields shown as they are: the organisation's own names, and ids and numbers as text.
SHOWN: dict[str, tuple[str, ...]] = {
    "needs.community.registered": ("name", "street"),
    "needs.community.renamed": ("name", "street"),
    "needs.consent.granted": ("recorded_by",),
    "needs.consent.withdrawn": ("recorded_by",),
    "needs.resident.merged": ("recorded_by",),
    "needs.wish.confirmed": ("confirmed_by",),
    "volunteers.certificate.issued": ("number",),
    "volunteers.site.registered": ("name",),
    "volunteers.team.registered": ("name",),
    "funds.application.submitted": ("theme",),
    "funds.donation.received": ("receipt_number",),
    "funds.fund.opened": ("name",),
    "funds.grant.disbursed": ("counterpart",),  # the team paid, by its public name
    "funds.round.opened": ("name", "themes"),
}
_CODE = re.compile(SLUG_PATTERN)


def _is_code(field: str, value: Any) -> bool:
    # A rejection's reason has been a code (not-selected) since the manager's words were kept
    # off the bus; the words of earlier events are withheld, their codes shown.
    return field == "reason" and isinstance(value, str) and _CODE.match(value) is not None


def _withhold(data: Any, path: list[str], at: str, withheld: dict[str, str]) -> Any:
    """`data` without the text at `path` (into `withheld`, by where it was)."""
    head, *rest = path
    if head == "*":
        if not isinstance(data, list):
            return data
        return [_withhold(item, rest, f"{at}{i}.", withheld) for i, item in enumerate(data)]
    if not isinstance(data, dict) or data.get(head) is None:
        return data
    if rest:
        return data | {head: _withhold(data[head], rest, f"{at}{head}.", withheld)}
    if _is_code(head, data[head]):
        return data
    withheld[f"{at}{head}"] = str(data[head])
    return {k: v for k, v in data.items() if k != head}


def _texts(event_type: str, data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    out: dict[str, str] = {}
    for path in WITHHELD.get(short_type(event_type), ()):
        data = _withhold(data, path.split("."), "", out)
    return data, out


def withheld(event_type: str, data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, int]]:
    """The event's data as a list shows it, and what it withheld: each field by its path
    (`title`, `budget_lines.0.item`) with its length in characters."""
    data, texts = _texts(event_type, data)
    return data, {path: len(text) for path, text in texts.items()}


# An input pydantic repeats in its error: `input_value='…', input_type=str`, a long one cut
# in the middle ('王奶奶的轮椅需要...谢谢大家的帮助'), a dict or list cut likewise.
_INPUT = re.compile(r"input_value=(?P<value>.*?), input_type=(?P<type>\w+)")
WITHHELD_MARK = "(withheld)"


def _quoted(text: str) -> str:
    return repr(text)[1:-1]  # as a repr shows it: a quote or a newline escaped


def _input(found: re.Match[str], texts: list[str]) -> str:
    value, kind = found["value"], found["type"]
    if kind == "str":
        pieces = [p for p in value[1:-1].split("...") if p]
        if not any(p in t or p in _quoted(t) for p in pieces for t in texts):
            return found[0]  # a code or an id: what the rule refused
    elif kind not in {"dict", "list"}:
        return found[0]  # a number, a flag: no text
    return f"input_value={WITHHELD_MARK}, input_type={kind}"


def reason(text: str, event_type: str | None, data: Any) -> str:
    """An error's `text` about an event, without the event's withheld text: pydantic's repeated
    input that holds or may hold it, and the text itself wherever it is quoted."""
    if not event_type or not isinstance(data, dict):
        return text
    texts = sorted(_texts(event_type, data)[1].values(), key=len, reverse=True)
    if not texts:
        return text
    text = _INPUT.sub(lambda found: _input(found, texts), text)
    for whole in (t for t in texts if len(t) > 1):  # one character names nobody, is everywhere
        text = text.replace(whole, WITHHELD_MARK).replace(_quoted(whole), WITHHELD_MARK)
    return text


def dead_letter(letter: DeadLetter, error: str | None = None) -> dict[str, Any]:
    """A dead letter as it is shown (`summary`), its reason — or `error`, a retry's — without
    the event's withheld text, and `withheld`: the event's fields no reason shows, each with
    its length, as 审计查询's lists give them (an auditor reads them by opening the event on
    the service that recorded it)."""
    try:
        data = orjson.loads(letter.data)["data"]
    except (orjson.JSONDecodeError, KeyError, TypeError):
        data = None  # not an envelope: its reason names fields, never their values
    hidden = (
        withheld(letter.event_type, data)[1] if letter.event_type and isinstance(data, dict) else {}
    )
    said = letter.reason if error is None else error
    return letter.summary() | {
        "reason": reason(said, letter.event_type, data),
        "withheld": hidden,
    }

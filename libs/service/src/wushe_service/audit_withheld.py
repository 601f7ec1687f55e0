"""What 审计查询 withholds of an event's data: the text people typed (a wish's, an activity's
or a project's title, a summary, a budget line, a reason in words) and people's public names.
Such text may name a resident, and it stays in the log after the resident's data is erased;
an auditor's lists need who did what, when, to which record, not that. Each list says which
fields it withheld and how long each was; the auditor opens one event to read them, and the
opening is read-logged as any showing of personal data (`GET /audit/events/{event_id}`).

The names of the office's own organisation (communities, streets, teams, sites, funds, rounds
and their themes), codes, amounts, ids and numbers are shown: `test_audit_withheld` holds
every text field of the catalogue to one of the two tables."""

from __future__ import annotations

import re
from typing import Any

from wushe_events.catalogue.base import SLUG_PATTERN
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


def _withhold(data: Any, path: list[str], at: str, withheld: dict[str, int]) -> Any:
    """`data` without the text at `path` (into `withheld`, by where it was, with its length)."""
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
    withheld[f"{at}{head}"] = len(str(data[head]))
    return {k: v for k, v in data.items() if k != head}


def withheld(event_type: str, data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, int]]:
    """The event's data as a list shows it, and what it withheld: each field by its path
    (`title`, `budget_lines.0.item`) with its length in characters."""
    out: dict[str, int] = {}
    for path in WITHHELD.get(short_type(event_type), ()):
        data = _withhold(data, path.split("."), "", out)
    return data, out

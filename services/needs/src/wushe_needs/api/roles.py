"""Who may read what of the needs service. A resident's case file — their record, surveys and
history, and which wishes and needs are theirs — is for the staff who serve them and those who
audit the office, never for volunteers or viewers (who have the board and the figures)."""

from __future__ import annotations

from typing import Annotated, Any

from wushe_service.api import Principal, Role, require

CASE_READERS = frozenset({Role.admin, Role.social_worker, Role.auditor})
CaseReader = Annotated[Principal, require(*CASE_READERS)]
# Who does the case work: records, surveys, needs, wishes (and admins, as everywhere).
SocialWorker = Annotated[Principal, require(Role.social_worker)]
# Who is shown residents' personal data (names, addresses, notes): those who serve them.
# Auditors read the case file and the read log, pseudonymous.
MAY_READ_PERSONAL_DATA = frozenset({Role.social_worker, Role.admin})


def as_seen_by(who: Principal, item: dict[str, Any]) -> dict[str, Any]:
    """A wish or a need as `who` may see it: whom it is for only to those who read case files."""
    if who.role in CASE_READERS:
        return item
    return {k: v for k, v in item.items() if k != "resident_id"}

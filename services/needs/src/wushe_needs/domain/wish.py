"""A micro-wish (微心愿): posted → claimed → fulfilled → confirmed; one claimant at a time.

    posted ──claim──► claimed ──fulfil──► fulfilled ──confirm──► confirmed
      ▲                 │ │
      └────release──────┘ └─progress (claimed, the claim is alive)
    posted | claimed ──cancel──► cancelled
    posted | claimed ──(deadline passed)──► expired

The fold takes each event's time: a claim's age (for releasing stale claims) is a fact of the
history, not of the clock at hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from wushe_events.catalogue import Event
from wushe_events.catalogue.needs import (
    ClaimantKind,
    ReleaseReason,
    WishCancelled,
    WishClaimed,
    WishConfirmed,
    WishExpired,
    WishFulfilled,
    WishMoved,
    WishPosted,
    WishProgressed,
    WishReleased,
    WishTransferred,
)
from wushe_events.errors import InvalidReference, NotFound, RuleBroken
from wushe_needs.domain.need import OPEN_STATES, Need
from wushe_needs.domain.resident import Resident, may_be_served, not_merged
from wushe_service import names
from wushe_service.names import plain


class WishState(StrEnum):
    posted = "posted"
    claimed = "claimed"
    fulfilled = "fulfilled"
    confirmed = "confirmed"
    cancelled = "cancelled"
    expired = "expired"


LIVE = (WishState.posted, WishState.claimed)
# A micro-wish is small and near: a deadline further ahead is a typo, and would keep the wish
# on the board (and its need matched) for good.
LONGEST = timedelta(days=366)


@dataclass(frozen=True)
class Claimant:
    """A volunteer or team, as the needs service knows it from the volunteers' events."""

    claimant_id: UUID
    kind: ClaimantKind
    display: str | None
    active: bool


@dataclass(frozen=True)
class Claim:
    claimant_id: UUID
    kind: ClaimantKind
    display: str | None
    claimed_at: datetime
    last_activity_at: datetime


@dataclass(frozen=True)
class Wish:
    wish_id: UUID
    community_id: str
    resident_id: UUID | None
    need_id: UUID | None
    category: str
    title: str
    value_fen: int
    deadline: datetime
    posted_at: datetime
    state: WishState = WishState.posted
    claim: Claim | None = None


# What a refused title is told: never what was found in it (a name, a number).
NAMES_SOMEONE = (
    "the title is shown publicly: it must not name the resident, nor call them by surname (王奶奶)"
)
GIVES_DETAILS = (
    "the title is shown publicly: it must not give the resident's address, phone or ID number"
)
NAMES_SOMEONE_CODE = "title_names_someone"  # their `type`, for a page to word
GIVES_DETAILS_CODE = "title_gives_details"


def post(
    existing: Wish | None,
    wish_id: UUID,
    community_id: str,
    category: str,
    title: str,
    value_fen: int,
    deadline: datetime,
    now: datetime,
    *,
    cap_fen: int,
    resident: Resident | None = None,
    need: Need | None = None,
) -> list[Event]:
    if existing is not None:
        raise RuleBroken("wish_exists", f"wish {wish_id} is already posted")
    if value_fen > cap_fen:
        raise RuleBroken(
            "wish_value_cap",
            f"a micro-wish is worth at most {cap_fen} fen in this office ({value_fen} asked)",
            {"cap_fen": str(cap_fen)},
        )
    if deadline <= now:
        raise InvalidReference("deadline", "the deadline must be in the future", code="in_the_past")
    if deadline > now + LONGEST:
        raise InvalidReference(
            "deadline", "a micro-wish's deadline is at most a year ahead", code="deadline_too_far"
        )
    if need is not None:
        if need.state not in OPEN_STATES:
            raise RuleBroken("need_not_open", f"need {need.need_id} is already {need.state}")
        if need.community_id != community_id:
            raise InvalidReference("community_id", "the need is of another community")
    if resident is not None:
        not_merged(resident)
        if resident.erased:
            raise RuleBroken("resident_erased", "the resident's data was erased")
        if resident.community_id != community_id:
            raise InvalidReference("resident_id", "the resident lives in another community")
        if need is not None and need.resident_id != resident.resident_id:
            raise InvalidReference("resident_id", "the need is another resident's")
        may_be_served(resident)
    return [
        WishPosted(
            wish_id=wish_id,
            community_id=community_id,
            resident_id=resident.resident_id if resident else (need.resident_id if need else None),
            category=category,
            title=title,
            estimated_value_fen=value_fen,
            deadline=deadline,
            need_id=need.need_id if need else None,
        )
    ]


def _found(wish: Wish | None, wish_id: UUID) -> Wish:
    if wish is None:
        raise NotFound("wish", wish_id)
    return wish


def _claimed_by(wish: Wish, claimant_id: UUID | None) -> Claim:
    if wish.state is not WishState.claimed or wish.claim is None:
        raise RuleBroken("wish_not_claimed", f"wish {wish.wish_id} is {wish.state}, not claimed")
    if claimant_id is not None and claimant_id != wish.claim.claimant_id:
        raise RuleBroken("not_the_claimant", f"wish {wish.wish_id} is claimed by someone else")
    return wish.claim


def claim(
    wish: Wish | None,
    wish_id: UUID,
    claimant: Claimant | None,
    claimant_id: UUID,
    kind: ClaimantKind,
    now: datetime,
) -> list[Event]:
    wish = _found(wish, wish_id)
    if wish.claim is not None and wish.state is WishState.claimed:
        if (wish.claim.claimant_id, wish.claim.kind) == (claimant_id, kind):
            return []  # a claim sent again (a retry, a double tap): it holds already
        raise RuleBroken(
            "wish_not_open",
            f"wish {wish_id} is claimed by another {wish.claim.kind}; only a posted wish can "
            "be claimed",
        )
    if wish.state is not WishState.posted:
        raise RuleBroken(
            "wish_not_open", f"wish {wish_id} is {wish.state}; only a posted wish can be claimed"
        )
    if now >= wish.deadline:
        raise RuleBroken("wish_past_deadline", f"wish {wish_id}'s deadline has passed")
    if claimant is None or claimant.kind != kind:
        raise RuleBroken(
            "claimant_unknown",
            f"no {kind} {claimant_id} is known here (yet): the volunteers service registers them",
        )
    if not claimant.active:
        raise RuleBroken("claimant_inactive", f"{kind} {claimant_id} is suspended or withdrawn")
    return [
        WishClaimed(
            wish_id=wish_id,
            community_id=wish.community_id,
            claimant_id=claimant_id,
            claimant_kind=kind,
            claimant_display=claimant.display,
        )
    ]


def release(wish: Wish | None, wish_id: UUID, claimant_id: UUID | None) -> list[Event]:
    """Give the wish back; by its claimant (claimant_id) or by staff (None)."""
    wish = _found(wish, wish_id)
    _claimed_by(wish, claimant_id)
    reason = ReleaseReason.by_staff if claimant_id is None else ReleaseReason.by_claimant
    return [WishReleased(wish_id=wish_id, community_id=wish.community_id, reason=reason)]


def progress(wish: Wish | None, wish_id: UUID, claimant_id: UUID | None) -> list[Event]:
    """The claim is alive; reported by its claimant (claimant_id) or by staff (None)."""
    wish = _found(wish, wish_id)
    held = _claimed_by(wish, claimant_id)
    return [
        WishProgressed(
            wish_id=wish_id, community_id=wish.community_id, claimant_id=held.claimant_id
        )
    ]


def fulfil(
    wish: Wish | None,
    wish_id: UUID,
    claimant_id: UUID | None,
    hours: float | None,
) -> list[Event]:
    wish = _found(wish, wish_id)
    held = _claimed_by(wish, claimant_id)
    return [
        WishFulfilled(
            wish_id=wish_id,
            community_id=wish.community_id,
            claimant_id=held.claimant_id,
            claimant_kind=held.kind,
            hours=hours,
        )
    ]


def confirm(wish: Wish | None, wish_id: UUID, confirmed_by: str | None = None) -> list[Event]:
    wish = _found(wish, wish_id)
    if wish.state is not WishState.fulfilled:
        raise RuleBroken(
            "wish_not_fulfilled",
            f"wish {wish_id} is {wish.state}; a social worker confirms a fulfilled wish",
        )
    return [
        WishConfirmed(wish_id=wish_id, community_id=wish.community_id, confirmed_by=confirmed_by)
    ]


def cancel(wish: Wish | None, wish_id: UUID, reason: str | None) -> list[Event]:
    wish = _found(wish, wish_id)
    if wish.state not in LIVE:
        raise RuleBroken("wish_closed", f"wish {wish_id} is already {wish.state}")
    return [WishCancelled(wish_id=wish_id, community_id=wish.community_id, reason=reason)]


def expire(wish: Wish | None, wish_id: UUID, now: datetime) -> list[Event]:
    wish = _found(wish, wish_id)
    if wish.state not in LIVE:
        raise RuleBroken("wish_closed", f"wish {wish_id} is already {wish.state}")
    if now < wish.deadline:
        raise RuleBroken("wish_not_due", f"wish {wish_id}'s deadline has not passed")
    return [WishExpired(wish_id=wish_id, community_id=wish.community_id)]


def release_stale(wish: Wish | None, wish_id: UUID, now: datetime, after: timedelta) -> list[Event]:
    """Free a wish whose claimant showed no progress for `after`."""
    wish = _found(wish, wish_id)
    held = _claimed_by(wish, None)
    if now - held.last_activity_at < after:
        raise RuleBroken("claim_not_stale", f"wish {wish_id}'s claim is still alive")
    return [
        WishReleased(
            wish_id=wish_id, community_id=wish.community_id, reason=ReleaseReason.stale_claim
        )
    ]


def release_inactive(wish: Wish | None, wish_id: UUID, claimant_id: UUID) -> list[Event]:
    """Free a wish whose claimant can no longer serve (suspended, withdrawn or erased)."""
    wish = _found(wish, wish_id)
    _claimed_by(wish, claimant_id)
    return [
        WishReleased(
            wish_id=wish_id, community_id=wish.community_id, reason=ReleaseReason.claimant_inactive
        )
    ]


def move(wish: Wish | None, wish_id: UUID, community_id: str) -> list[Event]:
    """Follow the resident to another community's board while posted or claimed (a claim
    stays with its claimant); a wish that ended stays where it did."""
    wish = _found(wish, wish_id)
    if wish.state not in LIVE or wish.community_id == community_id:
        return []
    return [
        WishMoved(wish_id=wish_id, community_id=community_id, from_community_id=wish.community_id)
    ]


def transfer(wish: Wish | None, wish_id: UUID, to: Resident) -> list[Event]:
    """Hand a duplicate record's wish to the resident kept (a merge), onto their community's
    board, while posted or claimed (a claim stays with its claimant); a wish that ended stays
    with the record it was for."""
    wish = _found(wish, wish_id)
    if wish.state not in LIVE or wish.resident_id in (None, to.resident_id):
        return []
    return [
        WishTransferred(
            wish_id=wish_id,
            community_id=to.community_id,
            from_community_id=wish.community_id,
            resident_id=to.resident_id,
            from_resident_id=wish.resident_id,
        )
    ]


def evolve(state: Wish | None, event: Event, at: datetime) -> Wish:
    match event:
        case WishPosted():
            return Wish(
                event.wish_id,
                event.community_id,
                event.resident_id,
                event.need_id,
                event.category,
                event.title,
                event.estimated_value_fen,
                event.deadline,
                posted_at=at,
            )
    if state is None:
        raise TypeError(f"{event.type} does not apply before a wish is posted")
    match event:
        case WishClaimed():
            held = Claim(event.claimant_id, event.claimant_kind, event.claimant_display, at, at)
            return replace(state, state=WishState.claimed, claim=held)
        case WishProgressed() if state.claim is not None:
            return replace(state, claim=replace(state.claim, last_activity_at=at))
        case WishReleased():
            return replace(state, state=WishState.posted, claim=None)
        case WishFulfilled():
            return replace(state, state=WishState.fulfilled)
        case WishConfirmed():
            return replace(state, state=WishState.confirmed)
        case WishCancelled():
            return replace(state, state=WishState.cancelled)
        case WishExpired():
            return replace(state, state=WishState.expired)
        case WishMoved():
            return replace(state, community_id=event.community_id)
        case WishTransferred():
            return replace(state, community_id=event.community_id, resident_id=event.resident_id)
    raise TypeError(f"{event.type} does not apply to a wish")


# How neighbours name an older or respected person: surname + one of these (王奶奶, 李大爷) is
# as identifying on a community's board as the full name.
_FORMS_OF_ADDRESS = (
    "奶奶|爷爷|大爷|大妈|大娘|大伯|大叔|大婶|阿姨|叔叔|伯伯|婆婆|阿婆|姥姥|姥爷|外婆|外公|"
    "老人|老伯|老太|老汉|师傅|先生|女士|同学|小朋友|阿公|嬢嬢|孃孃"
)


def names_resident(name: str, title: str) -> bool:
    """Whether `title` names the resident called `name`: their name, their given name, or
    their surname with a form of address (王奶奶, 老王, 小王), however spaced."""
    name, title = plain(name), plain(title)
    if not name:
        return False
    given = name[1:] if len(name) >= 3 else name  # a one-character given name is too common
    surnames = "|".join(map(re.escape, {name[0], name[:2]} if len(name) >= 4 else {name[0]}))
    addressed = re.compile(f"(?:{surnames})(?:{_FORMS_OF_ADDRESS})|[老小](?:{surnames})")
    return name in title or given in title or bool(addressed.search(title))


def _packed(text: str) -> str:
    return plain(text).replace("号", "").upper()


def gives_address(address: str, title: str) -> bool:
    """Whether `title` gives away the resident's `address`: all of it, a part of it with a
    number in it (3幢2单元 — a door in the community the board names anyway), or any six
    characters of it in a row (a village's lane)."""
    address, title = _packed(address), _packed(title)
    if not address:
        return False
    if address in title:
        return True
    for size, needs_digit in ((4, True), (6, False)):
        for start in range(len(address) - size + 1):
            part = address[start : start + size]
            if part in title and (not needs_digit or any(c.isdigit() for c in part)):
                return True
    return False


def gives_number(number: str, title: str) -> bool:
    """Whether `title` holds the resident's phone or ID number, however spaced."""
    return bool(number) and _packed(number) in _packed(title)


def check_title(title: str, digits: str) -> None:
    """A title names nobody by surname (张姓独居老人) nor gives a phone's tail (尾号2345),
    whoever it is for; `digits` is the title with numerals as digits (尾号二三四五). Names and
    numbers of residents are checked against their data (`wushe_needs.commands.wishes`)."""
    if names.calls_by_surname(title):
        raise InvalidReference("title", NAMES_SOMEONE, code=NAMES_SOMEONE_CODE)
    if names.gives_phone_tail(digits):
        raise InvalidReference("title", GIVES_DETAILS, code=GIVES_DETAILS_CODE)

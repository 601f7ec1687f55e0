"""Micro-wishes (微心愿): post, claim, release, progress, fulfil, confirm, cancel, expire."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Annotated
from uuid import UUID, uuid4

import asyncpg
import structlog
from pydantic import AfterValidator, Field, model_validator

from wushe_events.aggregate import Loaded, load, load_timed, transacting
from wushe_events.catalogue import Event
from wushe_events.catalogue.base import Slug, UtcDatetime
from wushe_events.catalogue.needs import (
    ClaimantKind,
    MatchKind,
    WishCancelled,
    WishConfirmed,
    WishExpired,
)
from wushe_events.catalogue.vocabulary import NeedCategory
from wushe_events.errors import InvalidReference, RuleBroken
from wushe_events.store import EventStore, Transaction
from wushe_needs import queries, store
from wushe_needs.commands import Command
from wushe_needs.domain import need, resident, wish
from wushe_needs.settings import NeedsSettings
from wushe_service import field_rules, names
from wushe_service.identity import PublicTitle, as_digits
from wushe_service.money import WholeFen
from wushe_service.personal_data import Vault
from wushe_service.runtime import Runtime
from wushe_service.service_hours import by_the_quarter

log = structlog.get_logger()


class PostWish(Command):
    community_id: Slug | None = Field(None, description="required unless need_id is given")
    need_id: UUID | None = Field(None, description="the need it answers (its community)")
    resident_id: UUID | None = None
    category: NeedCategory
    title: PublicTitle = Field(description="shown publicly: never a name or a number")
    estimated_value_fen: WholeFen
    deadline: UtcDatetime

    @model_validator(mode="after")
    def _somewhere(self) -> PostWish:
        if self.community_id is None and self.need_id is None:
            raise field_rules.broken(
                "community_id", "community_required", "required unless need_id is given"
            )
        return self


class ClaimWish(Command):
    claimant_id: UUID | None = Field(
        None, description="required from staff; a volunteer's token claims as its own person"
    )
    claimant_kind: ClaimantKind = ClaimantKind.volunteer


class ClaimantAction(Command):
    claimant_id: UUID | None = Field(None, description="the claimant acting; staff omit it")


class ReportProgress(ClaimantAction):
    pass


# Only the command is checked: a fulfilment recorded before the rule keeps its hours.
QuarterHours = Annotated[float, Field(gt=0, le=100), AfterValidator(by_the_quarter)]


class FulfilWish(ClaimantAction):
    hours: QuarterHours | None = Field(
        None, description="service hours it took, by the quarter hour (0.25, 0.5, 1.5)"
    )


class CancelWish(Command):
    reason: Slug | None = None


async def post_wish(
    store_: EventStore, vault: Vault, command: PostWish, now: datetime, cap_fen: int
) -> UUID:
    wish_id = uuid4()
    async with store_.transaction() as tx:
        resident_id = command.resident_id or await _resident_of(tx, command.need_id)
        if resident_id is not None:
            await store.lock_resident(tx.raw, resident_id)  # an erasure waits, or we do
        answered = None
        if command.need_id is not None:
            answered = await load(tx, "need", str(command.need_id), need.evolve)
            if answered.state is None:
                raise InvalidReference("need_id", f"no need {command.need_id}")
        community_id = command.community_id or (
            answered.state.community_id if answered and answered.state else ""
        )
        if not await queries.community_exists(tx.raw, community_id):
            raise InvalidReference("community_id", f"no community {community_id} is registered")
        wish.check_title(command.title, as_digits(command.title))
        await _names_nobody(vault, tx, command.title)
        person = None
        if resident_id is not None:
            person = await load(tx, "resident", str(resident_id), resident.evolve)
            if person.state is None:
                raise InvalidReference("resident_id", f"no resident {resident_id}")
            await _not_naming(vault, tx, resident_id, command.title)
        events = wish.post(
            None,
            wish_id,
            community_id,
            command.category,
            command.title,
            command.estimated_value_fen,
            command.deadline,
            now,
            cap_fen=cap_fen,
            resident=person.state if person else None,
            need=answered.state if answered else None,
        )
        await tx.append(0, events, now=now)
        if answered is not None and command.need_id is not None:
            matched = need.match(
                answered.state,
                command.need_id,
                MatchKind.wish,
                wish_id,
                wish_live=await live_wish(tx, answered.state),
            )
            await tx.append(answered.version, matched, now=now)
    return wish_id


async def _resident_of(tx: Transaction, need_id: UUID | None) -> UUID | None:
    """Whom a need is for (a need's resident never changes, so its list entry says it)."""
    listed = await queries.need(tx.raw, need_id) if need_id is not None else None
    return listed["resident_id"] if listed else None


async def _not_naming(vault: Vault, tx: Transaction, resident_id: UUID, title: str) -> None:
    """The board is public: a title that names the person it is for is refused."""
    personal = await vault.read(tx.raw, resident_id) or {}
    if wish.names_resident(personal.get("name", ""), title):
        raise InvalidReference("title", wish.NAMES_SOMEONE, code=wish.NAMES_SOMEONE_CODE)
    numbers = (personal.get("phone") or "", personal.get("id_number") or "")
    if wish.gives_address(personal.get("address") or "", title) or any(
        wish.gives_number(n, as_digits(title)) for n in numbers
    ):  # the message never repeats what it found
        raise InvalidReference("title", wish.GIVES_DETAILS, code=wish.GIVES_DETAILS_CODE)


async def _names_nobody(vault: Vault, tx: Transaction, title: str) -> None:
    """Nor may a title name anyone else the office serves (给陈建国家孩子买书包): every run of
    two to four Han characters in it is looked up in the blind index of names, in one query,
    nobody's data opened. Erased residents' names are gone with their key: not checkable."""
    if await vault.holders(tx.raw, "name", names.possible_names(title)):
        raise InvalidReference("title", wish.NAMES_SOMEONE, code=wish.NAMES_SOMEONE_CODE)


async def live_wish(tx: Transaction, answered: need.Need | None) -> bool:
    """Whether the wish a need is matched to is still on the board (posted or claimed)."""
    if answered is None or answered.wish_id is None:
        return False
    held = await load_timed(tx, "wish", str(answered.wish_id), wish.evolve)
    return held.state is not None and held.state.state in wish.LIVE


async def follow_need(
    tx: Transaction, ended: wish.Wish | None, events: Sequence[Event], now: datetime
) -> None:
    """A wish's need follows the wish, in the wish's transaction: confirmed, the need is
    resolved; ended unfulfilled (cancelled, expired), the need is open again."""
    if ended is None or ended.need_id is None:
        return
    if any(isinstance(e, WishConfirmed) for e in events):
        follow = need.answered
    elif any(isinstance(e, WishCancelled | WishExpired) for e in events):
        follow = need.unmatch
    else:
        return
    listed = await load(tx, "need", str(ended.need_id), need.evolve)
    await tx.append(listed.version, follow(listed.state, ended.need_id, ended.wish_id), now=now)


Decide = Callable[[wish.Wish | None], Sequence[Event]]


async def _change(store_: EventStore, wish_id: UUID, now: datetime, decide: Decide) -> None:
    """Load the wish, decide, append; decide again on the new state if it moved meanwhile."""

    async def work(tx: Transaction) -> None:
        loaded = await load_timed(tx, "wish", str(wish_id), wish.evolve)
        events = decide(loaded.state)
        await tx.append(loaded.version, events, now=now)
        await follow_need(tx, loaded.state, events, now)

    await transacting(store_, work, attempts=10)


async def claim_wish(
    store_: EventStore, wish_id: UUID, claimant_id: UUID, kind: ClaimantKind, now: datetime
) -> None:
    async def work(tx: Transaction) -> None:
        await store.lock_claimant(tx.raw, claimant_id)  # a suspension waits, or we do
        loaded: Loaded[wish.Wish] = await load_timed(tx, "wish", str(wish_id), wish.evolve)
        claimant = await store.claimant(tx.raw, claimant_id)
        events = wish.claim(loaded.state, wish_id, claimant, claimant_id, kind, now)
        await tx.append(loaded.version, events, now=now)

    await transacting(store_, work, attempts=10)


async def release_wish(
    store_: EventStore, wish_id: UUID, command: ClaimantAction, now: datetime
) -> None:
    await _change(store_, wish_id, now, lambda w: wish.release(w, wish_id, command.claimant_id))


async def report_progress(
    store_: EventStore, wish_id: UUID, claimant_id: UUID | None, now: datetime
) -> None:
    await _change(store_, wish_id, now, lambda w: wish.progress(w, wish_id, claimant_id))


async def fulfil_wish(
    store_: EventStore, wish_id: UUID, command: FulfilWish, now: datetime
) -> None:
    await _change(
        store_, wish_id, now, lambda w: wish.fulfil(w, wish_id, command.claimant_id, command.hours)
    )


async def confirm_wish(
    store_: EventStore, wish_id: UUID, now: datetime, confirmed_by: str | None = None
) -> None:
    await _change(store_, wish_id, now, lambda w: wish.confirm(w, wish_id, confirmed_by))


async def cancel_wish(
    store_: EventStore, wish_id: UUID, command: CancelWish, now: datetime
) -> None:
    await _change(store_, wish_id, now, lambda w: wish.cancel(w, wish_id, command.reason))


async def keep_wishes(runtime: Runtime) -> None:
    """Runs in the service: expire and release on schedule (the clock lives here, at the edge)."""
    settings = runtime.settings
    assert isinstance(settings, NeedsSettings)
    stale_after = timedelta(days=settings.wish_claim_stale_days)
    while True:
        try:
            await sweep(runtime.store, datetime.now(UTC), stale_after)
        except (OSError, asyncpg.PostgresError) as error:
            log.warning("wish_sweep_failed", error=type(error).__name__)
        except Exception:  # anything else: say so and sweep again next time, never stop
            log.exception("wish_sweep_failed")
        await asyncio.sleep(settings.wish_sweep_interval)


async def sweep(store_: EventStore, now: datetime, stale_after: timedelta) -> dict[str, int]:
    """Expire wishes past their deadline and release claims idle for `stale_after`.

    Several replicas may sweep at once: each change is decided on the wish's own history, so
    a wish another sweeper already closed is simply skipped."""
    async with store_.connection() as db:
        due = await queries.due_wishes(db, now)
        stale = await queries.stale_claims(db, now - stale_after)
    done = {"expired": 0, "released": 0}
    for wish_id in due:
        done["expired"] += await _quietly(store_, wish_id, now, _expiring(wish_id, now))
    for wish_id in stale:
        done["released"] += await _quietly(
            store_, wish_id, now, _releasing(wish_id, now, stale_after)
        )
    if any(done.values()):
        log.info("wishes_swept", **done)
    return done


def _expiring(wish_id: UUID, now: datetime) -> Decide:
    return lambda w: wish.expire(w, wish_id, now)


def _releasing(wish_id: UUID, now: datetime, after: timedelta) -> Decide:
    return lambda w: wish.release_stale(w, wish_id, now, after)


async def _quietly(store_: EventStore, wish_id: UUID, now: datetime, decide: Decide) -> int:
    try:
        await _change(store_, wish_id, now, decide)
    except RuleBroken:
        return 0  # someone else got there first, or the wish changed meanwhile
    return 1


async def release_claims_of(tx: Transaction, volunteer_id: UUID, at: datetime) -> None:
    """A volunteer who can no longer serve gives their wishes back to the board, in the
    transaction that records the news (so once, however often it is delivered)."""
    for wish_id in await queries.claimed_by(tx.raw, volunteer_id):
        held = await load_timed(tx, "wish", str(wish_id), wish.evolve)
        await tx.append(
            held.version, wish.release_inactive(held.state, wish_id, volunteer_id), now=at
        )

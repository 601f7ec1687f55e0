"""Whether each office's figures are current: its link to the hub and its last event.

On a city hub an office is stale when the hub's link to its stream has made no contact (message
or heartbeat) for longer than the threshold, or reports an error: the office's NATS or network
is down, and its events wait in its outbox and stream until it returns. Without a link (a
single office's reporting) a quiet office is not a stale one: its figures are stale when events
wait to be projected and the latest one projected is older than the threshold, or when the bus
cannot say how many wait.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from wushe_events.hub import Link
from wushe_events.subjects import stream_name


def is_stale(
    link: Link | None, seconds_since_last_event: float | None, after: float, backlog: int | None
) -> bool:
    """`backlog`: events the reporting consumer has still to project (None: unknown)."""
    if link is not None:
        quiet = link.seconds_since_active
        return link.error is not None or quiet is None or quiet > after
    if backlog is None:
        return True
    old = seconds_since_last_event is None or seconds_since_last_event > after
    return backlog > 0 and old


def offices_lag(
    freshness: Iterable[Mapping[str, Any]],
    links: Mapping[str, Link] | None,
    hub_offices: Iterable[str],
    after: float,
    backlog: int | None,
) -> list[dict[str, Any]]:
    """One entry per office seen in the events or configured on the hub, with `link` (None
    without a hub) and `stale`. `links` None: the hub's links could not be read (its NATS is
    unreachable), so no office's figures can be called current."""
    by_office = {row["office"]: dict(row) for row in freshness}
    hub_offices = list(hub_offices)
    for office in hub_offices:
        by_office.setdefault(
            office, {"office": office, "last_event_at": None, "seconds_since_last_event": None}
        )
    entries = []
    for office, entry in sorted(by_office.items()):
        link = links.get(stream_name(office)) if links is not None else None
        entry["link"] = link.as_dict() if link else None
        if links is None or (hub_offices and link is None):  # a hub without word of it
            entry["stale"] = True
        else:
            entry["stale"] = is_stale(link, entry["seconds_since_last_event"], after, backlog)
        entries.append(entry)
    return entries

"""CPU used during a measured window, per group of processes and for the whole host (/proc).

Shares are in % of one core (this 2-core machine's ceiling is 200%). A process that exits
inside the window is not counted, so short-lived server processes are slightly under-counted.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")
Pids = Callable[[], Iterable[int]]


def _stat(pid: int) -> tuple[str, int, int] | None:
    """(comm, ppid, utime + stime in ticks) of a process, or None if it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    comm = text[text.index("(") + 1 : text.rindex(")")]
    fields = text[text.rindex(")") + 2 :].split()
    return comm, int(fields[1]), int(fields[11]) + int(fields[12])


def _processes() -> dict[int, tuple[str, int, int]]:
    found = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit() and (stat := _stat(int(entry.name))):
            found[int(entry.name)] = stat
    return found


def with_descendants(root: int | None) -> Pids:
    """A process and everything it started (e.g. a postmaster and its backends)."""

    def pids() -> set[int]:
        if root is None:
            return set()
        children: dict[int, list[int]] = {}
        for pid, (_comm, ppid, _ticks) in _processes().items():
            children.setdefault(ppid, []).append(pid)
        found, todo = set(), [root]
        while todo:
            pid = todo.pop()
            found.add(pid)
            todo += children.get(pid, [])
        return found

    return pids


def named(comm: str) -> Pids:
    """Every process with this command name (servers that this run did not start)."""
    return lambda: {pid for pid, (c, _ppid, _t) in _processes().items() if c == comm}


def these(*pids: int | None) -> Pids:
    return lambda: {pid for pid in pids if pid is not None}


def _host() -> tuple[int, int]:
    """(busy, iowait) ticks of all CPUs since boot."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle, iowait = fields[3], fields[4]
    steal = fields[7] if len(fields) > 7 else 0
    return sum(fields[:8]) - idle - iowait - steal, iowait


@dataclass(frozen=True)
class Sample:
    at: float
    ticks: dict[str, dict[int, int]]
    host: tuple[int, int]


class CpuProbe:
    def __init__(self, groups: Mapping[str, Pids]) -> None:
        self.groups = dict(groups)

    def sample(self) -> Sample:
        ticks = {}
        for name, pids in self.groups.items():
            ticks[name] = {pid: stat[2] for pid in pids() if (stat := _stat(pid))}
        return Sample(time.monotonic(), ticks, _host())

    def since(self, start: Sample) -> dict[str, float]:
        """% of one core per group since `start`, plus the whole `host` (busy), what `other`
        processes used (host minus the groups: noise from outside the benchmark) and `iowait`."""
        end = self.sample()
        seconds = max(end.at - start.at, 1e-9)
        shares = {}
        for name, now in end.ticks.items():
            before = start.ticks.get(name, {})
            used = sum(t - before.get(pid, 0) for pid, t in now.items())
            shares[name] = 100 * used / TICKS / seconds
        shares["host"] = 100 * (end.host[0] - start.host[0]) / TICKS / seconds
        shares["other"] = max(0.0, shares["host"] - sum(shares[name] for name in end.ticks))
        shares["iowait"] = 100 * (end.host[1] - start.host[1]) / TICKS / seconds
        return shares

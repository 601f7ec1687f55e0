"""Percentiles of one run, and the median/min/max of a figure over several runs."""

from __future__ import annotations

import statistics
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100), interpolated between the closest ranks."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def p50_p99_ms(seconds: Sequence[float]) -> tuple[float, float]:
    return percentile(seconds, 50) * 1000, percentile(seconds, 99) * 1000


@dataclass
class Figure:
    """One measured quantity, one value per measured run."""

    label: str
    unit: str
    values: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.values) if self.values else float("nan")

    @property
    def low(self) -> float:
        return min(self.values) if self.values else float("nan")

    @property
    def high(self) -> float:
        return max(self.values) if self.values else float("nan")


class Figures:
    """The figures of one benchmark, in the order they were first recorded."""

    def __init__(self, title: str, notes: Sequence[str] = ()) -> None:
        self.title = title
        self.notes = list(notes)
        self.by_label: dict[str, Figure] = {}

    def add(self, label: str, unit: str, value: float) -> None:
        figure = self.by_label.setdefault(label, Figure(label, unit))
        figure.values.append(value)

    def __iter__(self) -> Iterator[Figure]:
        return iter(self.by_label.values())

    def as_dict(self) -> dict[str, object]:
        return {
            "title": self.title,
            "notes": self.notes,
            "figures": [
                {
                    "label": f.label,
                    "unit": f.unit,
                    "median": f.median,
                    "min": f.low,
                    "max": f.high,
                    "values": f.values,
                }
                for f in self
            ],
        }


class CpuShares:
    """CPU % of one core per process group, per scenario, one value per measured run."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.rows: dict[str, dict[str, list[float]]] = {}

    def add(self, scenario: str, shares: dict[str, float]) -> None:
        row = self.rows.setdefault(scenario, {})
        for group, share in shares.items():
            row.setdefault(group, []).append(share)

    def medians(self) -> dict[str, dict[str, float]]:
        return {
            scenario: {group: statistics.median(v) for group, v in groups.items()}
            for scenario, groups in self.rows.items()
        }

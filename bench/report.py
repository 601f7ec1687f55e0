"""The printed report: machine facts, one table per benchmark, CPU shares, how to read it."""

from __future__ import annotations

import math
from collections.abc import Sequence

from bench.stats import CpuShares, Figures

HOW_TO_READ = """\
How to read this:
- Each figure is the median [min, max] over the measured runs (warm-up runs are discarded).
  Latency percentiles are computed within a run; the table then shows their median over runs.
- Ratios compare two things measured back to back in the same run (order alternating), so
  machine noise hits both sides: compare ratios, not absolute figures from different sessions.
  The same benchmark run 15 minutes apart can move by ~35% on this shared 2-core machine.
- store/raw >= 0.6 is the target. Raw is a floor, not a competitor: the store also checks the
  expected version in SQL, dumps the catalogue model, carries the trace ids and returns the
  recorded events.
- The pipeline runs flat out, so its latency is mostly queueing on a saturated machine; the
  HTTP benchmark sends one command at a time, so its latency is that of an idle office.
- Everything (client, relay, consumer, services, PostgreSQL, nats-server) shares this
  machine's cores. CPU is in % of one core (the host ceiling is 100% x CPUs); `other` is CPU
  used outside the benchmark: above ~20%, expect noisy figures."""


def _number(value: float, unit: str) -> str:
    if math.isnan(value):
        return "-"
    if unit == "ms":
        return f"{value:,.2f}" if value < 100 else f"{value:,.0f}"
    if unit == "×":
        return f"{value:.2f}"
    return f"{value:,.0f}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], align: str = "") -> str:
    """A Markdown table; `align` has one letter per column, l or r (default: l, then r)."""
    align = align or "l" + "r" * (len(header) - 1)
    widths = [max(len(r[i]) for r in (header, *rows)) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        padded = [
            c.rjust(w) if a == "r" else c.ljust(w)
            for c, w, a in zip(cells, widths, align, strict=True)
        ]
        return "| " + " | ".join(padded) + " |"

    rule = "".join(
        "|" + ("-" * (w + 1) + ":" if a == "r" else "-" * (w + 2))
        for w, a in zip(widths, align, strict=True)
    )
    return "\n".join([line(header), rule + "|", *(line(r) for r in rows)])


def figures_table(figures: Figures) -> str:
    rows = [
        [f.label, *(_number(v, f.unit) for v in (f.median, f.low, f.high)), f.unit] for f in figures
    ]
    lines = [figures.title, ""]
    lines += [f"  {note}" for note in figures.notes]
    if figures.notes:
        lines.append("")
    lines.append(_table(["", "median", "min", "max", "unit"], rows, "lrrrl"))
    return "\n".join(lines)


def cpu_table(shares: Sequence[CpuShares]) -> str:
    groups: list[str] = []
    rows_in: list[tuple[str, dict[str, float]]] = []
    for block in shares:
        for scenario, medians in block.medians().items():
            rows_in.append((scenario, medians))
            groups += [
                g for g in medians if g not in groups and g not in ("host", "other", "iowait")
            ]
    columns = [*groups, "host", "other", "iowait"]
    rows = [
        [scenario] + [f"{m[g]:.0f}" if g in m else "" for g in columns] for scenario, m in rows_in
    ]
    return "CPU during the measured window, % of one core (median over runs)\n\n" + _table(
        ["", *columns], rows
    )


def render(
    facts: Sequence[tuple[str, str]],
    header: Sequence[str],
    figures: Sequence[Figures],
    shares: Sequence[CpuShares],
) -> str:
    width = max(len(k) for k, _ in facts)
    parts = ["\n".join(header), "\n".join(f"{k.ljust(width)}  {v}" for k, v in facts)]
    parts += [figures_table(f) for f in figures]
    if shares:
        parts.append(cpu_table(shares))
    parts.append(HOW_TO_READ)
    return "\n\n".join(parts) + "\n"

"""`python -m bench [--runs N] [--quick]
[--only store,pipeline,http,rebuild,figures,disclosure,import,due]
[--json FILE]`."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import structlog

from bench import disclosure, http, needs, pipeline, rebuild, report, store
from bench import figures as withheld
from bench.servers import Servers, facts, servers
from bench.stats import CpuShares, Figures

BENCHMARKS = (
    "store",
    "pipeline",
    "http",
    "rebuild",
    "figures",
    "disclosure",
    "import",
    "due",
)


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Wushe benchmarks: event store, pipeline, HTTP to projection, rebuild,"
        " figures withheld for the public, a round's disclosure,"
        " a residents' import, the visits due.",
    )
    parser.add_argument("--runs", type=int, help="measured runs (default 5; --quick: 2)")
    parser.add_argument("--warmups", type=int, help="discarded runs first (default 1; --quick: 0)")
    parser.add_argument("--quick", action="store_true", help="a fast smoke run: small sizes")
    parser.add_argument(
        "--only",
        default=",".join(BENCHMARKS),
        help=f"comma-separated subset of {', '.join(BENCHMARKS)}",
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    args.only = [b.strip() for b in args.only.split(",") if b.strip()]
    if unknown := set(args.only) - set(BENCHMARKS):
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    if args.runs is None:
        args.runs = 2 if args.quick else 5
    if args.warmups is None:
        args.warmups = 0 if args.quick else 1
    if args.runs < 1 or args.warmups < 0:
        parser.error("--runs must be >= 1 and --warmups >= 0")
    return args


class Progress:
    def __init__(self) -> None:
        self.started = time.monotonic()

    def __call__(self, message: str) -> None:
        print(f"[{time.monotonic() - self.started:6.1f}s] {message}", file=sys.stderr, flush=True)


async def run_all(
    srv: Servers, args: argparse.Namespace, progress: Progress
) -> tuple[list[Figures], list[CpuShares]]:
    figures: list[Figures] = []
    shares: list[CpuShares] = []
    if "store" in args.only:
        sizes = store.Sizes(500, 2_000) if args.quick else store.Sizes()
        result = await store.run(srv, sizes, args.runs, args.warmups, progress)
        figures.append(result[0])
        shares.append(result[1])
    if "pipeline" in args.only:
        size = pipeline.Size(2_000) if args.quick else pipeline.Size()
        result = await pipeline.run(srv, size, args.runs, args.warmups, progress)
        figures.append(result[0])
        shares.append(result[1])
    if "http" in args.only:
        commands = 20 if args.quick else 200
        result = await http.run(srv, commands, args.runs, args.warmups, progress)
        figures.append(result[0])
        shares.append(result[1])
    if "rebuild" in args.only:
        events = 2_000 if args.quick else 20_000
        result = await rebuild.run(srv, events, args.runs, args.warmups, progress)
        figures.append(result[0])
    if "figures" in args.only:
        communities = 20 if args.quick else withheld.COMMUNITIES
        result = await withheld.run(srv, communities, args.runs, args.warmups, progress)
        figures.append(result[0])
        shares.append(result[1])
    if "disclosure" in args.only:
        grants = 10 if args.quick else disclosure.GRANTS
        figures.extend(await disclosure.run(srv, grants, args.runs, args.warmups, progress))
    if "import" in args.only:
        residents = 200 if args.quick else needs.RESIDENTS
        figures.append(await needs.run_import(srv, residents, args.runs, args.warmups, progress))
    if "due" in args.only:
        scale = (2_000, 10_000) if args.quick else (needs.DUE_RESIDENTS, needs.DUE_SURVEYS)
        figures.append(await needs.run_due(srv, *scale, args.runs, args.warmups, progress))
    return figures, shares


def quiet_logs() -> None:
    """Library log lines (a stream created, a client closed) go to stderr, errors only: stdout
    is the report. The child processes log to their own files."""
    structlog.configure(
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
        wrapper_class=structlog.make_filtering_bound_logger(logging.ERROR),
    )


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    quiet_logs()
    progress = Progress()
    started = datetime.now(UTC)
    with tempfile.TemporaryDirectory(prefix="wushe-bench-") as folder:
        progress(f"starting servers in {folder} …")
        with servers(Path(folder)) as srv:
            machine = asyncio.run(facts(srv))
            figures, shares = asyncio.run(run_all(srv, args, progress))
        progress("servers stopped")
    elapsed = (datetime.now(UTC) - started).total_seconds()
    header = [
        f"Wushe benchmarks, {started:%Y-%m-%d %H:%M} UTC, took {elapsed:.0f} s",
        f"{args.runs} measured run(s) after {args.warmups} warm-up run(s)"
        + (" (--quick: small sizes, a smoke run)" if args.quick else ""),
    ]
    print(report.render(machine, header, figures, shares))
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "started": started.isoformat(),
                    "seconds": elapsed,
                    "runs": args.runs,
                    "warmups": args.warmups,
                    "quick": args.quick,
                    "machine": dict(machine),
                    "benchmarks": [f.as_dict() for f in figures],
                    "cpu": [{"title": s.title, "medians": s.medians()} for s in shares],
                },
                indent=2,
                ensure_ascii=False,
            )
        )


if __name__ == "__main__":
    main()

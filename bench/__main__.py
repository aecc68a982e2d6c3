"""ris3watch's performance benchmark, offline: `python -m bench [--pages N] [--scale]`.

Generates a synthetic mirror of N council pages (~80 KB each) on loopback hosts
127.0.0.2-5, then measures, in one run: Trafilatura alone over the same bytes, the naive
Scrapy + Trafilatura spider (bench/naive_spider.py), `ris3watch crawl` and an unchanged
re-crawl of it (validators on), the crawl's peak memory (process tree), the database size
per page, and search latency over 100 Finnish queries. With `--scale` (or N ≥ 20,000) it
also crawls the other size (20,000 pages, or the 2,000-page baseline) for the memory and
search figures. Each figure is printed with its target and PASS/FAIL. The exit status is 0
whatever the figures; 1 only when the benchmark itself broke. BENCHMARKS.md has the results.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from query.lemmas import backend

from . import mirror as mirrors
from . import procs, runs, search
from .report import MB, Figure, at_least, at_most, info, render

logger = logging.getLogger("bench")
LARGE, BASELINE = 20_000, 2_000
NOISY = 0.10  # other load above this share of the cores gets a warning


@dataclass
class Size:
    """Everything measured at one mirror size (the throughput runs only at the main one)."""

    pages: int
    generate_seconds: float
    first: runs.CrawlRun
    recrawl: runs.CrawlRun
    search: search.SearchLatency
    extraction: runs.Throughput | None = None
    naive: runs.Throughput | None = None
    naive_run: procs.ProcessRun | None = None


def measure_size(pages: int, workdir: Path, args: argparse.Namespace, full: bool) -> Size:
    here = workdir / f"n{pages}"
    here.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    mirror = mirrors.generate(here / "mirror", pages, hosts=args.hosts, seed=args.seed)
    generated = time.monotonic() - started
    sites = mirrors.serve(mirror)
    try:
        sources = here / "sources.toml"
        sources.write_text(mirrors.sources_toml(mirror, sites), encoding="utf-8")
        extraction = naive = naive_run = None
        if full and args.throughput:
            files = list(mirror.files())
            step = max(1, len(files) // args.extract_sample)
            logger.info("Extraction only: %d pages in this process", len(files[::step]))
            extraction = runs.extraction_only(files[::step])
            logger.info("Naive spider over %d pages", pages)
            starts = [f"{sites.base(name)}/" for name in mirror.site_names()]
            naive, naive_run = runs.naive(starts, here, args.timeout)
        db = here / "bench.db"
        logger.info("ris3watch crawl of %d pages", pages)
        extra = tuple(args.crawl_set)
        first = runs.crawl(sources, db, here / "crawl.log", args.timeout, extra)
        logger.info("Unchanged re-crawl")
        recrawl = runs.crawl(sources, db, here / "recrawl.log", args.timeout, extra)
        logger.info("Search latency over %d queries", len(search.QUERIES))
        latency = search.measure(db)
    finally:
        sites.stop()
    if not args.keep:
        shutil.rmtree(here / "mirror", ignore_errors=True)
    return Size(pages, generated, first, recrawl, latency, extraction, naive, naive_run)


def figures(sizes: list[Size]) -> list[Figure]:
    main = sizes[0]
    large = next((s for s in sizes if s.pages >= LARGE), None)
    small = next((s for s in sizes if s.pages <= BASELINE), None)
    crawl_rate = main.first.throughput.rate
    n = f"@{main.pages:,}"
    out = []
    if main.extraction and main.naive:
        out += [
            info(
                f"extraction only (1 process) {n}",
                main.extraction.rate,
                " p/s",
                main.extraction.note(),
            ),
            info(f"naive spider {n}", main.naive.rate, " p/s", main.naive.note()),
        ]
    out += [
        info(f"ris3watch crawl {n}", crawl_rate, " p/s", main.first.throughput.note()),
        at_least(
            f"crawl / extraction only {n}",
            crawl_rate / main.extraction.rate if main.extraction else None,
            1.0,
            "×",
        ),
        at_least(
            f"crawl / naive spider {n}",
            crawl_rate / main.naive.rate if main.naive else None,
            2.0,
            "×",
        ),
    ]
    for s in sizes:
        at = f"@{s.pages:,}"
        out.append(
            at_most(
                f"unchanged re-crawl / first crawl {at}",
                s.recrawl.process.seconds / s.first.process.seconds,
                0.10,
                "×",
                f"{s.recrawl.process.seconds:.1f} s vs {s.first.process.seconds:.1f} s;"
                f" other load {s.recrawl.process.foreign_load:.0%}",
            )
        )
    for s in sizes:
        rss = s.first.process.peak_rss / MB
        name = f"peak RSS of the crawl @{s.pages:,}"
        out.append(at_most(name, rss, 500, " MB") if s.pages >= LARGE else info(name, rss, " MB"))
    if large is None:
        out.append(at_most(f"peak RSS of the crawl @{LARGE:,}", None, 500, " MB"))
    growth = None
    if large and small:
        growth = (large.first.process.peak_rss / small.first.process.peak_rss - 1) * 100
    out.append(
        at_most(f"RSS growth {small.pages if small else BASELINE:,} → {LARGE:,}", growth, 20, "%")
    )
    for s in sizes:
        out.append(
            info(
                f"database size per page @{s.pages:,}",
                s.first.db_bytes / max(1, s.first.counts["pages_stored"]) / 1024,
                " KB",
            )
        )
    for s in sizes:
        at = f"@{s.pages:,}"
        out.append(info(f"search p50 {at}", s.search.p50_ms, " ms"))
        name = f"search p95 {at}"
        note = f"without snippets {s.search.fts_p95_ms:.1f} ms"
        if s.search.timed_out:
            note += f"; {len(s.search.timed_out)} hit the {search.TIME_LIMIT_MS:g} ms limit"
        if s.search.failed:
            note += f"; {len(s.search.failed)} refused by FTS5 (not timed)"
        out.append(
            at_most(name, s.search.p95_ms, 100, " ms", note)
            if s.pages >= LARGE
            else info(name, s.search.p95_ms, " ms", note)
        )
    if large is None:
        out.append(at_most(f"search p95 @{LARGE:,}", None, 100, " ms"))
    return out


def _loads(sizes: list[Size]) -> list[float]:
    loads = []
    for s in sizes:
        loads += [s.first.process.foreign_load, s.recrawl.process.foreign_load]
        loads += [t.foreign_load for t in (s.extraction, s.naive) if t]
    return loads


def details(sizes: list[Size]) -> str:
    lines = []
    for s in sizes:
        for label, run in (("first crawl", s.first), ("re-crawl", s.recrawl)):
            c = run.counts
            lines.append(
                f"@{s.pages:,} {label}: {run.process.seconds:.1f} s process "
                f"({run.inner_seconds:.1f} s spider open→close), stored {c['pages_stored']}, "
                f"new {c['pages_new']}, not modified {c['pages_not_modified']}, "
                f"errors {c['errors']}, lost {c['lost']}, peak RSS "
                f"{run.process.peak_rss / MB:.0f} MB over {run.process.peak_processes} processes "
                f"(main process alone up to {run.process.peak_main_rss / MB:.0f} MB); "
                f"CPU s: crawl process {run.process.cpu_main:.1f}, its workers "
                f"{run.process.cpu_children:.1f}, mirror server {run.process.cpu_here:.1f}"
            )
        lines.append(
            f"@{s.pages:,} mirror generated in {s.generate_seconds:.1f} s; search: "
            f"{s.search.mean_rows:.0f} rows/query on average, max {s.search.max_ms:.1f} ms"
        )
        if s.extraction:
            lines.append(
                f"@{s.pages:,} extraction only: {s.extraction.pages} pages in "
                f"{s.extraction.seconds:.1f} s; naive spider: {s.naive.pages} pages "
                f"in {s.naive.seconds:.1f} s (CPU s: spider {s.naive_run.cpu_main:.1f}, "
                f"mirror server {s.naive_run.cpu_here:.1f})"
            )
    return "\n".join(lines)


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    cpu = next(
        (ln.split(":", 1)[1].strip() for ln in cpuinfo.splitlines() if ln.startswith("model name")),
        platform.processor(),
    )
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    return (
        f"{os.cpu_count()} cores ({cpu}), {ram:.1f} GiB RAM, Python "
        f"{platform.python_version()}, Scrapy {version('scrapy')}, Trafilatura "
        f"{version('trafilatura')}, lxml {version('lxml')}, Voikko backend {backend()}"
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=BASELINE, help="mirror size (default 2000)")
    parser.add_argument(
        "--scale",
        action="store_true",
        help=f"also crawl {LARGE:,} pages (memory and search targets)",
    )
    parser.add_argument("--scale-pages", type=int, default=LARGE, help=argparse.SUPPRESS)
    parser.add_argument("--hosts", type=int, default=4, help="loopback hosts (default 4)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--extract-sample",
        type=int,
        default=2000,
        help="pages timed for extraction only (evenly spread; default 2000)",
    )
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per crawl process")
    parser.add_argument(
        "--no-throughput",
        dest="throughput",
        action="store_false",
        help="skip extraction-only and the naive spider (memory, re-crawl and search only)",
    )
    parser.add_argument(
        "--crawl-set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="one more --set for the ris3watch crawls only (experiments)",
    )
    parser.add_argument("--workdir", type=Path, help="keep mirrors, databases and logs here")
    parser.add_argument("--keep", action="store_true", help="do not delete the mirrors")
    return parser.parse_args(argv)


def _terminated(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # unwinds: servers and child processes are stopped


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    signal.signal(signal.SIGTERM, _terminated)
    other = None
    if args.scale or args.pages >= LARGE:
        other = args.scale_pages if args.pages < args.scale_pages else BASELINE
    work = args.workdir or Path(tempfile.mkdtemp(prefix="ris3watch-bench-"))
    started = time.monotonic()
    try:
        sizes = [measure_size(args.pages, work, args, full=True)]
        if other:
            sizes.append(measure_size(other, work, args, full=False))
    except (procs.RunFailed, OSError, ValueError) as exc:
        logger.error("The benchmark broke: %s (logs in %s)", exc, work)
        return 1
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
    print(
        f"\nris3watch benchmark: {args.pages:,} pages on {args.hosts} loopback hosts"
        f"{f' (+ {other:,})' if other else ''}, {time.monotonic() - started:.0f} s in all"
    )
    print(f"Machine: {machine()}")
    print(
        f"Politeness lifted with --set {' '.join(runs.LIFTED)}"
        + (f"; ris3watch crawls also --set {' '.join(args.crawl_set)}" if args.crawl_set else "")
    )
    print()
    print(render(figures(sizes)))
    busiest = max(_loads(sizes))
    if busiest > NOISY:
        print(
            f"\nWARNING: other processes used up to {busiest:.0%} of this machine's cores "
            "during a timed step: wall-clock figures are pessimistic; the CPU ms/page notes "
            "are less affected. Rerun on an idle machine to compare with BENCHMARKS.md."
        )
    print()
    print(details(sizes))
    return 0


if __name__ == "__main__":
    sys.exit(main())

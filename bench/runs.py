"""The timed runs: extraction alone, the naive spider, and `ris3watch crawl` (first and
unchanged re-crawl), each as ris3watch's users would run it.

Crawls run as child processes (`python -m pipeline crawl`, `python -m bench.naive_spider`)
against the loopback mirror. Politeness is lifted for the benchmark with `--set` only,
identically for both spiders; robots.txt stays obeyed (it costs one request per host).
"""

from __future__ import annotations

import json
import logging
import sqlite3
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import trafilatura

from . import procs

logger = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parents[1]
LIFTED = (
    "CONCURRENT_REQUESTS=32",
    "CONCURRENT_REQUESTS_PER_DOMAIN=16",
    "DOWNLOAD_DELAY=0",
    "AUTOTHROTTLE_ENABLED=false",
)


@dataclass(frozen=True)
class Throughput:
    pages: int
    seconds: float
    cpu: float  # CPU seconds of everything involved (the mirror server included)
    foreign_load: float = 0.0  # see procs.foreign_load

    @property
    def rate(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0

    def note(self) -> str:
        return (
            f"{self.cpu / max(1, self.pages) * 1000:.0f} ms CPU/page; other load "
            f"{self.foreign_load:.0%}"
        )


@dataclass(frozen=True)
class CrawlRun:
    process: procs.ProcessRun
    counts: dict
    inner_seconds: float  # the crawl's own wall time (open → close of the spider)
    db_bytes: int

    @property
    def throughput(self) -> Throughput:
        p = self.process
        return Throughput(
            self.counts["pages_stored"],
            p.seconds,
            p.cpu_main + p.cpu_children + p.cpu_here,
            p.foreign_load,
        )


def extraction_only(files: list[Path]) -> Throughput:
    """The naive spider's Trafilatura call over the same bytes, one process, one core.

    Only decoding and extraction are timed (as `response.text` plus the call); reading
    the file from the page cache is not.
    """

    def call(body: bytes) -> None:
        trafilatura.extract(body.decode("utf-8"), output_format="json", with_metadata=True)

    call(files[0].read_bytes())  # imports and lazy initialisation are not throughput
    elapsed = 0.0
    wall, cpu, busy = time.monotonic(), time.process_time(), procs.machine_busy()
    for file in files:
        body = file.read_bytes()
        started = time.perf_counter()
        call(body)
        elapsed += time.perf_counter() - started
    wall, cpu, busy = (
        time.monotonic() - wall,
        time.process_time() - cpu,
        procs.machine_busy() - busy,
    )
    return Throughput(len(files), elapsed, cpu, procs.foreign_load(busy, cpu, wall))


def naive(
    start_urls: list[str], workdir: Path, timeout: float
) -> tuple[Throughput, procs.ProcessRun]:
    argv = [sys.executable, "-m", "bench.naive_spider", *start_urls]
    for setting in LIFTED:
        argv += ["--set", setting]
    run = procs.run(argv, workdir / "naive.log", ROOT, timeout)
    if run.returncode != 0:
        raise procs.RunFailed(f"naive spider exited {run.returncode} (log: {run.log})")
    result = json.loads(run.stdout.strip().splitlines()[-1])
    cpu = run.cpu_main + run.cpu_children + run.cpu_here
    return Throughput(result["pages"], run.seconds, cpu, run.foreign_load), run


def crawl(
    sources: Path, db: Path, log: Path, timeout: float, extra: tuple[str, ...] = ()
) -> CrawlRun:
    argv = [sys.executable, "-m", "pipeline", "crawl", "--sources", str(sources), "--db", str(db)]
    for setting in (*LIFTED, *extra):
        argv += ["--set", setting]
    run = procs.run(argv, log, ROOT, timeout)
    if run.returncode not in (0, 2):
        raise procs.RunFailed(f"ris3watch crawl exited {run.returncode} (log: {log})")
    counts, inner = latest_run(db)
    if counts.get("lost"):
        logger.warning("The crawl lost track of %s URL(s); see %s", counts["lost"], log)
    return CrawlRun(run, counts, inner, db_size(db))


def latest_run(db: Path) -> tuple[dict, float]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        row = conn.execute("SELECT * FROM crawl_runs ORDER BY id DESC LIMIT 1").fetchone()
    finally:
        conn.close()
    summary = json.loads(row["summary"] or "{}")
    return dict(row), float(summary.get("wall_seconds", 0.0))


def db_size(db: Path) -> int:
    """The database with its WAL and shared-memory files (a checkpoint empties the WAL)."""
    return sum(
        p.stat().st_size
        for p in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm"))
        if p.exists()
    )

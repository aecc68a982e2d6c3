"""The persistent frontier in real crawls of loopback sites: whatever stops a run (a page
limit, SIGKILL), the next run ends with the pages one uninterrupted crawl stores."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from samples.server import SampleSites
from tests.conftest import FAST, ROOT, SAMPLES, run_cli
from tests.test_nightly import wait_for_running_run

pytestmark = pytest.mark.crawl

SOURCES = ("kymenlaakso", "paijat-hame")


def stored(db: Path) -> set[str]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "select url from pages where removed_at is null union select url from documents"
        )
        return {url for (url,) in rows}
    finally:
        conn.close()


def frontier_statuses(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return dict(conn.execute("select status, count(*) from frontier group by status"))
    finally:
        conn.close()


def last_run(db: Path) -> dict:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        return dict(conn.execute("select * from crawl_runs order by id desc limit 1").fetchone())
    finally:
        conn.close()


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """The sample sites, their registry, and the pages one uninterrupted crawl stores."""
    tmp = tmp_path_factory.mktemp("frontier")
    with SampleSites() as running:
        sources = tmp / "sources.toml"
        sources.write_text(
            running.render((SAMPLES / "sources.toml").read_text(encoding="utf-8")),
            encoding="utf-8",
        )
        reference = tmp / "reference.db"
        result = crawl(sources, reference)
        assert result.returncode == 0, result.stderr[-3000:]
        assert len(stored(reference)) > 10
        yield running, sources, stored(reference), tmp


def crawl(sources: Path, db: Path, *args: str) -> subprocess.CompletedProcess:
    only = [a for s in SOURCES for a in ("--source", s)]
    return run_cli("crawl", "--sources", str(sources), "--db", str(db), *only, *FAST, *args)


def requested_twice(running: SampleSites) -> dict[str, int]:
    """Paths of any site requested more than once since the counters were cleared."""
    return {
        f"{site.name}{path}": n
        for site in running.sites.values()
        for path, n in site.hits.items()
        if n > 1 and path != "/robots.txt"
    }


def clear_hits(running: SampleSites) -> None:
    for site in running.sites.values():
        site.hits.clear()
        site.not_modified.clear()


def test_max_pages_then_a_full_crawl_stores_everything(sites, tmp_path):
    running, sources, reference, _ = sites
    db = tmp_path / "t.db"
    trial = crawl(sources, db, "--max-pages", "8")
    assert trial.returncode == 0, trial.stderr[-3000:]
    first = last_run(db)
    assert first["lost"] == 0 and first["pages_stored"] + first["documents_stored"] <= 8
    assert "max_pages" in first["summary"]
    assert frontier_statuses(db).get("pending", 0) > 0
    clear_hits(running)
    full = crawl(sources, db)
    assert full.returncode == 0, full.stderr[-3000:]
    assert stored(db) == reference
    assert last_run(db)["lost"] == 0
    assert sum(s.not_modified.total() for s in running.sites.values()) > 0  # 304s handed on
    assert requested_twice(running) == {}
    assert frontier_statuses(db).get("pending", 0) == 0


def test_an_unchanged_night_requests_each_url_once_and_stores_the_same(sites, tmp_path):
    running, sources, reference, _ = sites
    db = tmp_path / "t.db"
    assert crawl(sources, db).returncode == 0
    clear_hits(running)
    again = crawl(sources, db)
    assert again.returncode == 0, again.stderr[-3000:]
    assert requested_twice(running) == {}
    assert stored(db) == reference
    assert last_run(db)["pages_not_modified"] > 0


def start_slow_crawl(sources: Path, db: Path) -> subprocess.Popen:
    only = [a for s in SOURCES for a in ("--source", s)]
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pipeline",
            "crawl",
            "--sources",
            str(sources),
            "--db",
            str(db),
            *only,
            *FAST,
            "--set",
            "DOWNLOAD_DELAY=0.25",
            "--set",
            "DOWNLOAD_DELAY_JITTER=0",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


@pytest.mark.parametrize("trial", range(3))
def test_sigkill_at_a_random_moment_then_a_rerun_stores_everything(sites, tmp_path, trial):
    running, sources, reference, _ = sites
    seed = int(os.environ.get("RIS3WATCH_KILL_SEED", time.time())) + trial
    rng = random.Random(seed)
    db = tmp_path / "t.db"
    killed_after = []
    for _ in range(2):  # killed twice, at random moments
        process = start_slow_crawl(sources, db)
        run_id = wait_for_running_run(db, after=len(killed_after))
        time.sleep(rng.uniform(0.2, 4.0))
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)
        killed_after.append(len(stored(db)))
        assert run_id == len(killed_after)
    rerun = crawl(sources, db)
    assert rerun.returncode == 0, (seed, killed_after, rerun.stderr[-3000:])
    assert stored(db) == reference, (seed, killed_after)
    assert last_run(db)["lost"] == 0

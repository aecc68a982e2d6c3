"""The nightly job: reports, one writer at a time, and surviving SIGKILL at any moment."""

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from tests.conftest import DEADLINE, FAST, ROOT, run_cli

pytestmark = pytest.mark.crawl

SLOW = ["--set", "AUTOTHROTTLE_ENABLED=false", "--set", "RETRY_TIMES=0"]


def start_crawl(sources, db, delay: float) -> subprocess.Popen:
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
            *SLOW,
            "--set",
            f"DOWNLOAD_DELAY={delay}",
            "--set",
            "DOWNLOAD_DELAY_JITTER=0",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def wait_for_running_run(db, after: int = 0, timeout: float = DEADLINE) -> int:
    """The id of a run newer than `after` once it is running (killed runs stay 'running')."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
            row = conn.execute(
                "select max(id) from crawl_runs where status = 'running' and id > ?", [after]
            ).fetchone()
            conn.close()
            if row[0]:
                return row[0]
        except sqlite3.Error:
            pass
        time.sleep(0.1)
    raise AssertionError("the crawl never started")


def test_changes_and_runs_report_the_latest_run(tmp_path, sources_file):
    db = tmp_path / "t.db"
    crawl = run_cli(
        "crawl", "--sources", str(sources_file), "--db", str(db), "--source", "lappi", *FAST
    )
    assert crawl.returncode == 0, crawl.stderr[-2000:]
    runs = json.loads(run_cli("runs", "--db", str(db), "--format", "json").stdout)
    assert runs[0]["status"] == "completed" and runs[0]["lost"] == 0
    changes = json.loads(run_cli("changes", "--db", str(db), "--format", "json").stdout)
    assert changes and {c["kind"] for c in changes} == {"new"}
    assert {c["source_id"] for c in changes} == {"lappi"}
    text = run_cli("changes", "--db", str(db), "--run", str(runs[0]["id"])).stdout
    assert "new" in text and "/lapinliitto/" in text
    csv_out = run_cli("changes", "--db", str(db), "--since", "2000-01-01", "--format", "csv")
    assert csv_out.stdout.startswith("run_id,detected_at,kind")


def test_a_second_crawl_on_the_same_database_is_refused(tmp_path, sources_file):
    db = tmp_path / "t.db"
    first = start_crawl(sources_file, db, delay=1.0)
    try:
        wait_for_running_run(db)
        second = run_cli("crawl", "--sources", str(sources_file), "--db", str(db), *FAST)
        assert second.returncode == 1
        assert "another crawl is writing to this database" in second.stderr
        assert "Traceback" not in second.stderr
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(10)


def test_sigkill_at_random_moments_leaves_a_consistent_database(tmp_path, sources_file):
    seed = int(os.environ.get("RIS3WATCH_KILL_SEED", time.time()))
    rng = random.Random(seed)
    db = tmp_path / "t.db"
    killed = last_run = 0
    for trial in range(4):
        crawl = start_crawl(sources_file, db, delay=0.3)
        last_run = wait_for_running_run(db, after=last_run)
        time.sleep(rng.uniform(0.0, 3.0))
        killed += crawl.poll() is None
        os.killpg(crawl.pid, signal.SIGKILL)
        crawl.wait(10)
        conn = sqlite3.connect(db)
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok", (seed, trial)
        orphans = conn.execute(
            "select count(*) from pages where url not in (select url from page_versions)"
        ).fetchone()[0]
        assert orphans == 0, (seed, trial)
        conn.close()
    rerun = run_cli("crawl", "--sources", str(sources_file), "--db", str(db), *FAST)
    assert rerun.returncode == 0, (seed, rerun.stderr[-2000:])
    conn = sqlite3.connect(db)
    statuses = [r[0] for r in conn.execute("select status from crawl_runs order by id")]
    assert killed >= 3, "the crawls ended before they could be killed: slow them down"
    assert statuses.count("aborted") == killed and statuses[-1] == "completed", (seed, statuses)
    assert conn.execute("select lost from crawl_runs order by id desc").fetchone()[0] == 0

"""The frontier: the pure retry rules, the store's side, and the migration that fills it."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from crawler.items import Discovery
from pipeline.db import open_db
from pipeline.frontier import (
    Frontier,
    after_failure,
    failure_span,
    is_transient,
    retry_interval,
)
from pipeline.migrations import SCHEMA_VERSION
from pipeline.schema import TABLES

# The tables of user_version 3 are those of the 2026-12-01 release (steps 2 and 3 add none).
V3 = Path(__file__).parent / "fixtures" / "schema-2026-12-01.sql"


@pytest.mark.parametrize(
    ("failures", "interval"), [(1, 1), (2, 2), (3, 4), (4, 7), (5, 7), (30, 7)]
)
def test_retry_interval_doubles_up_to_seven_runs(failures, interval):
    assert retry_interval(failures) == interval


def _tries(gone_after: int, runs: int = 60) -> tuple[list[int], int | None]:
    """The runs in which a URL failing every time is tried, and the run it becomes gone."""
    tried, failures, next_attempt = [], 0, 1
    for run in range(1, runs + 1):
        if run < next_attempt:
            continue
        tried.append(run)
        failures += 1
        retry = after_failure(failures, run, "http_503", gone_after)
        if retry.status == "gone":
            return tried, run
        next_attempt = retry.next_attempt
    return tried, None


@pytest.mark.parametrize(
    ("gone_after", "tried", "gone_in"),
    [
        (30, [1, 2, 4, 8, 15, 22, 29, 36], 36),
        (8, [1, 2, 4, 8], 8),
        (1, [1], 1),
    ],
)
def test_a_url_failing_every_run_is_tried_by_the_backoff_schedule(gone_after, tried, gone_in):
    assert _tries(gone_after) == (tried, gone_in)


@pytest.mark.parametrize(("failures", "span"), [(1, 1), (2, 2), (3, 4), (4, 8), (5, 15)])
def test_failure_span_counts_runs_first_and_last_included(failures, span):
    assert failure_span(failures) == span


@pytest.mark.parametrize(
    ("error", "transient"),
    [
        ("http_503", True),
        ("http_500", True),
        ("http_429", True),
        ("timeout", True),
        ("connection_refused", True),
        ("dns_error", True),
        ("truncated", True),
        ("http_404", False),
        ("too_large: 12 bytes > 10", False),
        ("redirect_out_of_scope: http://x/", False),
        ("empty_page", False),
        ("http_5000", False),
    ],
)
def test_transient_failures(error, transient):
    assert is_transient(error) == transient


def test_a_permanent_failure_waits_the_longest_interval():
    assert after_failure(1, 10, "http_404").next_attempt == 17
    assert after_failure(1, 10, "timeout").next_attempt == 11


@pytest.fixture
def frontier(tmp_path) -> Frontier:
    db = open_db(tmp_path / "t.db")
    db["sources"].insert({"id": "s", "name": "S", "region": "R", "kind": "k", "start_urls": "[]"})
    return Frontier(db, gone_after=8)


def test_schedule_pending_fetched_and_due_failures(frontier):
    frontier.discover([Discovery(f"http://x/{n}", "s", 1, "http://x/") for n in "abcde"], "t")
    frontier.fetched("http://x/a", "s", 1, "t")
    frontier.failed("http://x/b", "s", 1, "timeout", "t")  # due in run 2
    frontier.failed("http://x/c", "s", 1, "http_404", "t")  # due in run 8
    frontier.exclude("http://x/d", "not_html:image/png", "t")
    due, held = frontier.schedule(2, ["s"])
    assert sorted(d.url for d in due) == ["http://x/a", "http://x/b", "http://x/e"]
    assert held == {"http://x/c": "backoff", "http://x/d": "excluded"}
    assert {d.depth for d in due} == {1}


def test_failures_count_in_a_row_and_end_gone(frontier):
    url = "http://x/a"
    frontier.discover([Discovery(url, "s", 0)], "t")
    became_gone = [frontier.failed(url, "s", run, "http_503", "t") for run in (1, 2, 4, 8)]
    assert became_gone == [False, False, False, True]
    row = frontier.db["frontier"].get(url)
    assert (row["status"], row["failures"], row["last_error"]) == ("gone", 4, "http_503")
    assert frontier.schedule(9, ["s"]) == ([], {url: "gone"})
    # A start URL is requested even when gone: failing again, it is not reported again.
    assert frontier.failed(url, "s", 9, "timeout", "t") is False
    assert frontier.db["frontier"].get(url)["status"] == "gone"


def test_a_success_ends_the_streak(frontier):
    url = "http://x/a"
    frontier.failed(url, "s", 1, "timeout", "t1")
    frontier.failed(url, "s", 2, "timeout", "t2")
    frontier.fetched(url, "s", 2, "t3")
    row = frontier.db["frontier"].get(url)
    assert (row["status"], row["failures"], row["next_attempt"]) == ("fetched", 0, None)
    frontier.failed(url, "s", 5, "timeout", "t4")
    assert frontier.db["frontier"].get(url)["failures"] == 1


def test_a_removal_keeps_the_page_scheduled_and_its_last_success(frontier):
    url = "http://x/a"
    frontier.fetched(url, "s", 2, "t1")
    frontier.fetched(url, "s", None, "t2", "http_404")
    row = frontier.db["frontier"].get(url)
    assert (row["status"], row["depth"], row["last_success"], row["last_error"]) == (
        "fetched",
        2,
        "t1",
        "http_404",
    )


def test_reset_gives_a_source_a_fresh_start(frontier):
    frontier.failed("http://x/a", "s", 1, "timeout", "t")
    frontier.discover([Discovery("http://x/b", "s", 0)], "t")
    frontier.exclude("http://x/b", "robots_txt", "t")
    frontier.fetched("http://x/c", "s", 0, "t")
    assert frontier.reset("s") == 2
    assert frontier.counts(["s"]) == {
        "pending": 2,
        "fetched": 1,
        "failed": 0,
        "gone": 0,
        "excluded": 0,
    }


def _version_3(path: Path) -> None:
    """A database of schema version 3 (an earlier release): two runs, pages, a document, links
    and fetch errors."""
    conn = sqlite3.connect(path)
    conn.executescript(V3.read_text(encoding="utf-8"))
    conn.execute("PRAGMA user_version = 3")
    db = sqlite_utils.Database(conn)
    db["sources"].insert({"id": "s", "name": "S", "region": "R", "kind": "k", "start_urls": "[]"})
    for run in (1, 2):
        db["crawl_runs"].insert({"id": run, "started_at": "t", "status": "completed"})
    seen = {"source_id": "s", "content_hash": "h", "first_seen": "t0", "last_seen": "t1"}
    db["pages"].insert({"url": "http://x/", "text": "a", "depth": 0, **seen})
    db["pages"].insert({"url": "http://x/hub", "text": "b", "depth": 1, **seen})
    db["documents"].insert({"url": "http://x/s.pdf", **seen})
    db["links"].insert_all(
        [
            {"from_url": "http://x/", "to_url": "http://x/hub"},
            {"from_url": "http://x/", "to_url": "http://x/never"},
            {"from_url": "http://x/hub", "to_url": "http://x/never"},
            {"from_url": "http://x/hub", "to_url": "http://x/flaky"},
            {"from_url": "http://x/", "to_url": "http://elsewhere.example/"},
        ]
    )
    errors = [(1, "http://x/flaky", "http_503"), (2, "http://x/flaky", "timeout")]
    errors += [(2, "http://x/hub", "timeout")]
    db["fetch_errors"].insert_all(
        {"run_id": run, "url": url, "source_id": "s", "error": error, "at": f"t{run}"}
        for run, url, error in errors
    )
    conn.commit()
    conn.close()


def test_a_database_of_the_previous_schema_gets_its_frontier(tmp_path):
    path = tmp_path / "v3.db"
    _version_3(path)
    db = open_db(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert set(db["frontier"].columns_dict) == set(TABLES["frontier"]["columns"])
    assert set(db["crawl_runs"].columns_dict) == set(TABLES["crawl_runs"]["columns"])
    rows = {
        r["url"]: (r["status"], r["depth"], r["failures"], r["next_attempt"], r["last_error"])
        for r in db["frontier"].rows
    }
    assert rows == {
        "http://x/": ("fetched", 0, 0, None, None),
        "http://x/hub": ("fetched", 1, 0, None, None),  # stored: its later timeout is past
        "http://x/s.pdf": ("fetched", 0, 0, None, None),
        "http://x/never": ("pending", 1, 0, None, None),  # through the shallowest page
        "http://x/flaky": ("failed", 2, 2, 3, "timeout"),  # due in the next run
    }
    assert db["frontier"].get("http://x/never")["discovered_from"] == "http://x/"
    due, held = Frontier(db).schedule(3, ["s"])
    assert len(due) == 5 and held == {}


def test_status_shows_coverage_and_reset_gives_a_fresh_start(tmp_path):
    from tests.conftest import run_cli

    path = tmp_path / "t.db"
    db = open_db(path)
    db["sources"].insert({"id": "s", "name": "S", "region": "R", "kind": "k", "start_urls": "[]"})
    frontier = Frontier(db, gone_after=1)
    frontier.fetched("http://x/", "s", 0, "2026-11-20T02:00:00+00:00")
    frontier.discover([Discovery("http://x/new", "s", 1)], "t")
    frontier.failed("http://x/slow", "s", 1, "timeout", "t")
    frontier.failed("http://x/dead", "s", 1, "http_404", "t")  # gone at once (gone_after=1)
    db.conn.close()
    shown = run_cli("status", "--db", str(path), "--format", "json")
    assert shown.returncode == 0, shown.stderr
    (row,) = json.loads(shown.stdout)
    assert {k: row[k] for k in ("discovered", "pending", "failing", "gone")} == {
        "discovered": 4,
        "pending": 1,
        "failing": 0,
        "gone": 2,
    }
    assert row["oldest_success"] == "2026-11-20T02:00:00+00:00"
    text = run_cli("status", "--db", str(path))
    assert "s " in text.stdout and "2 gone" in text.stdout
    reset = run_cli("status", "--db", str(path), "--reset", "s", "--format", "json")
    assert reset.returncode == 0 and "2 URL(s) reset" in reset.stderr
    assert json.loads(reset.stdout)[0]["pending"] == 3
    unknown = run_cli("status", "--db", str(path), "--reset", "nope")
    assert unknown.returncode == 1 and "no source 'nope'" in unknown.stderr

"""Failures the frontier retries, night after night and within a night (Retry-After), on
misbehaving loopback hosts."""

from __future__ import annotations

import pytest

from tests.faults.conftest import Db, run_crawl, write_sources
from tests.faults.server import FaultServer

pytestmark = pytest.mark.crawl

ONCE = ["--set", "RETRY_TIMES=0"]  # one request per URL and run: the frontier retries


def night(sources, db, site: FaultServer, *args: str):
    """One run; the site's counters hold what this run requested."""
    site.reset_counts()
    result = run_crawl(sources, db, *ONCE, *args)
    assert result.returncode in (0, 2), result.tail()
    return result


def frontier_row(db: Db, url: str) -> dict | None:
    return db.one("select * from frontier where url = ?", url)


def requested_twice(site: FaultServer) -> dict[str, int]:
    return {p: n for p, n in site.hits.items() if n > 1 and p != "/robots.txt"}


def test_a_page_failing_once_is_stored_the_next_night_through_a_304(tmp_path):
    """Night 1: /late answers 503. Night 2: it answers 200, and the only page linking to it
    answers 304."""
    with FaultServer("127.0.0.61", "late") as site:
        site.route("/", "page", etag=True, links=["/hub"])
        site.route("/hub", "page", etag=True, links=["/late"])
        site.route("/late", "status", code=503)
        sources = write_sources(tmp_path / "s.toml", {"id": "late", "start_urls": [site.url("/")]})
        db = Db(tmp_path / "t.db")
        night(sources, db.path, site)
        late = site.url("/late")
        assert db.page(late) is None
        assert frontier_row(db, late)["status"] == "failed"
        site.route("/late", "page")
        night(sources, db.path, site)
        assert db.page(late) is not None
        assert any(path == "/hub" and what.endswith(":304") for *_, path, what in site.log)
        assert requested_twice(site) == {}
        assert db.run()["lost"] == 0
        assert db.run()["summary"]["frontier"]["failed"] == 0


def test_a_304_hands_on_its_stored_links_to_the_same_rules(tmp_path):
    """Night 1 stops at depth 1; night 2 allows depth 2: the links of the hub, which answers
    304, are followed as if it had been fetched again."""
    with FaultServer("127.0.0.62", "deep") as site:
        site.route("/", "page", etag=True, links=["/hub"])
        site.route("/hub", "page", etag=True, links=["/deep", "/kuva.png"])
        site.route("/deep", "page")
        source = {"id": "deep", "start_urls": [site.url("/")], "max_depth": 1}
        sources = write_sources(tmp_path / "s.toml", source)
        db = Db(tmp_path / "t.db")
        night(sources, db.path, site)
        assert site.hits["/deep"] == 0 and db.page(site.url("/hub"))
        assert db.run()["summary"]["skipped_by_reason"]["max_depth"] == 1
        write_sources(tmp_path / "s.toml", {**source, "max_depth": 2})
        night(sources, db.path, site)
        assert any(path == "/hub" and what.endswith(":304") for *_, path, what in site.log)
        assert db.page(site.url("/deep")) is not None
        assert site.hits["/kuva.png"] == 0
        assert db.run()["summary"]["skipped_by_reason"]["not_a_page"] == 1
        assert requested_twice(site) == {}


def test_a_page_failing_every_run_backs_off_and_ends_gone(tmp_path):
    with FaultServer("127.0.0.63", "broken") as site:
        site.route("/", "page", etag=True, links=["/broken"])
        site.route("/broken", "status", code=503)
        sources = write_sources(
            tmp_path / "s.toml", {"id": "broken", "start_urls": [site.url("/")]}
        )
        db = Db(tmp_path / "t.db")
        tried, reported = [], []
        for run in range(1, 10):
            night(sources, db.path, site, "--set", "RIS3WATCH_GONE_AFTER_RUNS=8")
            if site.hits["/broken"]:
                tried.append(run)
            reported += [g["url"] for g in db.run()["summary"]["gone_this_run"]]
        assert tried == [1, 2, 4, 8]
        assert reported == [site.url("/broken")]  # once, in run 8
        row = frontier_row(db, site.url("/broken"))
        assert (row["status"], row["failures"], row["last_error"]) == ("gone", 4, "http_503")
        assert db.run()["summary"]["frontier"]["gone"] == 1
        assert db.run()["lost"] == 0


def test_retry_after_is_waited_within_the_run_while_other_hosts_download(tmp_path):
    with (
        FaultServer("127.0.0.64", "busy") as busy,
        FaultServer("127.0.0.65", "steady") as steady,
    ):
        busy.route("/", "page", links=["/busy"])
        busy.route("/busy", "flap", failures=1, code=503, headers={"Retry-After": "2"})
        # A chain of slow pages, each found on the one before: the other host's downloads
        # go on for at least 4 s once the first pages are extracted, as /busy's wait does.
        chain = [f"/p{n}" for n in range(16)]
        steady.route("/", "page", links=chain[:1])
        for path, after in zip(chain, [*chain[1:], None], strict=True):
            steady.route(path, "sleep", seconds=0.25, links=[after] if after else [])
        sources = write_sources(
            tmp_path / "s.toml",
            {"id": "busy", "start_urls": [busy.url("/")]},
            {"id": "steady", "start_urls": [steady.url("/")], "max_depth": 20},
        )
        db = Db(tmp_path / "t.db")
        result = night(sources, db.path, busy)
        assert db.page(busy.url("/busy")) is not None, result.tail()
        (_, answered), (retried, _) = busy.times["/busy"]
        assert retried - answered >= 2.0, busy.dump_log()
        during = [
            start for start, _ in sum(steady.times.values(), []) if answered < start < retried
        ]
        assert during, steady.dump_log()  # the other host kept downloading
        run = db.run()
        assert run["lost"] == 0 and busy.url("/busy") not in db.errors(run["id"])
        assert frontier_row(db, busy.url("/busy"))["status"] == "fetched"
        assert db.page(steady.url(chain[-1])) is not None


def test_a_long_retry_after_waits_for_the_next_run(tmp_path):
    with FaultServer("127.0.0.66", "later") as site:
        site.route("/", "page", links=["/later"])
        site.route("/later", "flap", failures=1, code=429, headers={"Retry-After": "3600"})
        sources = write_sources(tmp_path / "s.toml", {"id": "later", "start_urls": [site.url("/")]})
        db = Db(tmp_path / "t.db")
        night(sources, db.path, site, "--set", "RETRY_TIMES=2")
        assert site.hits["/later"] == 1  # not Scrapy's immediate retries either
        row = frontier_row(db, site.url("/later"))
        assert (row["status"], row["last_error"]) == ("failed", "http_429")
        night(sources, db.path, site)
        assert db.page(site.url("/later")) is not None

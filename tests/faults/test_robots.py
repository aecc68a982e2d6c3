"""Case 14: robots.txt. Three hosts whose pages night 1 stored; on night 2 one host's
robots.txt disallows everything, one answers 500, one times out. Each robots.txt is slow
(1 s, or past the 2 s timeout), so every request of the host (the start page and its
known pages' revisits) is waiting for it at once, as on a real nightly run.

Policy (README "robots.txt"): Disallow -> skipped `robots_txt`; 5xx or timeout -> the
host is not crawled this run, its pages skipped `robots_unavailable`; never an error row,
never a removal, and no request to the host but robots.txt itself.
"""

from __future__ import annotations

import pytest

from tests.faults.conftest import Db, run_crawl, write_sources
from tests.faults.server import FaultServer

pytestmark = pytest.mark.crawl

PATHS = ["/", *(f"/p{i}/" for i in range(1, 6))]
HOSTS = {
    # name: (address, night-2 robots behaviour, expected skip reason)
    "disallow": ("127.0.0.35", "disallow", "robots_txt"),
    "robots500": ("127.0.0.36", "500", "robots_unavailable"),
    "timeout": ("127.0.0.37", "timeout", "robots_unavailable"),
}


@pytest.fixture(scope="module")
def robots(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("robots")
    servers = {name: FaultServer(address, name).start() for name, (address, *_) in HOSTS.items()}
    servers_all = list(servers.values())
    try:
        for server in servers.values():
            server.route("/", "page", links=PATHS[1:])
            for path in PATHS[1:]:
                server.route(path, "page")
        control = FaultServer("127.0.0.38", "control").start()
        servers_all = [*servers.values(), control]
        control.route("/", "page")
        sources = write_sources(
            tmp / "s.toml",
            *({"id": name, "start_urls": [s.url("/")]} for name, s in servers.items()),
            # A host with a readable robots.txt: the run stores something and completes.
            {"id": "control", "start_urls": [control.url("/")]},
        )
        db = tmp / "robots.db"
        first = run_crawl(sources, db)
        assert first.returncode == 0, first.tail()
        run1 = Db(db).run()
        for name, server in servers.items():
            server.reset_counts()
            server.robots_delay = 1.0
            if HOSTS[name][1] == "disallow":
                server.disallow = ["/"]
            else:
                server.robots = HOSTS[name][1]
        # Every request of every host enters the downloader at once.
        second = run_crawl(sources, db, "--set", "CONCURRENT_REQUESTS=64")
        (tmp / "night2.stderr").write_text(second.stderr, encoding="utf-8")
        yield second, Db(db), {**servers, "control": control}, run1
    finally:
        for server in servers_all:
            server.stop()


def test_night_two_completes_without_losing_a_url(robots):
    second, db, servers, run1 = robots
    run = db.run()
    assert run["id"] == run1["id"] + 1 and run["status"] == "completed", second.tail()
    assert run["lost"] == 0
    assert db.page(servers["control"].url("/"))["last_run_id"] == run["id"]


@pytest.mark.parametrize("name", sorted(HOSTS))
def test_no_page_of_the_host_is_requested(robots, name):
    _, _, servers, _ = robots
    hits = {p: n for p, n in servers[name].hits.items() if p != "/robots.txt"}
    assert hits == {}, f"fetched despite robots.txt: {hits}"


@pytest.mark.parametrize("name", sorted(HOSTS))
def test_every_page_is_skipped_with_the_policy_reason(robots, name):
    second, db, servers, _ = robots
    reason = HOSTS[name][2]
    for path in PATHS:
        url = servers[name].url(path)
        assert f"Skipped {url} ({reason})" in second.stderr, url


@pytest.mark.parametrize("name", sorted(HOSTS))
def test_known_pages_are_neither_errors_nor_removals(robots, name):
    _, db, servers, run1 = robots
    run = db.run()
    errors = db.errors(run["id"])
    for path in PATHS:
        url = servers[name].url(path)
        page = db.page(url)
        assert url not in errors
        assert page["removed_at"] is None and page["last_run_id"] == run1["id"], page
        assert len(db.versions(url)) == 1 and db.changes(url, run["id"]) == []


def test_skip_counts_reach_the_run_summary(robots):
    _, db, _, _ = robots
    skipped = db.run()["summary"]["skipped_by_reason"]
    assert skipped.get("robots_txt", 0) >= len(PATHS), skipped
    assert skipped.get("robots_unavailable", 0) >= 2 * len(PATHS), skipped

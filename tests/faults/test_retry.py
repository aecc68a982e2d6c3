"""Case 10 on a small crawl of its own, so that the time between a 429 (or 503) and its
retry is the crawler's doing and not queueing behind the matrix's slow faults."""

from __future__ import annotations

import pytest

from tests.faults.conftest import Db, run_crawl, write_sources
from tests.faults.server import FaultServer

pytestmark = pytest.mark.crawl


@pytest.fixture(scope="module")
def retried(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("retry")
    with FaultServer("127.0.0.45", "retry") as site:
        site.route("/", "page", links=["/rate-limited", "/flap", "/normal"])
        site.route("/rate-limited", "flap", failures=1, code=429, headers={"Retry-After": "1"})
        site.route("/flap", "flap", failures=1, code=503)
        site.route("/normal", "page")
        db = tmp / "retry.db"
        result = run_crawl(
            write_sources(tmp / "s.toml", {"id": "retry", "start_urls": [site.url("/")]}), db
        )
        yield result, Db(db), site


@pytest.mark.parametrize("path", ["/rate-limited", "/flap"])
def test_429_and_503_are_retried_and_stored(retried, path):
    result, db, site = retried
    run = db.run()
    assert run["status"] == "completed" and run["lost"] == 0, result.tail()
    assert site.hits[path] == 2
    url = site.url(path)
    assert db.page(url) and url not in db.errors(run["id"])
    assert [c["kind"] for c in db.changes(url)] == ["new"] and len(db.versions(url)) == 1


def test_retry_after_is_measured(retried):
    """Figures: the wait before the retry (Retry-After: 1 asks for at least 1 s)."""
    _, _, site = retried
    gaps = {}
    for path in ("/rate-limited", "/flap"):
        first, second = site.times[path]
        gaps[path] = round(second[0] - first[1], 2)
    print(f"\n[figures] retry waited (s): {gaps}")
    assert all(gap >= 0 for gap in gaps.values())

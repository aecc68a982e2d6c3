"""Cases 1 and 2 over two nights: compression bombs, bodies over DOWNLOAD_MAXSIZE (with and
without Content-Length) and HTML over RIS3WATCH_EXTRACT_MAX_BYTES, for new URLs and for
pages night 1 stored, while a second, steady host keeps serving ordinary pages.

These faults make the crawl process itself work (decompressing, buffering, cancelling),
so they run apart from the matrix: the steady host shows whether that work holds up
everybody else's downloads.
"""

from __future__ import annotations

import pytest

from tests.faults.conftest import RSS_BUDGET_MB, Db, run_crawl, write_sources
from tests.faults.server import FaultServer, brotli_bomb, gzip_bomb

pytestmark = pytest.mark.crawl

MB = 1024 * 1024
FRESH = {
    "/faults/gzip-bomb": ("gzip_bomb", {}),
    "/faults/brotli-bomb": ("brotli_bomb", {}),
    "/faults/too-large": ("stream", {"size": 40 * MB}),
    "/faults/too-large-unannounced": ("stream", {"size": 40 * MB, "announce": False}),
    "/faults/over-extract-cap": ("big_html", {"size": 12 * MB, "links": ["/behind-big"]}),
}
KNOWN = {
    "/known/gzip-bomb": ("gzip_bomb", {}),
    "/known/too-large": ("stream", {"size": 40 * MB}),
    "/known/over-extract-cap": ("big_html", {"size": 12 * MB}),
}
STEADY_PAGES = 30
STEADY_DELAY = 0.1


@pytest.fixture(scope="module")
def sizes(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sizes")
    gzip_bomb(), brotli_bomb()
    with (
        FaultServer("127.0.0.43", "sizes") as site,
        FaultServer("127.0.0.44", "steady") as steady,
    ):
        site.route("/", "page", links=[*KNOWN, "/normal"])
        site.route("/normal", "page")
        site.route("/behind-big", "page")
        for path in KNOWN:
            site.route(path, "page")
        paths = [f"/p/{i}" for i in range(1, STEADY_PAGES + 1)]
        steady.route("/", "page", links=paths)
        for path in paths:
            steady.route(path, "page")
        sources = write_sources(
            tmp / "s.toml",
            {"id": "sizes", "start_urls": [site.url("/")]},
            {"id": "steady", "start_urls": [steady.url("/")]},
        )
        db = tmp / "sizes.db"
        first = run_crawl(sources, db)
        assert first.returncode == 0, first.tail()
        before = {path: Db(db).page(site.url(path)) for path in KNOWN}
        versions = {path: Db(db).versions(site.url(path)) for path in KNOWN}
        for path, (kind, params) in {**KNOWN, **FRESH}.items():
            site.route(path, kind, **params)
        site.route("/", "page", links=[*KNOWN, *FRESH, "/normal"])
        for path in paths:
            steady.route(path, "sleep", seconds=STEADY_DELAY)
        site.reset_counts()
        steady.reset_counts()
        # One request at a time per host (see test_memory.py), so the steady host's
        # requests follow each other and a stall shows as a gap.
        second = run_crawl(
            sources, db, "--set", "DOWNLOAD_DELAY=0.05", "--set", "DOWNLOAD_DELAY_JITTER=0"
        )
        (tmp / "night2.stderr").write_text(second.stderr, encoding="utf-8")
        yield second, Db(db), site, steady, paths, before, versions


def test_night_two_completes_and_loses_no_url(sizes):
    second, db, site, *_ = sizes
    run = db.run()
    assert run["status"] == "completed" and run["lost"] == 0, second.tail()
    assert db.page(site.url("/normal"))["last_run_id"] == run["id"]


@pytest.mark.parametrize("path", sorted({**FRESH, **KNOWN}))
def test_oversized_response_is_too_large(sizes, path):
    _, db, site, *_ = sizes
    run = db.run()
    error = db.errors(run["id"]).get(site.url(path))
    assert error and error.split(":")[0] == "too_large", (error, run["summary"])
    if path in FRESH:
        assert db.page(site.url(path)) is None


@pytest.mark.parametrize("path", sorted(KNOWN))
def test_known_page_keeps_its_version(sizes, path):
    _, db, site, _, _, before, versions = sizes
    url = site.url(path)
    after = db.page(url)
    assert after["text"] == before[path]["text"]
    assert after["content_hash"] == before[path]["content_hash"]
    assert after["removed_at"] is None
    assert db.versions(url) == versions[path]
    assert db.changes(url, db.run()["id"]) == []


def test_a_page_linked_only_from_an_over_cap_page_is_crawled(sizes):
    """Extraction gives up on the page, so its links come from a scan of the markup."""
    _, db, site, *_ = sizes
    assert db.page(site.url("/behind-big")) is not None


def test_the_steady_host_is_stored_meanwhile(sizes):
    """Decompressing and cancelling happen in the crawl process: no other page may time
    out or go missing because of it."""
    second, db, _, steady, paths, *_ = sizes
    run = db.run()
    errors = db.errors(run["id"])
    failed = {p: errors[steady.url(p)] for p in paths if steady.url(p) in errors}
    starts = sorted(t[0] for p in paths for t in steady.times[p])
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    print(
        f"\n[figures] size-limit night: longest gap between the steady host's requests "
        f"{max(gaps, default=0):.2f} s (one every {STEADY_DELAY + 0.05:.2f} s expected); "
        f"peak RSS {second.peak_rss_mb} MB (PSS {second.peak_pss_mb}) {second.peak_breakdown}, "
        f"stderr {len(second.stderr) / 1e6:.1f} MB, wall {second.wall:.1f} s"
    )
    assert not failed, failed
    assert all(db.page(steady.url(p))["last_run_id"] == run["id"] for p in paths)


def test_size_limit_night_stays_within_the_memory_budget(sizes):
    second = sizes[0]
    assert second.peak_rss_mb < RSS_BUDGET_MB, second.peak_breakdown

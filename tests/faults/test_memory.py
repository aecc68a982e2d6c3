"""Cases 1 and 3 on their own crawls, so that their peak memory is theirs alone: a
compression bomb, and a huge page that is slow to extract while another host keeps
being downloaded."""

from __future__ import annotations

import pytest

from tests.faults.conftest import EXTRACT_TIMEOUT_2S, RSS_BUDGET_MB, Db, run_crawl, write_sources
from tests.faults.server import FaultServer, brotli_bomb, gzip_bomb, huge_table

pytestmark = pytest.mark.crawl

FLOW_PAGES = 30
FLOW_DELAY = 0.15  # each flow page takes this long to answer (plus a 0.05 s delay)


@pytest.fixture(scope="module")
def bomb(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bomb")
    gzip_bomb(), brotli_bomb()  # built before the crawl, not during it
    with FaultServer("127.0.0.40", "bomb") as site:
        site.route("/", "page", links=["/gzip", "/brotli", "/normal"])
        site.route("/gzip", "gzip_bomb").route("/brotli", "brotli_bomb").route("/normal", "page")
        db = tmp / "bomb.db"
        result = run_crawl(
            write_sources(tmp / "s.toml", {"id": "bomb", "start_urls": [site.url("/")]}), db
        )
        yield result, Db(db), site


@pytest.mark.parametrize("path", ["/gzip", "/brotli"])
def test_compression_bomb_is_too_large(bomb, path):
    result, db, site = bomb
    run = db.run()
    assert run["status"] == "completed" and run["lost"] == 0, result.tail()
    error = db.errors(run["id"]).get(site.url(path))
    assert error and error.split(":")[0] == "too_large", (error, run["summary"])
    assert db.page(site.url(path)) is None
    assert db.page(site.url("/normal")), "the crawl went on"


def test_compression_bomb_crawl_stays_within_the_memory_budget(bomb):
    result, _, _ = bomb
    print(
        f"\n[figures] bomb crawl: peak RSS {result.peak_rss_mb} MB (PSS {result.peak_pss_mb}) over "
        f"{result.peak_processes} processes {result.peak_breakdown}, wall {result.wall:.1f} s"
    )
    assert result.peak_rss_mb < RSS_BUDGET_MB


@pytest.fixture(scope="module")
def huge(tmp_path_factory):
    """Night 1: /huge is an ordinary page. Night 2: it is a 6 MB table page that needs ~35 s
    to extract, with a 2 s extraction limit. Meanwhile:

    - the `flow` host serves its 31 known pages one after another, slowly, answering 304:
      nothing to extract, so a worker takes the huge page as soon as it arrives, and the
      flow host's requests show whether downloading goes on meanwhile;
    - the `late` host's 6 pages all changed; its robots.txt takes 3 s, so they arrive after
      the huge page's worker has been replaced and must be extracted all the same.
    """
    tmp = tmp_path_factory.mktemp("huge")
    huge_table()
    with (
        FaultServer("127.0.0.41", "huge") as site,
        FaultServer("127.0.0.42", "flow") as flow,
        FaultServer("127.0.0.46", "late") as late,
    ):
        site.route("/huge", "page")
        paths = [f"/p/{i}" for i in range(1, FLOW_PAGES + 1)]
        flow.route("/", "page", links=paths, etag=True)
        for path in paths:
            flow.route(path, "page", etag=True)
        changed = ["/", *(f"/x/{i}" for i in range(1, 6))]
        late.route("/", "page", links=changed[1:], vary=True)
        for path in changed[1:]:
            late.route(path, "page", vary=True)
        db = tmp / "huge.db"
        sources = write_sources(
            tmp / "s.toml",
            {"id": "huge", "start_urls": [site.url("/huge")]},
            {"id": "flow", "start_urls": [flow.url("/")]},
            {"id": "late", "start_urls": [late.url("/")]},
        )
        first = run_crawl(sources, db)
        assert first.returncode == 0, first.tail()
        before = Db(db).page(site.url("/huge"))
        site.route("/huge", "huge_table")
        for path in paths:
            flow.route(path, "sleep", seconds=FLOW_DELAY, etag=True)
        late.generation = 2
        late.robots_delay = 3.0
        for server in (site, flow, late):
            server.reset_counts()
        # A small delay makes Scrapy keep to one request at a time per host (with
        # DOWNLOAD_DELAY=0, Scrapy 2.19 starts a whole queue at once), so a stall shows.
        second = run_crawl(
            sources,
            db,
            *EXTRACT_TIMEOUT_2S,
            "--set",
            "DOWNLOAD_DELAY=0.05",
            "--set",
            "DOWNLOAD_DELAY_JITTER=0",
            "--set",
            "DOWNLOAD_TIMEOUT=5",  # the late host's robots.txt takes 3 s
            # Few requests in the downloader at once (as when many hosts share it), so that
            # the flow host's next request has to come from the scheduler while the huge
            # page is being extracted.
            "--set",
            "CONCURRENT_REQUESTS=3",
        )
        (tmp / "night2.stderr").write_text(second.stderr, encoding="utf-8")
        yield second, Db(db), site, flow, paths, (late, changed), before


def test_huge_page_is_extract_timeout_and_keeps_its_version(huge):
    result, db, site, _, _, _, before = huge
    run = db.run()
    url = site.url("/huge")
    error = db.errors(run["id"]).get(url)
    assert error and error.split(":")[0] == "extract_timeout", (error, result.tail())
    after = db.page(url)
    assert after["text"] == before["text"] and after["content_hash"] == before["content_hash"]
    assert len(db.versions(url)) == 1 and db.changes(url, run["id"]) == []


def test_huge_page_crawl_stays_within_the_memory_budget(huge):
    result = huge[0]
    print(
        f"\n[figures] huge-page crawl: peak RSS {result.peak_rss_mb} MB (PSS {result.peak_pss_mb}) "
        f"over {result.peak_processes} processes {result.peak_breakdown}, wall "
        f"{result.wall:.1f} s, page {len(huge_table()) / 1e6:.1f} MB, stderr "
        f"{len(result.stderr) / 1e6:.1f} MB"
    )
    assert result.peak_rss_mb < RSS_BUDGET_MB


def test_huge_page_crawl_completes_and_extracts_the_pages_after_it(huge):
    """The extraction limit is per page: pages extracted after the huge page's worker was
    replaced are stored, none `extract_timeout`."""
    result, db, _, _, paths, (late, changed), _ = huge
    run = db.run()
    assert run["status"] == "completed" and run["lost"] == 0, result.tail()
    errors = db.errors(run["id"])
    failed = {p: errors[late.url(p)] for p in changed if late.url(p) in errors}
    assert not failed, failed
    for path in changed:
        assert len(db.versions(late.url(path))) == 2, path
    assert run["pages_not_modified"] == len(paths) + 1


def test_downloads_keep_flowing_during_extraction(huge):
    """The huge page's 2 s in a worker must not stop the other host's downloads."""
    _, _, site, flow, paths, _, _ = huge
    (_, served), *_ = site.times["/huge"]
    window = (served + 0.3, served + 1.8)  # well inside the 2 s extraction time limit
    starts = sorted(t[0] for p in paths for t in flow.times[p])
    during = [t for t in starts if window[0] <= t <= window[1]]
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    print(
        f"\n[figures] flow requests started while the huge page was extracted: {len(during)}"
        f" (window 1.5 s, one request per {FLOW_DELAY + 0.05} s possible); first flow request"
        f" {starts[0] - served:+.2f} s from the huge page's arrival; longest gap between flow"
        f" requests {max(gaps, default=0):.2f} s"
    )
    assert starts and starts[-1] > window[1], (
        "the flow host's downloads did not outlast the extraction window: raise FLOW_DELAY"
    )
    assert len(during) >= 4, (len(during), max(gaps, default=0))

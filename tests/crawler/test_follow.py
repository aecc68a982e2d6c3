"""Which links of a stored page the spider follows, and with what depth, priority and
Referer: the links come from the extraction worker, so this is the spider's only say."""

from __future__ import annotations

import pytest
from scrapy.utils.test import get_crawler

from crawler.items import Discovery, Due, RawPage, StoreKnowledge
from crawler.spiders.councils import CouncilsSpider

REGISTRY = """[[sources]]
id = "x"
name = "X"
region = "R"
kind = "regional_council"
start_urls = ["http://127.0.0.2:8000/"]
max_depth = 2
"""
BASE = "http://127.0.0.2:8000"


@pytest.fixture
def spider(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text(REGISTRY, encoding="utf-8")
    crawler = get_crawler(CouncilsSpider)
    spider = CouncilsSpider.from_crawler(crawler, sources=str(path))
    crawler.spider = spider
    spider.prepare(StoreKnowledge())
    return spider


def page(depth: int) -> RawPage:
    return RawPage(
        url=f"{BASE}/a",
        final_url=f"{BASE}/a/",
        source_id="x",
        status=200,
        content_type="text/html",
        body=b"",
        fetched_at="t",
        depth=depth,
    )


@pytest.mark.parametrize(
    ("depth", "url", "followed", "skip"),
    [
        (0, f"{BASE}/b", True, None),
        (0, f"{BASE}/b#osio", True, None),  # the fragment is dropped
        (0, "http://127.0.0.9:8000/b", False, "out_of_scope"),
        (0, f"{BASE}/kuva.JPG", False, "not_a_page"),
        (0, f"{BASE}/lomake.docx", False, "not_a_page"),
        (2, f"{BASE}/b", False, "max_depth"),
        (2, f"{BASE}/strategia.pdf", True, None),  # documents whatever the depth
        (2, "http://127.0.0.9:8000/s.pdf", False, "out_of_scope"),
        (0, f"{BASE}/{'k' * 2100}", False, "url_too_long"),
    ],
)
def test_follow(spider, depth, url, followed, skip):
    requests = spider.link_requests(page(depth), [url])
    assert bool(requests) == followed
    stats = spider.crawler.stats.get_stats()
    if skip:
        assert stats.get(f"ris3watch/skipped/{skip}") == 1
    if followed:
        (request,) = requests
        assert "#" not in request.url
        assert request.meta["page_depth"] == depth + 1
        assert request.priority == -(depth + 1)
        assert request.headers["Referer"] == f"{BASE}/a/".encode()


def test_a_url_is_followed_once(spider):
    assert len(spider.link_requests(page(0), [f"{BASE}/b", f"{BASE}/b"])) == 1
    assert spider.link_requests(page(1), [f"{BASE}/b"]) == []


class Recorder:
    """A FrontierWriter that remembers what the spider wrote."""

    def __init__(self) -> None:
        self.found: list[Discovery] = []
        self.exclusions: list[tuple[str, str]] = []

    def discovered(self, found) -> None:
        self.found += found

    def excluded(self, url: str, source_id: str, reason: str) -> None:
        self.exclusions.append((url, reason))


@pytest.fixture
def prepared(spider):
    recorder = Recorder()
    spider.prepare(
        StoreKnowledge(
            due=[Due(f"{BASE}/known", "x", 1)],
            held={f"{BASE}/flaky": "backoff", f"{BASE}/dead": "gone", BASE + "/": "excluded"},
            frontier=recorder,
        )
    )
    return spider, recorder


@pytest.mark.parametrize(
    ("url", "followed", "skip", "new"),
    [
        (f"{BASE}/b", True, None, True),
        (f"{BASE}/known", True, None, False),  # in the frontier already: not written again
        (f"{BASE}/flaky", False, "backoff", False),
        (f"{BASE}/dead", False, "gone", False),
        ("http://127.0.0.9:8000/b", False, "out_of_scope", False),
    ],
)
def test_follow_writes_new_urls_to_the_frontier_and_skips_held_ones(
    prepared, url, followed, skip, new
):
    spider, recorder = prepared
    assert bool(spider.link_requests(page(0), [url])) == followed
    spider.record_found()
    assert [d.url for d in recorder.found] == ([url] if new else [])
    if new:
        assert (recorder.found[0].depth, recorder.found[0].discovered_from) == (1, f"{BASE}/a/")
    if skip:
        assert spider.crawler.stats.get_value(f"ris3watch/skipped/{skip}") == 1


def test_max_pages_leaves_new_urls_pending(prepared):
    spider, recorder = prepared
    spider.max_pages = 1
    requests = spider.link_requests(page(0), [f"{BASE}/b", f"{BASE}/c"])
    spider.record_found()
    assert len(requests) == 1
    assert [d.url for d in recorder.found] == [f"{BASE}/b", f"{BASE}/c"]
    assert spider.crawler.stats.get_value("ris3watch/skipped/max_pages") == 1


def test_a_held_start_url_is_requested_and_a_due_url_out_of_scope_excluded(prepared):
    spider, recorder = prepared
    source = spider.sources[0]
    assert spider.page_request(source, BASE + "/", 0, start=True) is not None
    assert spider.page_request(source, "http://127.0.0.9:8000/old", 1, due=True) is None
    assert recorder.exclusions == [("http://127.0.0.9:8000/old", "out_of_scope")]

"""Scrapy components the Scrapy way: built from a real crawler, called with real requests."""

import pytest
from scrapy import Request
from scrapy.utils.test import get_crawler

from crawler.middlewares import OutOfScope, ScopeMiddleware
from crawler.spiders.councils import CouncilsSpider

GOOD = """[[sources]]
id = "x"
name = "X"
region = "R"
kind = "regional_council"
start_urls = ["http://127.0.0.2:8000/a/"]
"""


@pytest.fixture
def middleware(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text(GOOD, encoding="utf-8")
    crawler = get_crawler(CouncilsSpider)
    crawler.spider = CouncilsSpider.from_crawler(crawler, sources=str(path))
    return ScopeMiddleware.from_crawler(crawler)


@pytest.mark.parametrize(
    ("url", "meta", "allowed"),
    [
        ("http://127.0.0.2:8000/b/", {"source_id": "x"}, True),
        ("http://127.0.0.9:8000/b/", {"source_id": "x"}, False),
        (
            "http://127.0.0.9:8000/b/",
            {"source_id": "x", "redirect_urls": ["http://127.0.0.2:8000/old"]},
            False,
        ),
        ("http://127.0.0.2:8000/b/", {}, False),  # no source: nothing to be in scope of
        ("http://127.0.0.2:8000/robots.txt", {}, True),  # RobotsTxtMiddleware's own request
        ("http://127.0.0.9:8000/robots.txt", {}, False),
    ],
)
def test_scope(middleware, url, meta, allowed):
    request = Request(url, meta=meta)
    if allowed:
        assert middleware.process_request(request) is None
    else:
        with pytest.raises(OutOfScope):
            middleware.process_request(request)

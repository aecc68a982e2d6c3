"""Scrapy components the Scrapy way: built from a real crawler, called with real requests.

Name resolution is stubbed by filling the middleware's address cache: nothing is resolved
and nothing leaves the machine.
"""

import asyncio
import ipaddress
from datetime import UTC, datetime

import pytest
from scrapy import Request
from scrapy.exceptions import DownloadTimeoutError, IgnoreRequest
from scrapy.http import TextResponse
from scrapy.utils.test import get_crawler
from twisted.internet.error import ConnectionRefusedError, TimeoutError

from crawler.items import KnownPage
from crawler.middlewares import (
    ConditionalRequestMiddleware,
    OutOfScope,
    PoliteRobotsTxtMiddleware,
    RobotsUnavailable,
    ScopeMiddleware,
    retry_after_seconds,
)
from crawler.spiders.councils import CouncilsSpider

MODIFIED = "Tue, 01 Dec 2026 08:00:00 GMT"

LOOPBACK = """[[sources]]
id = "x"
name = "X"
region = "R"
kind = "regional_council"
start_urls = ["http://127.0.0.2:8000/a/"]
"""
PUBLIC = """[[sources]]
id = "pub"
name = "Public"
region = "R"
kind = "regional_council"
start_urls = ["https://www.liitto.fi/a/"]
allowed_domains = ["liitto.fi"]
"""
STUB_DNS = {
    "www.liitto.fi": "185.20.1.10",
    "intranet.liitto.fi": "10.0.0.5",
    "meta.liitto.fi": "169.254.169.254",
    "mc.liitto.fi": "224.0.0.1",
    "cgn.liitto.fi": "100.64.0.1",
}


def middleware(tmp_path, registry):
    path = tmp_path / "s.toml"
    path.write_text(registry, encoding="utf-8")
    crawler = get_crawler(CouncilsSpider)
    crawler.spider = CouncilsSpider.from_crawler(crawler, sources=str(path))
    mw = ScopeMiddleware.from_crawler(crawler)
    mw.addresses.update({h: [ipaddress.ip_address(a)] for h, a in STUB_DNS.items()})
    return mw


def outcome(mw, url, meta):
    try:
        asyncio.run(mw.process_request(Request(url, meta=meta)))
    except OutOfScope as refused:
        return str(refused).split(":")[0]
    return "allowed"


@pytest.mark.parametrize(
    ("url", "meta", "expected"),
    [
        ("http://127.0.0.2:8000/b/", {"source_id": "x"}, "allowed"),
        ("http://127.0.0.9:8000/b/", {"source_id": "x"}, "out_of_scope"),
        (
            "http://127.0.0.9:8000/b/",
            {"source_id": "x", "redirect_urls": ["http://127.0.0.2:8000/old"]},
            "redirect_out_of_scope",
        ),
        ("http://127.0.0.2:8000/b/", {}, "out_of_scope"),  # no source: nothing to be in scope of
        ("http://127.0.0.2:8000/robots.txt", {}, "allowed"),  # RobotsTxtMiddleware's request
        ("http://127.0.0.9:8000/robots.txt", {}, "out_of_scope"),
        ("file:///etc/passwd", {"source_id": "x"}, "out_of_scope"),
    ],
)
def test_scope_of_a_loopback_source(tmp_path, url, meta, expected):
    assert outcome(middleware(tmp_path, LOOPBACK), url, meta) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.liitto.fi/b/", "allowed"),
        ("https://intranet.liitto.fi/", "private_address"),  # in scope by name, private by address
        ("https://meta.liitto.fi/latest/", "private_address"),  # link-local (cloud metadata)
        ("https://mc.liitto.fi/", "private_address"),  # multicast
        ("https://cgn.liitto.fi/", "private_address"),  # shared address space
        ("http://10.1.2.3/", "out_of_scope"),
        ("http://127.0.0.1:8000/", "out_of_scope"),
    ],
)
def test_a_public_source_never_reaches_private_addresses(tmp_path, url, expected):
    assert outcome(middleware(tmp_path, PUBLIC), url, {"source_id": "pub"}) == expected


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        ({}, {}),  # not a page request (robots.txt, sitemaps)
        ({"source_id": "x"}, {}),  # a page the store does not know
        (
            {"source_id": "x", "known": KnownPage("x", etag='"v1"', last_modified=MODIFIED)},
            {b"If-None-Match": b'"v1"', b"If-Modified-Since": MODIFIED.encode()},
        ),
        ({"source_id": "x", "known": KnownPage("x", etag='"v1"')}, {b"If-None-Match": b'"v1"'}),
        ({"source_id": "x", "known": KnownPage("x")}, {}),  # known, but no validators
        (  # a redirect hop: the validators were the original URL's
            {"source_id": "x", "known": KnownPage("x", etag='"v1"'), "redirect_urls": ["u"]},
            {},
        ),
    ],
)
def test_conditional_requests_carry_the_stored_validators(meta, expected):
    crawler = get_crawler(CouncilsSpider)
    mw = ConditionalRequestMiddleware.from_crawler(crawler)
    request = Request("http://127.0.0.2:8000/a/", meta=meta)
    mw.process_request(request)
    sent = {k: request.headers.get(k) for k in (b"If-None-Match", b"If-Modified-Since")}
    assert {k: v for k, v in sent.items() if v is not None} == expected
    assert crawler.stats.get_value("ris3watch/conditional_requests", 0) == (1 if expected else 0)


class RobotsEngine:
    """The engine's download as PoliteRobotsTxtMiddleware uses it: one robots.txt answer."""

    def __init__(self, answer):
        self.answer = answer
        self.downloads = []

    async def download_async(self, request):
        self.downloads.append(request.url)
        if isinstance(self.answer, Exception):
            raise self.answer
        status, body = self.answer
        return TextResponse(request.url, status=status, body=body, encoding="utf-8")


ROBOTS = b"User-agent: *\nDisallow: /private/\n"


@pytest.mark.parametrize(
    ("answer", "path", "expected"),
    [
        ((200, ROBOTS), "/a/", "allowed"),
        ((200, ROBOTS), "/private/x", "forbidden"),
        ((404, b"Not found"), "/private/x", "allowed"),  # no rules
        ((503, b"Busy"), "/a/", "robots_unavailable"),
        ((500, ROBOTS), "/a/", "robots_unavailable"),
        (TimeoutError("timed out"), "/a/", "robots_unavailable"),
        (DownloadTimeoutError("timed out"), "/a/", "robots_unavailable"),
        (ConnectionRefusedError(), "/a/", "allowed"),  # the page fails on its own
    ],
)
def test_robots_txt_policy(answer, path, expected):
    crawler = get_crawler(CouncilsSpider, {"ROBOTSTXT_OBEY": True})
    crawler.engine = RobotsEngine(answer)
    mw = PoliteRobotsTxtMiddleware.from_crawler(crawler)

    def outcome(url):
        try:
            asyncio.run(mw.process_request(Request(url)))
        except RobotsUnavailable:
            return "robots_unavailable"
        except IgnoreRequest:
            return "forbidden"
        return "allowed"

    assert outcome(f"http://127.0.0.2:8000{path}") == expected
    # The host's answer is kept: its other pages are decided without another download.
    assert outcome(f"http://127.0.0.2:8000{path}") == expected
    assert crawler.engine.downloads == ["http://127.0.0.2:8000/robots.txt"]


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        (b"2", 2.0),
        (b" 120 ", 120.0),
        (b"Wed, 02 Dec 2026 00:01:00 GMT", 60.0),
        (b"Wed, 02 Dec 2026 00:00:00 GMT", 0.0),  # a date in the past: now
        (b"Tue, 01 Dec 2026 23:00:00 GMT", 0.0),
        (b"soon", None),
        (b"-5", None),
        (b"", None),
        (None, None),
    ],
)
def test_retry_after_seconds(header, seconds):
    now = datetime(2026, 12, 2, 0, 0, 0, tzinfo=UTC)
    assert retry_after_seconds(header, now) == seconds

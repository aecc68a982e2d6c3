"""Scrapy components the Scrapy way: built from a real crawler, called with real requests.

Name resolution is stubbed by filling the middleware's address cache: nothing is resolved
and nothing leaves the machine.
"""

import asyncio
import ipaddress

import pytest
from scrapy import Request
from scrapy.utils.test import get_crawler

from crawler.middlewares import OutOfScope, ScopeMiddleware
from crawler.spiders.councils import CouncilsSpider

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

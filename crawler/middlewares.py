"""Downloader middlewares: the scope guard every request and redirect hop passes."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest

logger = logging.getLogger(__name__)


class OutOfScope(IgnoreRequest):
    """The request left its source's hosts or used a scheme other than http(s)."""


class ScopeMiddleware:
    """Refuse any request outside its source's scope, redirect hops included.

    Redirects come back through the downloader middlewares as new requests that keep the
    original's meta, so checking `meta["source_id"]` here covers every hop.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ScopeMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        spider = self.crawler.spider
        source = spider.source_for(request)
        # RobotsTxtMiddleware's own request carries no source: any source's host will do.
        robots = source is None and urlsplit(request.url).path == "/robots.txt"
        if robots and any(s.in_scope(request.url) for s in spider.sources):
            return None
        if source is None or not source.in_scope(request.url):
            origin = (request.meta.get("redirect_urls") or [request.url])[0]
            reason = "redirect_out_of_scope" if origin != request.url else "out_of_scope"
            self.stats.inc_value(f"ris3watch/refused/{reason}")
            logger.info("Refused %s (%s, from %s)", request.url, reason, origin)
            raise OutOfScope(f"{reason}: {request.url}")
        return None


class ConditionalRequestMiddleware:
    """Revalidate known pages: send the stored ETag / Last-Modified so that an unchanged page
    costs the council a 304 and us no extraction."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalRequestMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        if "source_id" not in request.meta or request.meta.get("redirect_urls"):
            return None
        known = self.crawler.spider.known.get(request.url)
        if known is None:
            return None
        if known.etag:
            request.headers.setdefault(b"If-None-Match", known.etag.encode("latin-1"))
        if known.last_modified:
            request.headers.setdefault(b"If-Modified-Since", known.last_modified.encode("latin-1"))
        if known.etag or known.last_modified:
            self.stats.inc_value("ris3watch/conditional_requests")
        return None

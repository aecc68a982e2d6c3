"""Downloader middlewares: the scope guard every request and redirect hop passes,
conditional requests, robots.txt's policy, and Retry-After."""

from __future__ import annotations

import ipaddress
import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from time import monotonic
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import DontCloseSpider, DownloadTimeoutError, IgnoreRequest
from scrapy.http import Response
from scrapy.utils.asyncio import CallLaterResult, call_later
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred
from twisted.internet.error import TCPTimedOutError, TimeoutError

from crawler.sources import Source

logger = logging.getLogger(__name__)


class OutOfScope(IgnoreRequest):
    """The request left its source's hosts or used a scheme other than http(s)."""


class ScopeMiddleware:
    """Refuse any request outside its source's scope, redirect hops included.

    Redirects come back through the downloader middlewares as new requests that keep the
    original's meta, so checking `meta["source_id"]` here covers every hop. A domain list
    is not an address check: a host that resolves to a private, loopback, link-local,
    multicast or reserved address is refused too, unless the source itself is configured on
    such an address, i.e. its start URLs name a non-public IP (a test mirror on 127.0.0.x).
    A DNS name is never trusted that way: DNS can be made to point anywhere. Names are
    resolved with the crawl's own resolver (Scrapy's cache), so check and connection agree.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.addresses: dict[str, list[ipaddress.IPv4Address | ipaddress.IPv6Address]] = {}
        self.private_sources: dict[str, bool] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ScopeMiddleware:
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        spider = self.crawler.spider
        source = spider.source_for(request)
        # RobotsTxtMiddleware's own request carries no source: any source's host will do.
        if source is None and urlsplit(request.url).path == "/robots.txt":
            source = next((s for s in spider.sources if s.in_scope(request.url)), None)
        if source is None or not source.in_scope(request.url):
            self._refuse(request, "out_of_scope")
        host = urlsplit(request.url).hostname or ""
        if not await self._source_on_private_network(source):
            for address in await self._resolve(host):
                if not address.is_global or address.is_multicast:
                    self._refuse(request, "private_address")
        return None

    def _refuse(self, request: Request, reason: str) -> None:
        origin = (request.meta.get("redirect_urls") or [request.url])[0]
        if reason == "out_of_scope" and origin != request.url:
            reason = "redirect_out_of_scope"
        self.stats.inc_value(f"ris3watch/refused/{reason}")
        logger.info("Refused %s (%s, from %s)", request.url, reason, origin)
        raise OutOfScope(f"{reason}: {request.url}")

    async def _source_on_private_network(self, source: Source) -> bool:
        if source.id not in self.private_sources:
            self.private_sources[source.id] = any(
                _non_public_ip(urlsplit(url).hostname or "") for url in source.start_urls
            )
        return self.private_sources[source.id]

    async def _resolve(self, host: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
        """The host's address (an IP literal as it is); [] when it does not resolve, so the
        download itself fails with a DNS error."""
        if host not in self.addresses:
            try:
                self.addresses[host] = [ipaddress.ip_address(host)]
            except ValueError:
                from twisted.internet import reactor

                try:
                    resolved = await maybe_deferred_to_future(reactor.resolve(host))
                    self.addresses[host] = [ipaddress.ip_address(resolved)]
                except Exception:  # noqa: BLE001 - any failure: let the download report it
                    self.addresses[host] = []
        return self.addresses[host]


def _non_public_ip(host: str) -> bool:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return not address.is_global or address.is_multicast


class ConditionalRequestMiddleware:
    """Revalidate known pages: send the stored ETag / Last-Modified so that an unchanged page
    costs the council a 304 and us no extraction.

    The validators travel with the request (`meta["known"]`, a `KnownPage` the spider sets
    for pages the store has); redirect hops are sent as they are.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalRequestMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        if "source_id" not in request.meta or request.meta.get("redirect_urls"):
            return None
        known = request.meta.get("known")
        if known is None:
            return None
        if known.etag:
            request.headers.setdefault(b"If-None-Match", known.etag.encode("latin-1"))
        if known.last_modified:
            request.headers.setdefault(b"If-Modified-Since", known.last_modified.encode("latin-1"))
        if known.etag or known.last_modified:
            self.stats.inc_value("ris3watch/conditional_requests")
        return None


class RobotsUnavailable(IgnoreRequest):
    """The host's robots.txt answered 5xx or timed out: its pages wait for another night."""

    skip_reason = "robots_unavailable"


_UNAVAILABLE = object()


class PoliteRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, with a policy for a robots.txt that cannot be read.

    Scrapy allows everything when robots.txt fails. Like the major search engines, this
    treats a 5xx or a timeout as "do not crawl this host now": its pages are skipped with
    the reason `robots_unavailable` (never errors, never removals). A 4xx still means
    "no rules"; a refused connection or DNS failure lets the pages fail on their own.
    """

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status >= 500:
            self._unavailable(netloc, f"HTTP {response.status}")
            return
        await super()._parse_robots(response, netloc, request)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        if isinstance(exc, (TimeoutError, DownloadTimeoutError, TCPTimedOutError)):
            self._unavailable(netloc, "timeout")
            return
        super()._robots_error(exc, netloc)

    def _unavailable(self, netloc: str, why: str) -> None:
        logger.warning("robots.txt of %s unavailable (%s): not crawling it this run", netloc, why)
        self._stats.inc_value("ris3watch/robots_unavailable")
        waiting = self._parsers[netloc]
        self._parsers[netloc] = _UNAVAILABLE
        if isinstance(waiting, Deferred):
            waiting.callback(_UNAVAILABLE)

    async def robot_parser(self, request: Request):
        """Scrapy's, read back from the cache once the shared Deferred has fired.

        Several requests of one host wait on one Deferred; awaiting it through asFuture()
        hands the parser to the first waiter only and None ("allow all") to the rest, so a
        host's revisits would slip past its robots.txt while it was being fetched.
        """
        parser = await super().robot_parser(request)
        cached = self._parsers.get(urlparse_cached(request).netloc)
        return parser if isinstance(cached, Deferred) else cached

    def state(self, netloc: str) -> str:
        """How this run read the host's robots.txt: "read" (rules apply), "unreadable" (it
        could not be fetched, so no rules apply, as in Scrapy), "unavailable" (5xx or a
        timeout: the host is not crawled) or "not_requested"."""
        parser = self._parsers.get(netloc)
        if parser is _UNAVAILABLE:
            return "unavailable"
        if netloc not in self._parsers or isinstance(parser, Deferred):
            return "not_requested"
        return "unreadable" if parser is None else "read"

    def process_request_2(self, rp, request: Request) -> None:
        if rp is _UNAVAILABLE:
            raise RobotsUnavailable(f"robots.txt unavailable: {request.url}")
        super().process_request_2(rp, request)


class RetryLater(IgnoreRequest):
    """The request waits outside the downloader for its host's Retry-After, then comes back:
    not an outcome (the spider's errback ignores it)."""


def retry_after_seconds(value: bytes | None, now: datetime | None = None) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - (now or datetime.now(UTC))).total_seconds(), 0.0)


class RetryAfterMiddleware:
    """Honour Retry-After on a 503 or 429 (Scrapy's RetryMiddleware does not, scrapy#3849).

    A short wait (at most RIS3WATCH_RETRY_AFTER_MAX seconds, 60) is waited within the run,
    per host: the URL and any other request to that host are held outside the downloader
    (a timer puts them back into the engine), so they occupy none of its slots and the
    other hosts keep downloading; the spider is kept open while any wait. Each URL waits
    once a run. A longer wait, or a second one, fails the URL for this run without Scrapy's
    immediate retries, and the frontier tries it again next run.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.max_wait = crawler.settings.getfloat("RIS3WATCH_RETRY_AFTER_MAX")
        self.paused: dict[str, float] = {}  # host -> monotonic() when its wait ends
        self.timers: set[CallLaterResult] = set()
        crawler.signals.connect(self._idle, signal=signals.spider_idle)
        crawler.signals.connect(self._closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfterMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        if "source_id" not in request.meta:
            return None  # RobotsTxtMiddleware's own request: its errback would allow all
        host = urlparse_cached(request).netloc
        until = self.paused.get(host)
        if until is None:
            return None
        wait = until - monotonic()
        if wait <= 0:
            del self.paused[host]
            return None
        self._later(request, wait)
        raise RetryLater(f"waiting {wait:.1f} s for {host}: {request.url}")

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status not in (429, 503) or "source_id" not in request.meta:
            return response
        seconds = retry_after_seconds(response.headers.get(b"Retry-After"))
        if seconds is None:
            return response  # Scrapy's retries, as for any 5xx
        if seconds > self.max_wait or request.meta.get("retry_after_waited"):
            request.meta["dont_retry"] = True
            self.stats.inc_value("ris3watch/retry_after_next_run")
            return response
        host = urlparse_cached(request).netloc
        self.paused[host] = max(self.paused.get(host, 0.0), monotonic() + seconds)
        self.stats.inc_value("ris3watch/retry_after_waits")
        logger.info("%s asks to retry after %.0f s: %s", host, seconds, request.url)
        retry = request.replace(dont_filter=True)
        retry.meta["retry_after_waited"] = True
        self._later(retry, seconds)
        raise RetryLater(f"retry after {seconds:.0f} s: {request.url}")

    def _later(self, request: Request, seconds: float) -> None:
        def resume() -> None:
            self.timers.discard(timer)
            self.crawler.engine.crawl(request)

        timer = call_later(seconds, resume)
        self.timers.add(timer)

    def _idle(self) -> None:
        if self.timers:
            raise DontCloseSpider

    def _closed(self) -> None:
        for timer in self.timers:
            timer.cancel()
        self.timers.clear()

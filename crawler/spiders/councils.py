"""The one spider: every source in the registry, from start URLs, robots.txt sitemaps and links.

It only navigates. Each fetched page goes on as a `RawPage`; each failure as a
`FetchFailure`; each URL it decides not to fetch is counted and logged with a reason.
A page is parsed once, in an extraction worker: the item pipeline hands the links the
worker found back to `follow`, so the reactor thread never parses HTML.

The spider and the store meet at two calls, both made by the item pipeline:
- `prepare(knowledge)` once, when the pipeline opens (Scrapy opens item pipelines before it
  pulls the first start request): what the store already has and what the frontier
  schedules this run. `start` refuses to run without it.
- `follow(page, urls)` for each stored page, and for each 304 with the links stored for it:
  the spider decides which links to follow and schedules them; nothing else schedules
  requests. Each URL it decides to request that the frontier does not know yet goes to
  `knowledge.frontier.discovered` first, so a kill at any moment loses none.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urldefrag, urlsplit

import scrapy
from scrapy.crawler import Crawler
from scrapy.exceptions import (
    CannotResolveHostError,
    CloseSpider,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Request, Response, TextResponse
from scrapy.linkextractors import IGNORED_EXTENSIONS
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots
from twisted.internet.error import (
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)
from twisted.python.failure import Failure

from crawler.items import (
    Discovery,
    Due,
    Excluded,
    FetchFailure,
    FrontierWriter,
    Gone,
    KnownPage,
    NotModified,
    RawPage,
    StoreKnowledge,
)
from crawler.middlewares import OutOfScope, RetryLater
from crawler.sources import Source, load_sources
from extract.vocabulary import DOCUMENT_KINDS, is_document_url

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_SITEMAP_MAX_BYTES = 50 * 1024 * 1024
# Links to these are never pages (images, archives, office files...); PDFs are documents.
_NOT_PAGES = tuple(f".{e}" for e in IGNORED_EXTENSIONS if e not in DOCUMENT_KINDS)
# Scrapy's URLLENGTH_LIMIT: longer URLs are calendar and session-id traps.
_MAX_URL_LENGTH = 2083
# Statuses the page callback handles itself: revalidation and the server's own "gone".
_PAGE_STATUSES = [304, 404, 410]
# Never pages, on any CMS: Cloudflare's email-protection endpoint.
_ALWAYS_DENY = ("/cdn-cgi/",)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class CouncilsSpider(scrapy.Spider):
    name = "councils"

    def __init__(
        self,
        sources: str | Sequence[Source] | None = None,
        source: str | None = None,
        max_pages: int | str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.sources_path = sources
        self.only = [s for s in (source or "").split(",") if s]
        self.max_pages_arg = max_pages
        self.scheduled = 0
        self.seen: set[str] = set()
        self._known: Mapping[str, KnownPage] | None = None  # set by `prepare`
        self.due: Sequence[Due] = ()
        self.held: Mapping[str, str] = {}
        self.in_frontier: set[str] = set()
        self.found: list[Discovery] = []  # discovered, written before they are requested
        # source id -> url -> why it is never requested this run, whoever links to it: a
        # re-crawl meets the same links on every 304 and decides each once.
        self.ruled_out: dict[str, dict[str, str]] = defaultdict(dict)
        self.frontier: FrontierWriter | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> CouncilsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        # The registry as loaded by the caller (`run_crawl`), or a path (`scrapy crawl`).
        registry = spider.sources_path or settings.get("RIS3WATCH_SOURCES")
        if isinstance(registry, str):
            registry = load_sources(registry)
        known = {s.id for s in registry}
        unknown = [s for s in spider.only if s not in known]
        if unknown:
            raise ValueError(f"unknown source id(s): {', '.join(unknown)}")
        spider.sources = [
            s for s in registry if (s.id in spider.only if spider.only else s.enabled)
        ]
        spider.by_id = {s.id: s for s in spider.sources}
        spider.max_pages = int(spider.max_pages_arg or settings.getint("RIS3WATCH_MAX_PAGES"))
        return spider

    def prepare(self, knowledge: StoreKnowledge) -> None:
        """What the store knows, before the start requests are built: the one way the
        store's knowledge reaches the spider (the item pipeline calls it when it opens)."""
        self._known = dict(knowledge.pages)
        self.due = knowledge.due
        self.held = knowledge.held
        self.in_frontier = {due.url for due in self.due} | set(self.held)
        self.frontier = knowledge.frontier

    @property
    def known(self) -> Mapping[str, KnownPage]:
        """The store's pages, as handed to `prepare` (read-only)."""
        if self._known is None:
            raise RuntimeError("the spider was not prepared: the item pipeline calls prepare()")
        return self._known

    def source_for(self, request: Request) -> Source | None:
        return self.by_id.get(request.meta.get("source_id", ""))

    async def start(self) -> AsyncIterator[Request]:
        if self.frontier is None:
            raise RuntimeError("the spider was not prepared: the item pipeline calls prepare()")
        due: dict[str, list[Due]] = defaultdict(list)
        for entry in self.due:
            due[entry.source_id].append(entry)
        unlisted: dict[str, list[tuple[str, KnownPage]]] = defaultdict(list)
        for url, page in self.known.items():
            if url not in self.in_frontier:
                unlisted[page.source_id].append((url, page))
        for source in self.sources:
            for base in dict.fromkeys(_base(url) for url in source.start_urls):
                yield Request(
                    f"{base}/robots.txt",
                    callback=self.parse_robots,
                    errback=self.on_aux_error,
                    meta={"source_id": source.id, "depth": 0},
                    priority=10,
                )
            starts = [
                request
                for url in source.start_urls
                if (request := self.page_request(source, url, depth=0, start=True))
            ]
            self.record_found()  # a start URL may be new; what is due is in the frontier
            for request in starts:
                yield request
            # What the frontier schedules: every page fetched before, whether or not links
            # still reach it (that is how removals and restorations are noticed), every URL
            # still pending, every failed one whose retry is due.
            for entry in due.pop(source.id, ()):
                if request := self.page_request(source, entry.url, entry.depth, due=True):
                    yield request
            # A page the store has that the frontier does not know (written by another
            # writer) is revisited all the same, and so joins the frontier.
            strays = [
                request
                for url, page in unlisted.pop(source.id, ())
                if (request := self.page_request(source, url, page.depth))
            ]
            self.record_found()
            for request in strays:
                yield request

    def page_request(
        self,
        source: Source,
        url: str,
        depth: int,
        referer: str | None = None,
        *,
        start: bool = False,
        due: bool = False,
    ) -> Request | None:
        """A request for a page of `source`, or None (counted, logged) when it is skipped.

        The spider de-duplicates URLs itself (`dont_filter`), so that a redirect to a page
        already fetched is followed again rather than silently dropped by the dupefilter.
        Shallow pages go first (`priority`), as with Scrapy's DEPTH_PRIORITY. A page the
        store knows carries its `KnownPage` in `meta["known"]`, for conditional requests.
        A URL the frontier holds back (`backoff`, `gone`, `excluded`) is skipped unless it is
        a `start` URL; a `due` URL the source's rules now rule out becomes `excluded`. A URL
        new to the frontier is collected in `found` (see `record_found`), also when
        `--max-pages` leaves it for a later run.
        """
        url = urldefrag(url)[0]
        if url in self.seen:
            return None
        if reason := _ruled_out(source, url):
            if due:
                self.frontier.excluded(url, source.id, reason)
            self.ruled_out[source.id][url] = reason
            return self.skip(url, reason)
        if not start and (held := self.held.get(url)):
            self.ruled_out[source.id][url] = held
            return self.skip(url, held)
        if url not in self.in_frontier:
            self.in_frontier.add(url)
            self.found.append(Discovery(url, source.id, depth, referer))
        if self.max_pages and self.scheduled >= self.max_pages:
            return self.skip(url, "max_pages")
        self.seen.add(url)
        self.scheduled += 1
        self.crawler.stats.inc_value("ris3watch/scheduled")
        meta = {
            "source_id": source.id,
            "page_depth": depth,
            "handle_httpstatus_list": _PAGE_STATUSES,
        }
        if (known := self.known.get(url)) is not None:
            meta["known"] = known
        return Request(
            url,
            callback=self.parse_page,
            errback=self.on_error,
            dont_filter=True,
            priority=-depth,
            headers={"Referer": referer} if referer else None,
            meta=meta,
        )

    def record_found(self) -> None:
        """Write the URLs discovered since the last call to the frontier; called before the
        requests for them leave the spider."""
        if self.found:
            self.frontier.discovered(self.found)
            self.found = []

    def skip(self, url: str, reason: str) -> None:
        self.crawler.stats.inc_value(f"ris3watch/skipped/{reason}")
        self.logger.debug("Skipped %s (%s)", url, reason)
        return None

    def settle(self, url: str, reason: str) -> None:
        """A scheduled page that ends as a deliberate skip (it counts as accounted for)."""
        self.crawler.stats.inc_value(f"ris3watch/skipped/{reason}")
        self.crawler.stats.inc_value("ris3watch/settled_skips")
        self.logger.info("Skipped %s (%s)", url, reason)

    def parse_robots(self, response: Response) -> Iterator[Request]:
        source = self.source_for(response.request)
        if not isinstance(response, TextResponse) or source is None:
            return
        for url in sitemap_urls_from_robots(response.body, base_url=response.url):
            if source.in_scope(url):
                yield self.sitemap_request(source, url)
            else:
                self.skip(url, "out_of_scope")

    def sitemap_request(self, source: Source, url: str) -> Request:
        return Request(
            url,
            callback=self.parse_sitemap,
            errback=self.on_aux_error,
            meta={"source_id": source.id},
            priority=5,
        )

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        source = self.source_for(response.request)
        body = response.body
        if body[:2] == b"\x1f\x8b":
            try:
                body = gunzip(body, max_size=_SITEMAP_MAX_BYTES)
            except (OSError, ValueError):
                self.logger.warning("Unreadable gzip sitemap %s", response.url)
                return
        sitemap = Sitemap(body)
        if sitemap.type == "sitemapindex":
            for entry in sitemap:
                if source.in_scope(entry["loc"]):
                    yield self.sitemap_request(source, entry["loc"])
            return
        requests = [
            request
            for entry in sitemap
            if (request := self.page_request(source, entry["loc"], depth=1))
        ]
        self.record_found()
        yield from requests

    def parse_page(
        self, response: Response
    ) -> list[RawPage | NotModified | Gone | FetchFailure | Excluded]:
        """At most one item. A list, not a generator: Scrapy re-reads a generator callback's
        source for every response (to warn about `return` values), 7 % of a re-crawl."""
        source = self.source_for(response.request)
        url = (response.meta.get("redirect_urls") or [response.url])[0]
        if response.status == 304:
            return [
                NotModified(
                    url=url,
                    source_id=source.id,
                    fetched_at=now(),
                    depth=response.meta.get("page_depth", 0),
                    final_url=response.url,
                )
            ]
        if response.status in (404, 410):
            if url in self.known:
                return [
                    Gone(url=url, source_id=source.id, status=response.status, fetched_at=now())
                ]
            return [
                FetchFailure(
                    url=url,
                    source_id=source.id,
                    status=response.status,
                    error=f"http_{response.status}",
                    at=now(),
                )
            ]
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
        page = RawPage(
            url=url,
            final_url=response.url,
            source_id=source.id,
            status=response.status,
            content_type=content_type,
            body=response.body,
            fetched_at=now(),
            depth=response.meta.get("page_depth", 0),
            headers={
                name: response.headers.get(name.encode()).decode("latin-1")
                for name in ("ETag", "Last-Modified")
                if response.headers.get(name.encode())
            },
        )
        if not page.is_document and not (
            isinstance(response, TextResponse)
            and (content_type.startswith(_HTML_TYPES) or not content_type)
        ):
            reason = f"not_html:{content_type.split(';')[0] or 'unknown'}"
            self.settle(response.url, reason)
            return [Excluded(url=url, source_id=source.id, reason=reason, at=now())]
        return [page]

    def follow(self, page: RawPage | NotModified, urls: Iterable[str]) -> int:
        """Schedule the links of a stored HTML page (found by its extraction worker, or stored
        for a page that answered 304) that the crawl follows; return how many."""
        requests = self.link_requests(page, urls)
        self.record_found()
        for request in requests:
            self.crawler.engine.crawl(request)
        return len(requests)

    def link_requests(self, page: RawPage | NotModified, urls: Iterable[str]) -> list[Request]:
        """Requests for the links of `page` that are followed (scope, depth, file types);
        the others are counted as skipped. A link already requested this run costs one
        look-up: a re-crawl hands on every 304's links."""
        source = self.by_id[page.source_id]
        depth = page.depth
        ruled_out = self.ruled_out[source.id]
        requests = []
        for url in urls:
            if "#" in url:
                url = urldefrag(url)[0]
            if url in self.seen:
                continue
            if (reason := ruled_out.get(url)) is not None:
                self.crawler.stats.inc_value(f"ris3watch/skipped/{reason}")
                continue
            if is_document_url(url):
                # Linked documents are fetched whatever the depth: strategies hang off leaves.
                if not source.in_scope(url):
                    ruled_out[url] = "out_of_scope"
                    self.skip(url, "out_of_scope")
                    continue
            elif urlsplit(url).path.lower().endswith(_NOT_PAGES):
                ruled_out[url] = "not_a_page"
                self.skip(url, "not_a_page")
                continue
            elif depth >= source.max_depth:
                self.skip(url, "max_depth")
                continue
            if request := self.page_request(source, url, depth + 1, referer=page.final_url):
                requests.append(request)
        return requests

    def on_error(self, failure: Failure) -> Iterator[FetchFailure]:
        request = failure.request
        source_id = request.meta.get("source_id", "")
        url = (request.meta.get("redirect_urls") or [request.url])[0]
        error = failure.value
        if isinstance(error, RetryLater):
            return  # it waits for its host's Retry-After, and comes back
        # HttpError (a 5xx after retries) and OutOfScope subclass IgnoreRequest: failures.
        deliberate = isinstance(error, IgnoreRequest) and not isinstance(
            error, (OutOfScope, HttpError)
        )
        if deliberate and not _failed_refusal(error):
            # A robots.txt refusal (or another deliberate skip) is not an error of the page.
            default = "robots_txt" if "robots" in str(error) else "ignored"
            reason = getattr(error, "skip_reason", None) or default
            self.settle(request.url, reason)
            if reason == "robots_txt":
                yield Excluded(url=url, source_id=source_id, reason=reason, at=now())
            return
        status = None
        if isinstance(error, HttpError):
            status = error.response.status
        yield FetchFailure(
            url=url, source_id=source_id, status=status, error=describe_failure(failure), at=now()
        )

    def on_aux_error(self, failure: Failure) -> None:
        """robots.txt and sitemaps are optional: a failure is logged, not stored."""
        self.logger.info("No %s: %s", failure.request.url, describe_failure(failure))


def _ruled_out(source: Source, url: str) -> str | None:
    """Why the source's rules never fetch `url`, or None."""
    if len(url) > _MAX_URL_LENGTH:
        return "url_too_long"
    if not source.in_scope(url):
        return "out_of_scope"
    if source.denies(url) or any(part in url for part in _ALWAYS_DENY):
        return "denied_by_source"
    return None


# Refusals Scrapy raises as IgnoreRequest that are failures of the page, not skips.
_FAILED_REFUSALS = {"max redirections reached": "too_many_redirects"}


def _failed_refusal(error: IgnoreRequest) -> bool:
    """Too many redirects, or a body over DOWNLOAD_MAXSIZE once decompressed (a bomb)."""
    return str(error) in _FAILED_REFUSALS or "DOWNLOAD_MAXSIZE" in str(error)


def describe_failure(failure: Failure) -> str:
    """A short, stable reason for `fetch_errors.error` (the code before any ':')."""
    error = failure.value
    if isinstance(error, HttpError):
        return f"http_{error.response.status}"
    if isinstance(error, OutOfScope):
        return str(error)
    if isinstance(error, IgnoreRequest) and str(error) in _FAILED_REFUSALS:
        return _FAILED_REFUSALS[str(error)]
    if isinstance(error, (DNSLookupError, CannotResolveHostError)):
        return "dns_error"
    if isinstance(error, DownloadCancelledError) or (
        isinstance(error, IgnoreRequest) and "DOWNLOAD_MAXSIZE" in str(error)
    ):
        # Scrapy cancels a download only when it outgrows DOWNLOAD_MAXSIZE (also once
        # decompressed: a gzip or brotli bomb).
        return f"too_large: {error}"[:300]
    if isinstance(error, ResponseDataLossError) or (
        isinstance(error, DownloadFailedError) and "loss" in str(error).lower()
    ):
        return "truncated"
    if isinstance(error, (TimeoutError, TCPTimedOutError, DownloadTimeoutError)):
        return "timeout"
    if isinstance(error, (ConnectionRefusedError, DownloadConnectionRefusedError)):
        return "connection_refused"
    if isinstance(error, CloseSpider):
        return "closed"
    return f"{type(error).__name__}: {error}"[:300]


def _base(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"

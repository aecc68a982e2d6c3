"""`sources check`: each start URL of the registry fetched once, as the nightly crawl would.

A `CouncilsSpider` in everything but what it requests: the same registry loading and
source selection, the same settings (User-Agent, robots.txt, one request per host at a
time, timeouts, retries) and the same downloader middlewares, so a redirect out of scope
is refused at the hop exactly as in a crawl and its target is never requested. It follows
no links and stores nothing: it records what each start URL answered (`StartUrlCheck`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.settings import BaseSettings
from twisted.python.failure import Failure

from crawler.items import StartUrlCheck
from crawler.middlewares import OutOfScope, PoliteRobotsTxtMiddleware, RobotsUnavailable
from crawler.spiders.councils import CouncilsSpider, describe_failure

# Every answer reaches the callback (redirects are still followed: 3xx are not listed).
_ANSWERS = list(range(200, 300)) + list(range(400, 600))
_ROBOTS = {"read": "allowed", "unreadable": "unreadable", "unavailable": "unavailable"}


class SourcesCheckSpider(CouncilsSpider):
    """Requests each start URL once and records its answer in `results` (see above)."""

    name = "sources_check"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.results: list[StartUrlCheck] = []

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        super().update_settings(settings)
        # A check stores nothing: every item pipeline (the store) is switched off.
        pipelines = settings.getdict("ITEM_PIPELINES")
        settings.set("ITEM_PIPELINES", dict.fromkeys(pipelines), priority="spider")

    async def start(self) -> AsyncIterator[Request]:
        for source in self.sources:
            for url in source.start_urls:
                yield Request(
                    url,
                    callback=self.parse_start,
                    errback=self.on_start_error,
                    dont_filter=True,
                    meta={"source_id": source.id, "handle_httpstatus_list": _ANSWERS},
                )

    def parse_start(self, response: Response) -> list:
        """A start URL answered (any status): what it answered, where it ended."""
        request = response.request
        source = self.source_for(request)
        self.results.append(
            StartUrlCheck(
                source_id=source.id,
                url=_origin(request),
                status=response.status,
                final_url=response.url,
                redirects=_hops(request),
                in_scope=source.in_scope(response.url),
                robots=self._robots(response.url),
                error=None if response.status == 200 else f"http_{response.status}",
                content_type=response.headers.get(b"Content-Type", b"").decode("latin-1"),
                last_modified=(response.headers.get(b"Last-Modified") or b"").decode("latin-1")
                or None,
                body=response.body,
            )
        )
        return []

    def on_start_error(self, failure: Failure) -> None:
        """A start URL refused (scope, robots.txt) or unreachable, with the crawl's reason."""
        request, error = failure.request, failure.value
        hops = _hops(request)
        if isinstance(error, OutOfScope):
            # Refused before it was sent: robots.txt is that of the URL that redirected.
            reason = str(error).split(":")[0]
            robots = self._robots(hops[-2][1] if len(hops) > 1 else _origin(request))
            if not hops:
                robots = "not_requested"  # the start URL itself (a private address)
        elif isinstance(error, RobotsUnavailable):
            reason, robots = "robots_unavailable", "unavailable"
        elif isinstance(error, IgnoreRequest) and "robots" in str(error).lower():
            reason, robots = "robots_txt", "disallowed"
        else:
            reason, robots = describe_failure(failure), self._robots(request.url)
        last = hops[-1][0] if hops else None
        self.results.append(
            StartUrlCheck(
                source_id=request.meta["source_id"],
                url=_origin(request),
                status=last if isinstance(last, int) else None,
                final_url=request.url,
                redirects=hops,
                in_scope=not isinstance(error, OutOfScope),
                robots=robots,
                error=reason,
            )
        )

    def _robots(self, url: str) -> str:
        """The robots.txt verdict the crawl applied to the host of a requested URL."""
        middleware = next(
            (
                m
                for m in self.crawler.engine.downloader.middleware.middlewares
                if isinstance(m, PoliteRobotsTxtMiddleware)
            ),
            None,
        )
        if middleware is None:
            return "not_obeyed"  # ROBOTSTXT_OBEY lifted for this run
        state = middleware.state(urlsplit(url).netloc)
        return _ROBOTS.get(state, state)


def _origin(request: Request) -> str:
    return (request.meta.get("redirect_urls") or [request.url])[0]


def _hops(request: Request) -> list[tuple[int | str, str]]:
    """(status, target) for each redirect that led to `request`."""
    urls = request.meta.get("redirect_urls") or []
    reasons = request.meta.get("redirect_reasons") or []
    return list(zip(reasons, [*urls[1:], request.url], strict=False)) if urls else []

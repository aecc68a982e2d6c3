"""What the spider hands on: raw fetched pages and fetch failures, never a Response."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from extract.vocabulary import is_document_body


@dataclass
class RawPage:
    url: str  # the URL the crawl asked for
    final_url: str  # after redirects
    source_id: str
    status: int
    content_type: str
    body: bytes = field(repr=False)  # a dropped item is logged: never megabytes of page
    fetched_at: str
    depth: int = 0
    headers: dict[str, str] = field(default_factory=dict)  # ETag, Last-Modified

    @property
    def is_document(self) -> bool:
        return is_document_body(self.content_type, self.body)


@dataclass
class NotModified:
    """A 304 to a conditional request: the page was seen and has not changed."""

    url: str
    source_id: str
    fetched_at: str


@dataclass
class Gone:
    """A known page answering 404 or 410: the server itself says it was removed."""

    url: str
    source_id: str
    status: int
    fetched_at: str


@dataclass(frozen=True)
class KnownPage:
    """What the store remembers of a page, so each run revisits it conditionally."""

    source_id: str
    depth: int = 0
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class StoreKnowledge:
    """What the store knows when a crawl opens, handed to the spider once, before its start
    requests, by `CouncilsSpider.prepare`.

    `pages`: every page and document of the crawled sources (removed ones too, they may
    come back), by URL. The spider revisits each, conditionally when validators are known.
    """

    pages: Mapping[str, KnownPage] = field(default_factory=dict)


@dataclass
class FetchFailure:
    url: str
    source_id: str
    status: int | None
    error: str
    at: str


@dataclass
class StartUrlCheck:
    """What one start URL answered to `sources check`: the facts, judged elsewhere."""

    source_id: str
    url: str
    status: int | None  # the last answer's HTTP status; None when nothing answered
    final_url: str  # where the redirects end (an out-of-scope target is never fetched)
    redirects: list[tuple[int | str, str]]  # (status or "meta refresh", target) per hop
    in_scope: bool  # whether final_url is in the source's scope
    robots: str  # allowed, disallowed, unavailable, unreadable (no rules applied)
    error: str | None  # the crawl's reason: http_404, redirect_out_of_scope, robots_txt...
    content_type: str = ""
    last_modified: str | None = None
    body: bytes = field(default=b"", repr=False)

"""What the spider hands on: raw fetched pages and fetch failures, never a Response."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

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
    """A 304 to a conditional request: the page was seen and has not changed. Its stored
    outlinks are followed as if it had been fetched again (`depth`, `final_url` for that)."""

    url: str
    source_id: str
    fetched_at: str
    depth: int = 0
    final_url: str = ""


@dataclass
class Excluded:
    """A requested URL that turned out to be no page of the crawl (robots.txt refused it, or
    it is not HTML): a deliberate skip, which the frontier remembers."""

    url: str
    source_id: str
    reason: str
    at: str


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
class Due:
    """A URL the frontier schedules for this run."""

    url: str
    source_id: str
    depth: int = 0


@dataclass(frozen=True)
class Discovery:
    """A URL the crawl decided to request (or left for a later run by `--max-pages`)."""

    url: str
    source_id: str
    depth: int
    discovered_from: str | None = None


class FrontierWriter(Protocol):
    """The spider's only writes to the frontier, made before the requests they concern."""

    def discovered(self, found: Sequence[Discovery]) -> None:
        """New URLs the spider is about to request (or leaves for a later run)."""

    def excluded(self, url: str, source_id: str, reason: str) -> None:
        """A scheduled URL the source's rules now rule out (scope, deny patterns, length)."""


class Unrecorded:
    """A frontier writer that writes nothing: a spider driven without a store (tests)."""

    def discovered(self, found: Sequence[Discovery]) -> None:
        return None

    def excluded(self, url: str, source_id: str, reason: str) -> None:
        return None


@dataclass(frozen=True)
class StoreKnowledge:
    """What the store knows when a crawl opens, handed to the spider once, before its start
    requests, by `CouncilsSpider.prepare`.

    `pages`: every page and document of the crawled sources (removed ones too), by URL, with
    the validators for conditional requests. `due`: what the frontier schedules this run
    (pending and fetched URLs, failed ones whose retry is due), besides the start URLs.
    `held`: URLs of the frontier not to request this run even when linked, with why
    (`backoff`, `gone`, `excluded`). `frontier`: where the spider writes each new URL it
    decides to request, before the request is made (the store's open group of writes).
    """

    pages: Mapping[str, KnownPage] = field(default_factory=dict)
    due: Sequence[Due] = ()
    held: Mapping[str, str] = field(default_factory=dict)
    frontier: FrontierWriter = field(default_factory=Unrecorded)


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

"""Plain records that `extract` returns: no Scrapy, no SQLite."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Contact:
    """A person (or an organisation's shared mailbox) named on a page."""

    name: str | None
    title: str | None
    email: str | None
    phone: str | None
    name_as_written: str | None = None
    kind: str = "person"  # "person" | "organisation"


@dataclass(frozen=True)
class Link:
    url: str
    text: str


@dataclass(frozen=True)
class PageRecord:
    url: str
    title: str | None
    text: str
    language: str | None
    description: str | None
    published: str | None
    updated: str | None
    relevant: bool
    relevance: float
    contacts: tuple[Contact, ...] = ()
    links: tuple[Link, ...] = ()
    documents: tuple[Link, ...] = field(default=())
    priorities: tuple[str, ...] = ()
    # Block keys of the page before its source's template was removed (extract/template.py):
    # what the pipeline learns the next template from.
    blocks: tuple[str, ...] = ()
    title_candidates: tuple[str, ...] = ()  # best first; the pipeline re-chooses from them
    relevance_grade: str = "off_topic"  # "core" | "related" | "off_topic"; relevant = not off_topic
    # "stage:ExceptionType" -> count: fields that failed and were left empty.
    field_errors: dict[str, int] = field(default_factory=dict)
    cleaning_fallback: bool = False  # pre-cleaning removed content; Trafilatura's text kept


@dataclass(frozen=True)
class DocumentRecord:
    url: str
    title: str | None
    text: str
    pages: int

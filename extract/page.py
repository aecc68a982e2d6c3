"""One council page: bytes + URL in, a `PageRecord` out. The tree is parsed once."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from typing import Any, TypeVar

from lxml.html import HtmlElement

from .contacts import extract_contacts
from .dates import find_dates
from .errors import EmptyPage
from .html import content_headings, decode_html, meta_values, page_parts, parse_html
from .language import declared_language, detect_language
from .links import extract_links
from .models import PageRecord
from .priorities import extract_priorities
from .relevance import score_relevance
from .template import NO_TEMPLATE, Template, apply_template, page_blocks
from .text import MainText, extract_text
from .title import choose_title, title_candidates
from .vocabulary import SPACES, is_document_url

logger = logging.getLogger(__name__)
T = TypeVar("T")


def extract_page(
    body: bytes,
    url: str,
    content_type: str | None = None,
    organisation: str | None = None,
    template: Template = NO_TEMPLATE,
) -> PageRecord:
    """Everything ris3watch keeps of an HTML page.

    Only undecodable input is a page-level failure (`NotHtml`, `EmptyPage`). Each field is
    a stage of its own: one that raises is logged with the URL, counted in
    `field_errors` ("stage:ExceptionType") and left empty, and the page keeps the rest.
    Order matters: the stages share one tree, and two change it in place — contacts
    (cloaked addresses become mail links) and text (chrome removed) — so fields that need
    the raw markup (dates in bylines, links) are read before the text stage strips it.
    `template` is what the pipeline learned of the page's source (none on a cold start:
    the rules alone); the record's `blocks` are this page's, for the next time it learns.
    """
    tree = parse_html(decode_html(body, content_type))
    # lxml builds a Python proxy (and looks up its class) each time an element
    # is reached while no proxy of it is alive; the stages walk the tree a dozen times, so
    # holding one proxy per element for the page's lifetime builds each proxy only once.
    proxies = list(tree.iter())  # noqa: F841 - kept alive, never read
    stage = _Stages(url)
    parts = stage("parts", None, page_parts, tree)  # None: each stage finds its own
    metas = parts.metas if parts else list(tree.iter("meta"))
    candidates = stage("title", [], title_candidates, tree, parts)
    title = stage("title", None, choose_title, candidates, template.titles)
    description = stage("description", None, _description, metas)
    declared = stage("language", None, declared_language, tree, metas)
    links = stage("links", [], extract_links, tree, url)
    contacts = stage("contacts", [], extract_contacts, tree, organisation)
    priorities = stage("priorities", [], extract_priorities, tree)
    published, updated = stage("dates", (None, None), find_dates, tree, parts)
    headings = stage("headings", [], content_headings, tree, parts)
    raw_text, fallback = stage("text", MainText("", False), extract_text, tree, url)
    blocks = stage("template", (), page_blocks, raw_text, candidates)
    text = stage("template", raw_text, apply_template, raw_text, template, title)
    if not text and not title and not stage.failed("title", "text"):
        raise EmptyPage("no text and no title")
    relevant, relevance, grade = stage(
        "relevance", (False, 0.0, "off_topic"), score_relevance, title, text, headings
    )
    language = stage("language", None, detect_language, text or title or "", declared)
    return PageRecord(
        url=url,
        title=title,
        text=text,
        language=language,
        description=description,
        published=published,
        updated=updated,
        relevant=relevant,
        relevance=relevance,
        contacts=tuple(contacts),
        links=tuple(links),
        documents=tuple(link for link in links if is_document_url(link.url)),
        priorities=tuple(priorities),
        blocks=blocks,
        title_candidates=tuple(candidates),
        relevance_grade=grade,
        field_errors=dict(stage.errors),
        cleaning_fallback=fallback,
    )


class _Stages:
    """Runs one field's stage; a failure there costs that field, never the page."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.errors: Counter[str] = Counter()

    def __call__(self, name: str, empty: T, function: Callable[..., T], *args: Any) -> T:
        try:
            return function(*args)
        except Exception as exc:  # noqa: BLE001 - any bug in one field; counted, logged
            self.errors[f"{name}:{type(exc).__name__}"] += 1
            logger.warning(
                "%s: %s stage failed (%s: %s); field left empty",
                self.url,
                name,
                type(exc).__name__,
                exc,
                exc_info=logger.isEnabledFor(logging.DEBUG),
            )
            return empty

    def failed(self, *names: str) -> bool:
        return any(key.split(":", 1)[0] in names for key in self.errors)


def _description(metas: list[HtmlElement]) -> str | None:
    for key, name in (("name", "description"), ("property", "og:description")):
        values = [SPACES.sub(" ", v).strip() for v in meta_values(metas, key, name)]
        if values and values[0]:
            return values[0]
    return None

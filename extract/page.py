"""One council page: bytes + URL in, a `PageRecord` out. The tree is parsed once."""

from __future__ import annotations

from lxml.html import HtmlElement

from .contacts import extract_contacts
from .dates import find_dates
from .errors import EmptyPage
from .html import content_headings, decode_html, parse_html
from .language import declared_language, detect_language
from .links import extract_links
from .models import PageRecord
from .priorities import extract_priorities
from .relevance import score_relevance
from .template import NO_TEMPLATE, Template, apply_template, page_blocks
from .text import extract_text
from .title import choose_title, title_candidates
from .vocabulary import SPACES, is_document_url


def extract_page(
    body: bytes,
    url: str,
    content_type: str | None = None,
    organisation: str | None = None,
    template: Template = NO_TEMPLATE,
) -> PageRecord:
    """Everything ris3watch keeps of an HTML page.

    Order matters: the stages share one tree, and two change it in place — contacts
    (cloaked addresses become mail links) and text (chrome removed) — so fields that need
    the raw markup (dates in bylines, links) are read before the text stage strips it.
    `template` is what the pipeline learned of the page's source (none on a cold start:
    the rules alone); the record's `blocks` are this page's, for the next time it learns.
    """
    tree = parse_html(decode_html(body, content_type))
    candidates = title_candidates(tree)
    title = choose_title(candidates, template.titles)
    description = _description(tree)
    declared = declared_language(tree)
    links = extract_links(tree, url)
    contacts = extract_contacts(tree, organisation)
    priorities = extract_priorities(tree)
    published, updated = find_dates(tree)
    headings = content_headings(tree)
    raw_text = extract_text(tree, url)
    blocks = page_blocks(raw_text, candidates)
    text = apply_template(raw_text, template, title)
    if not text and not title:
        raise EmptyPage("no text and no title")
    relevant, relevance, grade = score_relevance(title, text, headings)
    return PageRecord(
        url=url,
        title=title,
        text=text,
        language=detect_language(text or title or "", declared),
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
    )


def _description(tree: HtmlElement) -> str | None:
    for xpath in (
        "//meta[@name='description']/@content",
        "//meta[@property='og:description']/@content",
    ):
        values = [SPACES.sub(" ", v).strip() for v in tree.xpath(xpath)]
        if values and values[0]:
            return values[0]
    return None

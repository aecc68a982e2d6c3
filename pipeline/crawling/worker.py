"""What runs in the extraction worker processes: extraction plus the search terms.

Both are CPU work, so both stay off the reactor thread; each worker keeps its own lemma
cache for the whole crawl. `extract.extract_page` is looked up at call time, so the crawl
process, which imports this module only to name its functions, never loads Trafilatura.
"""

from __future__ import annotations

from dataclasses import dataclass

import extract
from extract import DocumentRecord, PageRecord
from extract.template import NO_TEMPLATE, Template
from query.lemmas import PageTerms, page_terms


@dataclass(frozen=True)
class IndexedPage:
    record: PageRecord
    terms: PageTerms


@dataclass(frozen=True)
class IndexedDocument:
    record: DocumentRecord
    terms: PageTerms


def warm_up() -> None:
    """Load what every page needs (Trafilatura, the language model, Voikko) up front."""
    page = "<html><body><h1>Strategia</h1><p>Maakuntien kärjet.</p></body></html>"
    process_page(page.encode(), "https://example.invalid/", None, None)


def process_page(
    body: bytes,
    url: str,
    content_type: str | None,
    organisation: str | None,
    template: Template = NO_TEMPLATE,
) -> IndexedPage:
    """Extract with the source's template (sent with each page: a few hundred short keys
    next to the page's bytes), then compute the search terms of what is kept."""
    record = extract.extract_page(body, url, content_type, organisation, template)
    return IndexedPage(record, page_terms(record.title, record.text, record.language))


def process_document(body: bytes, url: str) -> IndexedDocument:
    record = extract.extract_document(body, url)
    # PDFs carry no reliable language tag; the councils' documents are mostly Finnish.
    return IndexedDocument(record, page_terms(record.title, record.text, "fi"))

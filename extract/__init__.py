"""Pure extraction: HTML or PDF bytes + URL in, plain records out. No Scrapy, no SQLite, no I/O.

`extract_page` and `extract_document` load on first use (PEP 562): they bring in
Trafilatura, lxml's cleaner, phonenumbers and pypdf, which the crawl's main process never
calls; only its extraction workers do.
"""

from importlib import import_module
from typing import Any

from .errors import BrokenDocument, EmptyPage, ExtractError, NotHtml
from .models import Contact, DocumentRecord, Link, PageRecord

_LAZY = {"extract_page": ".page", "extract_document": ".documents"}

__all__ = [
    "BrokenDocument",
    "Contact",
    "DocumentRecord",
    "EmptyPage",
    "ExtractError",
    "Link",
    "NotHtml",
    "PageRecord",
    "extract_document",
    "extract_page",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""Pure extraction: HTML or PDF bytes + URL in, plain records out. No Scrapy, no SQLite, no I/O."""

from .documents import extract_document
from .errors import BrokenDocument, EmptyPage, ExtractError, NotHtml
from .models import Contact, DocumentRecord, Link, PageRecord
from .page import extract_page

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

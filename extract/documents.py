"""Linked documents (strategy PDFs): text and title with pypdf."""

from __future__ import annotations

import io
import logging
import re

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from .errors import BrokenDocument
from .models import DocumentRecord
from .vocabulary import DOCUMENT_MAGIC

_SPACES = re.compile(r"[ \t]+")
# pypdf logs every malformed object at WARNING; one broken PDF must not flood a nightly log.
logging.getLogger("pypdf").setLevel(logging.ERROR)


def extract_document(body: bytes, url: str) -> DocumentRecord:
    """Text of every page; `BrokenDocument` for a corrupt or encrypted file."""
    if not body.startswith(DOCUMENT_MAGIC):
        raise BrokenDocument("not a PDF file")
    try:
        reader = PdfReader(io.BytesIO(body))
        if reader.is_encrypted:
            raise BrokenDocument("encrypted")
        pages = [page.extract_text() or "" for page in reader.pages]
        metadata_title = (reader.metadata or {}).get("/Title")
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BrokenDocument(str(exc) or type(exc).__name__) from exc
    text = "\n\n".join(_SPACES.sub(" ", page).strip() for page in pages).strip()
    title = str(metadata_title).strip() if metadata_title else None
    return DocumentRecord(url=url, title=title or None, text=text, pages=len(pages))

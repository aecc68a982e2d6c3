"""Relevance the pipeline knows and a page alone does not: the links between a source's pages.

A page that names the policy once is off-topic by its own words, but when a core page of the
same source links to it (the strategy page's list of its platforms and projects), it is part
of the strategy's material: `related`. Menu links reach every page of a site, so a page that
most of its source's pages link to is not promoted by them.
"""

from __future__ import annotations

import logging

import sqlite_utils

from extract.relevance import RELATED, promotable

logger = logging.getLogger(__name__)

# A page linked from more than this share of its source's pages is linked from the menu.
MAX_LINKING_SHARE = 0.2
_CANDIDATES = """
SELECT DISTINCT page.url, page.title, page.text,
  (SELECT count(DISTINCT l.from_url) FROM links l WHERE l.to_url = page.url) AS linking,
  (SELECT count(*) FROM pages other WHERE other.source_id = page.source_id
     AND other.removed_at IS NULL) AS source_pages
FROM pages page
JOIN links link ON link.to_url = page.url
JOIN pages core ON core.url = link.from_url AND core.source_id = page.source_id
WHERE page.relevance_grade = 'off_topic' AND page.removed_at IS NULL
  AND core.relevance_grade = 'core' AND core.removed_at IS NULL AND core.url != page.url
"""


def promote_linked(db: sqlite_utils.Database) -> int:
    """Grade `related` (and `relevant`) the off-topic pages that name the policy, are no job
    advert or meeting news, and are linked from a core page of their source but not from
    most of its pages. Run after each crawl: a re-extracted page gets its own grade back
    first. Returns the number promoted."""
    promoted = [
        url
        for url, title, text, linking, source_pages in db.execute(_CANDIDATES).fetchall()
        if linking <= max(1, MAX_LINKING_SHARE * source_pages) and promotable(title, text)
    ]
    with db.atomic():
        for url in promoted:
            db.execute(
                "UPDATE pages SET relevance_grade = :grade, relevant = 1 WHERE url = :url",
                {"grade": RELATED, "url": url},
            )
    if promoted:
        logger.info("%d page(s) related by a link from a core page", len(promoted))
    return len(promoted)

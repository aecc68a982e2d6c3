"""Each source's template, learned from its own stored pages at the end of every crawl
(and, for a new source, as its first crawl goes).

A line of extracted text (a menu, footer, cookie banner, share bar or side list that the
rules let through) that recurs on most of a source's pages is that site's template, and so
is a title candidate (a logo or section `<h1>`, a site-wide `<title>`) that recurs. The
extraction workers get the source's template with each page (`extract.template`): template
lines leave the stored text, and so the change fingerprint, and recurring titles give way
to the page's own. Learning counts the block keys each page recorded in `page_blocks`
(written with the page, from its text before any template was removed), so the count does
not shrink as the template is applied; the result is the `source_templates` table.

Cold start: a source with fewer than `MIN_PAGES` pages has no template (the rules alone).
A block enters at `LINE_SHARE` of the pages (`TITLE_SHARE` for titles) and leaves only
under half that, so a source that grows a new section does not flip its template back
and forth (each flip would rewrite its pages).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import sqlite_utils

from extract.template import NO_TEMPLATE, TITLE_MARK, Template, apply_template, block_key
from extract.title import choose_title
from query.lemmas import page_terms

from .changes import normalise_text, page_fingerprint
from .privacy import forgotten_hashes
from .redact import Hashes, scrub

logger = logging.getLogger(__name__)

# Eight pages: fewer is a handful of sibling pages that may share a paragraph by design
# (one project's sub-pages); at 8, a line on 5 of them is the site's, not chance.
MIN_PAGES = 8
# A line is the template when on 60 % of the pages: the chrome of a council site is on
# all of them, minus the few pages built on another layout (front page, search).
LINE_SHARE = 0.6
# A title gives way at 40 %: a title names one page, so one that recurs at all names the
# site or a section; skipping it costs nothing when the page offers another candidate.
TITLE_SHARE = 0.4
_KINDS = {"line": LINE_SHARE, "title": TITLE_SHARE}
# Once per stored page, so plain SQL rather than sqlite-utils' upsert (two statements).
_UPSERT_BLOCKS = (
    "INSERT INTO page_blocks (url, source_id, blocks, titles, template)"
    " VALUES (:url, :source_id, :blocks, :titles, :template)"
    " ON CONFLICT(url) DO UPDATE SET source_id = excluded.source_id, blocks = excluded.blocks,"
    " titles = excluded.titles, template = excluded.template"
)


def load_templates(db: sqlite_utils.Database) -> dict[str, Template]:
    """source_id -> its current template, for the extraction workers."""
    keys: dict[str, dict[str, set[str]]] = {}
    for source_id, kind, block_hash in db.execute(
        "SELECT source_id, kind, block_hash FROM source_templates"
    ):
        keys.setdefault(source_id, {"line": set(), "title": set()})[kind].add(block_hash)
    return {
        source: Template(
            lines=frozenset(kinds["line"]),
            titles=frozenset(TITLE_MARK + key for key in kinds["title"]),
        )
        for source, kinds in keys.items()
    }


def settled_sources(db: sqlite_utils.Database) -> set[str]:
    """Sources with enough recorded pages that their template (maybe empty: a site the
    rules alone clean) comes from earlier runs; the others learn as the crawl goes."""
    rows = db.execute(
        "SELECT source_id FROM page_blocks GROUP BY source_id HAVING count(*) >= ?", [MIN_PAGES]
    )
    return {source_id for (source_id,) in rows}


def template_key(template: Template) -> str:
    """Names a template, so that a page records which one its stored text was made with."""
    keys = "\n".join(sorted(template.lines | template.titles))
    return hashlib.blake2b(keys.encode(), digest_size=6).hexdigest() if keys else ""


def record_blocks(
    db: sqlite_utils.Database,
    url: str,
    source_id: str,
    blocks: Iterable[str],
    titles: Iterable[str],
    template: Template = NO_TEMPLATE,
) -> None:
    """Keep a stored page's block keys and title candidates, and the template it was
    extracted with (call inside its transaction)."""
    db.execute(
        _UPSERT_BLOCKS,
        {
            "url": url,
            "source_id": source_id,
            "blocks": " ".join(blocks),
            "titles": json.dumps(list(titles), ensure_ascii=False),
            "template": template_key(template),
        },
    )


def learn_template(db: sqlite_utils.Database, source_id: str, current: Template) -> Template:
    """The template the source's stored pages give now, without writing it: the crawl
    learns as it goes (at 8, 16, 32, … pages of a source), so that a new source's pages
    are extracted with its template once it shows, not rewritten after the run."""
    return _template(_count(db, source_id, current)[0])


@dataclass
class Refreshed:
    """What a refresh did, for the run summary."""

    blocks: dict[str, int] = field(default_factory=dict)  # source_id -> template blocks
    pages_rewritten: int = 0
    changes_taken_back: int = 0


def refresh_templates(
    db: sqlite_utils.Database,
    source_ids: Iterable[str],
    at: str,
    ignore: Mapping[str, Iterable[str]] | None = None,
    run_id: int | None = None,
    in_use: Mapping[str, Template] | None = None,
) -> Refreshed:
    """Learn each source's template again and apply it to the pages it concerns.

    A page whose stored title or text the new template changes is rewritten in place
    (text, title, fingerprint, search terms) without a version or a change: its content
    did not change, only what counts as the site's. A change that run `run_id` recorded
    and that was only in blocks now known as the template (the site edited its footer on
    every page) is taken back. `ignore` holds each source's `ignore` patterns, for the
    fingerprint; `in_use` the templates the run learned as it went (a block in one keeps
    its place down to half its entry share, as one in the table does: the pages made with
    it have already lost it).
    """
    refreshed = Refreshed()
    forgotten = forgotten_hashes(db)
    for source_id in source_ids:
        patterns = list((ignore or {}).get(source_id, ()))
        with db.atomic():
            old = load_templates(db).get(source_id, NO_TEMPLATE)
            used = (in_use or {}).get(source_id, NO_TEMPLATE)
            known = Template(lines=old.lines | used.lines, titles=old.titles | used.titles)
            new = _learn(db, source_id, known, at)
            rewritten = _apply(db, source_id, new, patterns, forgotten)
            retracted = 0
            if run_id and new != old:
                retracted = _retract(db, source_id, run_id, old, new, patterns)
            if rewritten or retracted:
                logger.info(
                    "Template of %s: %d lines, %d titles; %d pages rewritten, %d changes"
                    " taken back",
                    source_id,
                    len(new.lines),
                    len(new.titles),
                    rewritten,
                    retracted,
                )
            refreshed.pages_rewritten += rewritten
            refreshed.changes_taken_back += retracted
        refreshed.blocks[source_id] = len(new.lines) + len(new.titles)
    return refreshed


def _count(
    db: sqlite_utils.Database, source_id: str, current: Template
) -> tuple[dict[tuple[str, str], int], int]:
    """(kind, key) -> pages, for the blocks that are the template; and the source's pages."""
    rows = db.execute(
        "SELECT b.blocks FROM page_blocks b JOIN pages p ON p.url = b.url"
        " WHERE b.source_id = ? AND p.removed_at IS NULL",
        [source_id],
    ).fetchall()
    pages = len(rows)
    chosen: dict[tuple[str, str], int] = {}
    if pages < MIN_PAGES:
        return chosen, pages
    counts = Counter(token for (blocks,) in rows for token in set(blocks.split()))
    for token, seen in counts.items():
        title = token.startswith(TITLE_MARK)
        kind, key = ("title", token[len(TITLE_MARK) :]) if title else ("line", token)
        known = token in current.lines or token in current.titles
        share = _KINDS[kind] / 2 if known else _KINDS[kind]
        if seen >= 2 and seen / pages >= share:
            chosen[(kind, key)] = seen
    return chosen, pages


def _template(chosen: dict[tuple[str, str], int]) -> Template:
    return Template(
        lines=frozenset(key for kind, key in chosen if kind == "line"),
        titles=frozenset(TITLE_MARK + key for kind, key in chosen if kind == "title"),
    )


def _learn(db: sqlite_utils.Database, source_id: str, old: Template, at: str) -> Template:
    chosen, pages = _count(db, source_id, old)
    texts = {
        (kind, key): text
        for kind, key, text in db.execute(
            "SELECT kind, block_hash, text FROM source_templates WHERE source_id = ?", [source_id]
        )
    }
    texts |= _texts_of(db, source_id, {k for k in chosen if k not in texts})
    db["source_templates"].delete_where("source_id = ?", [source_id])
    db["source_templates"].insert_all(
        {
            "source_id": source_id,
            "kind": kind,
            "block_hash": key,
            "text": texts.get((kind, key)),
            "pages_seen": seen,
            "share": round(seen / pages, 3),
            "updated_at": at,
        }
        for (kind, key), seen in sorted(chosen.items())
    )
    return _template(chosen)


def _texts_of(
    db: sqlite_utils.Database, source_id: str, wanted: set[tuple[str, str]]
) -> dict[tuple[str, str], str]:
    """The text of newly learned blocks, for people reading the table: a new template line
    is still in the stored text of the pages that have it, a title among their candidates."""
    found: dict[tuple[str, str], str] = {}
    if not wanted:
        return found
    rows = db.execute(
        "SELECT p.text, b.titles FROM pages p JOIN page_blocks b ON b.url = p.url"
        " WHERE p.source_id = ?",
        [source_id],
    )
    for text, titles in rows:
        for kind, blocks in (("line", (text or "").splitlines()), ("title", json.loads(titles))):
            for block in blocks:
                key = (kind, block_key(block))
                if key in wanted and key not in found:
                    found[key] = block.strip()
        if len(found) == len(wanted):
            break
    return found


def _apply(
    db: sqlite_utils.Database,
    source_id: str,
    new: Template,
    ignore: list[str],
    forgotten: Hashes,
) -> int:
    """Rewrite the stored pages of the source that were made with another template. A
    title chosen again from the page's candidates is redacted as the stored text was."""
    key = template_key(new)
    rows = db.execute(
        "SELECT p.url, p.title, p.text, p.language, p.last_changed, b.titles"
        " FROM pages p JOIN page_blocks b ON b.url = p.url"
        " WHERE b.source_id = ? AND p.removed_at IS NULL AND b.template IS NOT ?",
        [source_id, key],
    ).fetchall()
    rewritten = 0
    for url, title, text, language, last_changed, titles in rows:
        new_title = choose_title(json.loads(titles), new.titles) or title
        if forgotten and new_title != title:
            new_title = scrub(new_title, forgotten)
        new_text = apply_template(text, new, new_title)
        if (new_title, new_text) != (title, text):
            digest = page_fingerprint(new_title, new_text, ignore, last_changed)
            db["pages"].update(
                url,
                {
                    "title": new_title,
                    "text": new_text,
                    "content_hash": digest,
                    **page_terms(new_title, new_text, language)._asdict(),
                },
            )
            rewritten += 1
        db["page_blocks"].update(url, {"template": key})
    return rewritten


def _retract(
    db: sqlite_utils.Database,
    source_id: str,
    run_id: int,
    old: Template,
    new: Template,
    ignore: list[str],
) -> int:
    """Take back this run's changes whose only difference is in the template: the change
    row and its version go, and the page's last change is its previous version's again.
    The previous version loses what either template holds: the old footer was the site's
    when that version was stored."""
    template = Template(lines=old.lines | new.lines, titles=old.titles | new.titles)
    rows = db.execute(
        "SELECT c.id, c.url, c.version_id, p.title, p.text, p.last_changed FROM changes c"
        " JOIN pages p ON p.url = c.url"
        " WHERE c.run_id = ? AND c.kind = 'changed' AND p.source_id = ?",
        [run_id, source_id],
    ).fetchall()
    retracted = 0
    for change_id, url, version_id, title, text, last_changed in rows:
        before = db.execute(
            "SELECT title, text, fetched_at FROM page_versions WHERE url = ? AND id < ?"
            " ORDER BY id DESC LIMIT 1",
            [url, version_id or 0],
        ).fetchone()
        if before is None or version_id is None:
            continue
        old_title, old_text, old_at = before
        if old_title != title and TITLE_MARK + block_key(old_title or "") not in template.titles:
            continue
        crawl_date = (last_changed or "")[:10]
        before_text = apply_template(old_text, template, title)
        if normalise_text(before_text, ignore, crawl_date) != normalise_text(
            text, ignore, crawl_date
        ):
            continue
        db["changes"].delete(change_id)
        db["page_versions"].delete(version_id)
        db["pages"].update(url, {"last_changed": old_at})
        retracted += 1
    return retracted

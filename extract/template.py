"""A source's template: the text blocks that recur on most of its pages (menus, footers,
cookie banners, share bars, side lists) and the headings that name the site, not the page.

Learning a template needs many pages of one source, so it is the pipeline's job
(`pipeline/templates.py`); here are only the pure parts: the key of a block, the blocks of
one page, and removing a known template from one page's text.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

_BULLETS = ("-", "*", "•")  # how the text stage writes list items
_WORD = re.compile(r"\w+")
_BLANK_RUNS = re.compile(r"\n{3,}")
# A title candidate's block key is marked so that it never removes a text line.
TITLE_MARK = "t:"
# Stripping must leave this many words besides the title, or the page keeps its text: a
# page whose content is itself a recurring block (the contact page whose address is also
# every page's footer) would otherwise be emptied.
MIN_WORDS_LEFT = 8


@dataclass(frozen=True)
class Template:
    """What the pipeline learned of a source: block keys of recurring text lines, and of
    title candidates (`<h1>`, `<title>`) that recur, so name the site or a section."""

    lines: frozenset[str] = frozenset()
    titles: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.lines or self.titles)


NO_TEMPLATE = Template()


def normalise_block(text: str) -> str:
    """The form two copies of a block share: list bullets, case and spacing do not count."""
    words = text.split()
    if words and words[0] in _BULLETS:
        del words[0]
    return " ".join(words).casefold()


def block_key(text: str) -> str:
    """A short stable key for a block (48 bits: no collisions among one source's lines)."""
    return _key(normalise_block(text))


def _key(normal: str) -> str:
    return hashlib.blake2b(normal.encode("utf-8"), digest_size=6).hexdigest()


def page_blocks(text: str, title_candidates: Iterable[str] = ()) -> tuple[str, ...]:
    """The block keys of one page, before any template is applied: what the pipeline counts
    over a source's pages. Title candidates carry `TITLE_MARK`."""
    normals = {normalise_block(line) for line in text.splitlines()}
    keys = {_key(normal) for normal in normals if normal}
    keys |= {TITLE_MARK + block_key(title) for title in title_candidates if title.strip()}
    return tuple(sorted(keys))


def apply_template(text: str, template: Template, title: str | None = None) -> str:
    """The text without the source's template lines.

    Never the line that is the page's title, and nothing at all when what would remain is
    nearly empty (fewer than `MIN_WORDS_LEFT` words besides the title): then the recurring
    block is this page's content.
    """
    if not template.lines or not text:
        return text
    own_title = normalise_block(title or "")
    lines = text.splitlines()
    kept: list[str] = []
    words = 0
    for line in lines:
        normal = normalise_block(line)
        if normal and normal != own_title and _key(normal) in template.lines:
            continue
        kept.append(line)
        if words < MIN_WORDS_LEFT and normal != own_title:
            words += len(_WORD.findall(normal))
    if len(kept) == len(lines) or words < MIN_WORDS_LEFT:
        return text
    return _BLANK_RUNS.sub("\n\n", "\n".join(kept)).strip()

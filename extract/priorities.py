"""The spearheads (kärjet, kärkialat, painopisteet, spetsområden, priorities) a page names.

Councils write them three ways: a heading or lead-in sentence with a cue word followed by a
bullet list, sub-headings or bold lead-ins; or one sentence ("kärkiä ovat A, B ja C").
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from .vocabulary import CHROME_TAGS, INLINE_SPACES, SITE_PART_TAGS

_CUE = re.compile(
    r"kärj(?:et|iä|ellä|istä)\b|kärki(?:al\w*|valin\w*|teem\w*)|kärkiala\w*|painopist\w*|"
    r"päätoimial\w*|spetsområde\w*|insatsområde\w*|prioritet\w*|prioriti(?:es|sed)|"
    r"spearheads?|focus areas?|strategic (?:choices|priorities)|valitut teemat",
    re.I,
)
# The page-wide pre-check: a word each _CUE alternative begins with, in lower case (`_fold`:
# every character re.I equates with one of these becomes it). A page whose text holds
# none skips the block walk; a block's text is a piece of its page's. Substring tests,
# not _CUE itself: the page's text holds its scripts, and the regex over them cost more
# than the walk. The phrases' first words are common ("focus" in every stylesheet), so
# each of their occurrences is tried with the phrase.
_CUE_STEMS = (
    "kärj",
    "kärki",
    "painopist",
    "päätoimial",
    "spetsområde",
    "insatsområde",
    "prioritet",
    "prioriti",
    "spearhead",
)
_CUE_PHRASES = tuple(
    (word, re.compile(rf"{word}\s+{rest}"))
    for word, rest in (
        ("focus", "area"),
        ("strategic", "(?:choices|priorities)"),
        ("valitut", "teemat"),
    )
)
# "…kärkiä ovat: A, B ja C." — the list right after the verb or colon, to the sentence end.
_SENTENCE = re.compile(
    r"^[^.:;]{0,60}?(?:\b(?:ovat|är|are|include)\b\s*:?|:)\s*(?P<items>[^.:;]{3,300}?)(?:\.|$)",
    re.I,
)
_SENTENCES = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ])")
# "bio- ja kiertotalous" is one item; with "sekä"/"samt" present, "ja"/"och" join words
# inside an item ("teknologiat ja materiaalit") and only commas and "sekä" separate items.
_SPLIT = re.compile(r"\s*,\s*|(?<!-)\s+(?:ja|sekä|och|and|samt)\s+", re.I)
_TOP_CONJUNCTION = re.compile(r"\s(?:sekä|samt)\s", re.I)
_SPLIT_TOP = re.compile(r"\s*,\s*|\s+(?:sekä|samt)\s+", re.I)
_DESCRIPTION = re.compile(r"\s+[–—-]\s+.*$|:\s.*$|\.\s.*$")
_PARENTHESIS = re.compile(r"\s*\([^)]*\)\s*$")
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
# Blocks outside chrome, forms and other lists (a nested list is an item's, not a block).
_OUTSIDE = " or ".join(
    f"ancestor::{tag}" for tag in (*CHROME_TAGS, *SITE_PART_TAGS, "form", "ul", "ol")
)
_CONTENT_BLOCKS = (
    ".//*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6 or self::p"
    f" or self::ul or self::ol][not({_OUTSIDE})]"
)
_MAX_ITEMS = 12
_LOOKAHEAD = 4


def extract_priorities(tree: HtmlElement) -> list[str]:
    """Priorities in page order, each once, as the page words them (without annotations)."""
    body = tree.find("body")
    if not _mentions_cue(_fold((body if body is not None else tree).text_content())):
        return []
    blocks = _blocks(tree)
    found: list[str] = []
    for index, element in enumerate(blocks):
        text = _text(element)
        if element.tag in ("ul", "ol") or not _CUE.search(text):
            continue
        items = _following_items(blocks, index) if len(text) <= 400 else []
        for sentence in _SENTENCES.split(text):
            if items:
                break
            items = _sentence_items(sentence)
        found.extend(items)
    return list(dict.fromkeys(item for item in found if item))[: _MAX_ITEMS * 3]


def _fold(text: str) -> str:
    """Lower case, and the long s that re.I equates with "s": for these words what
    casefold gives, at half its cost over a page's text."""
    folded = text.lower()
    return folded.replace("ſ", "s") if "ſ" in folded else folded


def _mentions_cue(folded: str) -> bool:
    """Whether the case-folded page text may hold a cue (never false when a block does)."""
    if any(stem in folded for stem in _CUE_STEMS):
        return True
    for word, phrase in _CUE_PHRASES:
        start = folded.find(word)
        while start != -1:
            if phrase.match(folded, start):
                return True
            start = folded.find(word, start + 1)
    return False


def _blocks(tree: HtmlElement) -> list[HtmlElement]:
    """Headings, paragraphs and top-level lists outside chrome, in document order (one
    XPath: an XPath call per element was a tenth of the page's extraction time)."""
    body = tree.find("body")
    return (body if body is not None else tree).xpath(_CONTENT_BLOCKS)


def _following_items(blocks: list[HtmlElement], index: int) -> list[str]:
    cue = blocks[index]
    level = _HEADINGS.get(cue.tag, 7)
    sub_headings, lead_ins = [], []
    for element in blocks[index + 1 : index + 1 + _LOOKAHEAD * 3]:
        tag = element.tag
        if tag in _HEADINGS and _HEADINGS[tag] <= level:
            break
        if tag in ("ul", "ol") and not sub_headings and not lead_ins:
            items = [_clean(_first_line(li)) for li in element.findall("li")]
            return [i for i in items if i][:_MAX_ITEMS]
        if tag in _HEADINGS:
            sub_headings.append(_clean(_text(element)))
        elif (
            tag == "p"
            and (lead := element.find("strong")) is not None
            and (_text(element).startswith(_text(lead)))
        ):
            lead_ins.append(_clean(_text(lead)))
    items = sub_headings if len(sub_headings) >= 2 else lead_ins if len(lead_ins) >= 2 else []
    return [i for i in items if i][:_MAX_ITEMS]


def _sentence_items(text: str) -> list[str]:
    cue = _CUE.search(text)
    match = _SENTENCE.match(text[cue.end() :]) if cue else None
    if not match:
        return []
    listed = match.group("items")
    splitter = _SPLIT_TOP if _TOP_CONJUNCTION.search(listed) else _SPLIT
    items = [_clean(part) for part in splitter.split(listed)]
    items = [i for i in items if i and len(i.split()) <= 8]
    return items[:_MAX_ITEMS] if len(items) >= 2 else []


def _first_line(element: HtmlElement) -> str:
    return _text(element).split("\n")[0]


def _clean(item: str) -> str:
    item = _DESCRIPTION.sub("", item.strip())
    item = _PARENTHESIS.sub("", item).strip(" .,;:–-•*")
    return item if 2 < len(item) <= 120 else ""


def _text(element: HtmlElement) -> str:
    return INLINE_SPACES.sub(" ", element.text_content()).strip()

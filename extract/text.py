"""Main text: targeted pre-cleaning of council-CMS noise, then Trafilatura, then a line filter."""

from __future__ import annotations

import logging
import re
from typing import NamedTuple

import trafilatura
from lxml import etree
from lxml.html import HtmlElement

from .vocabulary import (
    COUNTER_LINE,
    NOISE_CLASS_WORDS,
    NOISE_ROLES,
    NOISE_TAGS,
    SPACES,
    class_token_pattern,
)

logger = logging.getLogger(__name__)

# Containers the councils' CMSes use for chrome around the content (Joomla, WordPress/Divi,
# Liferay, ELMO), matched on whole class tokens and ids (`vocabulary.ClassTokens`).
_NOISE_CLASS = class_token_pattern(NOISE_CLASS_WORDS)
# Tags that are usually chrome; whether one goes is decided by what it holds (ASP.NET
# WebForms pages wrap the whole page in one <form>, some themes the article in an <aside>).
_ALWAYS_NOISE_TAGS = ("button", "joomla-hidden-mail")
_NOISE_TAGS = tuple(tag for tag in NOISE_TAGS if tag not in _ALWAYS_NOISE_TAGS)
# Accessibility toolbars name themselves for screen readers ("Saavutettavuustyökalut").
_A11Y_LABEL = re.compile(r"saavutettavuu|accessibilit|tillgänglighet", re.I)
_CONTENT_ANCHORS = "//main | //@role[.='main']/.."  # (name and attribute tests: cheap walks)
# Shares of the page's paragraph text: an <article> holding this much is the content; a
# nav/aside/form/noscript/footer holding this much is not chrome.
_ARTICLE_SHARE = 0.25
_TAG_SHARE = 0.25
# The safety net: paragraphs of at least _PARAGRAPH characters, recognised by their first
# _PROBE characters; a fallback needs _FALLBACK_MIN_LOST characters of them lost.
_PARAGRAPH = 40
_PROBE = 80
_FALLBACK_MIN_LOST = 300

# Whole lines that are chrome wherever they come from.
_NOISE_LINES = re.compile(
    r"^(?:[-*•]\s*)?(?:"
    r"siirry sisältöön|hyppää sisältöön|suoraan sisältöön|skip to (?:main )?content|"
    r"hoppa till (?:huvud)?innehåll|valikko|valikko sulje|sulje valikko|valitse sivu|"
    r"navigaatiovalikko|olet täällä:?.*|du är här:?.*|you are here:?.*|"
    r"jaa(?: somessa| artikkeli| sivu)?|dela|share(?: this)?|tulosta|print|"
    r"tämä sähköpostiosoite on suojattu spamboteilta\..*|"
    r"this email address is being protected from spambots\..*|"
    r"\[email(?:\xa0|\s)protected\]|"
    r"saavutettavuus-?avustimet|oliko sivusta apua\??|sivu arviointi ja palaute|"
    r"koristeellinen|hae|haku|sök|search|"
    r".*evästeitä.*hyväksy.*|.*käytämme evästeitä.*|.*we use cookies.*|.*vi använder kakor.*"
    r")$",
    re.I,
)
# The controls of an accessibility toolbar, one a line or several on one line: on a short
# page Trafilatura's fallback keeps them.
_TOOLBAR_CONTROL = (
    r"(?:suurenna|pienennä|palauta) (?:tekstiä|tekstin kokoa|tekstikokoa|fonttia)|"
    r"tekstin koko|tekstikoko|fonttikoko|(?:korkea )?kontrasti|tumma tila|kuuntele|lue ääneen|"
    r"(?:förstora|förminska|återställ) (?:texten|text|textstorleken)|textstorlek|"
    r"(?:hög )?kontrast|lyssna|läs upp|"
    r"(?:increase|decrease|reset) (?:text|font)(?: size)?|text size|font size|"
    r"(?:high )?contrast|listen|read aloud|a\+|a-|a a a"
)
_TOOLBAR_LINE = re.compile(
    rf"^(?:[-*•]\s*)?(?:{_TOOLBAR_CONTROL})(?:\s*[|·/,]?\s*(?:{_TOOLBAR_CONTROL}))*$", re.I
)
_BLANK_RUNS = re.compile(r"\n{3,}")
_NOISE_ALT = re.compile(r"^(?:koristeellinen|decorative|logo|kuva|bild|image)$", re.I)


# Rotating side lists ("Ajankohtaista", "Latest news") change nightly without an edit.
_NEWS_HEADING = re.compile(
    r"^(?:ajankohtaista|uusimmat(?: uutiset)?|uutiset|tapahtumat|latest news|news|events|"
    r"aktuellt|nyheter|evenemang)$",
    re.I,
)
_NEWS_CONTAINERS = ("div", "section")
_OWN_TEXT = 200  # characters of other text that make a container more than a news box


# A lead ("ingressi") written beside the article body, not in it: Trafilatura keeps only
# the body. Class tokens: `article-ingress`, `article__lead`, `entry-summary`.
_LEAD_CLASS = re.compile(
    r"(?:^|[\s_-])(?:lead|ingress|ingressi|intro|introduction|excerpt|summary|standfirst|"
    r"johdanto|tiivistelma)(?:$|[\s_-])",
    re.I,
)
_BODY_CLASS = re.compile(r"(?:^|[\s_-])(?:body|content|text|teksti|sisalto)(?:$|[\s_-])", re.I)
# Old table-layout pages: a table whose cells hold headings or several paragraphs is the
# page grid, not data; left as a table, Trafilatura flattens the whole page into one row.
_LAYOUT_CELL_BLOCKS = 3
_TABLE_TAGS = ("table", "thead", "tbody", "tfoot", "tr", "td", "th")


# What ris3watch asks of Trafilatura (bench/extraction_quality.py measures it alone too).
TRAFILATURA_OPTIONS = {
    "output_format": "txt",
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "include_links": False,
    "favor_recall": True,
    "deduplicate": False,
    "with_metadata": False,
}


class Cleaning(NamedTuple):
    """The chrome `plan_cleaning` found, and the paragraphs (normalised text) inside it."""

    doomed: list[HtmlElement]
    paragraphs: list[str]
    kept: int  # characters of paragraph text the cleaning leaves

    def apply(self) -> None:
        for el in self.doomed:
            if el.getparent() is not None:
                el.drop_tree()


def plan_cleaning(tree: HtmlElement) -> Cleaning:
    """Prepare the tree (layout tables unwrapped, leads folded into their body) and list the
    chrome Trafilatura is known to keep on council pages.

    Never lists <main>, [role=main], an <article> or element that holds the page's
    paragraph text, or an ancestor of them.
    """
    _unwrap_layout_tables(tree)
    _fold_leads(tree)
    chars = _paragraph_chars(tree)
    keep = _protected(tree, chars)
    doomed = [el for el in _news_boxes(tree) if el not in keep] + _chrome(tree, chars, keep)
    paragraphs = _paragraphs_in(doomed)
    return Cleaning(doomed, paragraphs, chars.get(tree, 0) - sum(map(len, paragraphs)))


def _paragraph_chars(tree: HtmlElement) -> dict[HtmlElement, int]:
    """Characters of <p> text each element holds (itself and its descendants)."""
    chars: dict[HtmlElement, int] = {}
    for p in tree.iter("p"):
        n = len(SPACES.sub(" ", p.text_content()).strip())
        if not n:
            continue
        chars[p] = chars.get(p, 0) + n
        for ancestor in p.iterancestors():
            chars[ancestor] = chars.get(ancestor, 0) + n
    return chars


def _protected(tree: HtmlElement, chars: dict[HtmlElement, int]) -> set[HtmlElement]:
    """The content's elements and their ancestors: what no cleaning rule may remove."""
    total = chars.get(tree, 0)
    anchors = list(tree.xpath(_CONTENT_ANCHORS))
    anchors += [a for a in tree.iter("article") if chars.get(a, 0) >= _ARTICLE_SHARE * total]
    densest = tree if total else None
    while densest is not None:  # down to the deepest element with most of the text
        child = max(densest, key=lambda c: chars.get(c, 0), default=None)
        if child is None or chars.get(child, 0) * 2 < total:
            break
        densest = child
    if densest is not None:
        anchors.append(densest)
    keep: set[HtmlElement] = set()
    for anchor in anchors:
        if anchor in keep:
            continue
        keep.add(anchor)
        for ancestor in anchor.iterancestors():
            if ancestor in keep:
                break
            keep.add(ancestor)
    return keep


def _news_boxes(tree: HtmlElement) -> list[HtmlElement]:
    doomed = []
    for heading in tree.xpath("//h2 | //h3 | //h4"):
        if _NEWS_HEADING.match(heading.text_content().strip()):
            container = heading.getparent()
            if (
                container is None
                or container.tag not in _NEWS_CONTAINERS
                or container.xpath("count(.//p[string-length(normalize-space()) > 400])")
            ):
                continue
            listing = heading.getnext()
            if listing is not None and listing.tag not in ("ul", "ol", "div"):
                listing = None
            rest = len(container.text_content()) - len(heading.text_content())
            rest -= len(listing.text_content()) if listing is not None else 0
            # A news list inside the article body goes alone; a news box goes whole.
            doomed += (
                [heading, listing] if rest > _OWN_TEXT and listing is not None else [container]
            )
    return doomed


def _chrome(
    tree: HtmlElement, chars: dict[HtmlElement, int], keep: set[HtmlElement]
) -> list[HtmlElement]:
    """Chrome outside `keep`; inside an element that goes, nothing more is looked at (no
    descendant of it is kept: `keep` holds the ancestors of what it holds)."""
    total = chars.get(tree, 0)
    doomed = []
    walker = etree.iterwalk(tree, events=("start",))  # elements only: no comments, no PIs
    for _, el in walker:
        tag = el.tag  # read once: lxml builds the string anew on each read
        if tag in _NOISE_TAGS:
            noise = chars.get(el, 0) <= _TAG_SHARE * total
        elif not el.attrib:  # most elements: no role, class, id, label or alt to read
            noise = tag in _ALWAYS_NOISE_TAGS
        else:
            noise = bool(
                tag in _ALWAYS_NOISE_TAGS
                or el.get("role") in NOISE_ROLES
                or el.get("aria-hidden") == "true"
                or (
                    tag not in ("body", "html", "main")
                    and _NOISE_CLASS.search(el.get("id"), el.get("class"))
                )
                or ((label := el.get("aria-label")) and _A11Y_LABEL.search(label))
            )
            if not noise and tag == "img" and _NOISE_ALT.match(el.get("alt", "").strip()):
                el.set("alt", "")
        if noise and el not in keep:
            doomed.append(el)
            walker.skip_subtree()
    return doomed


def _paragraphs_in(elements: list[HtmlElement]) -> list[str]:
    found: dict[HtmlElement, str] = {}  # nested chrome lists a paragraph twice
    for el in elements:
        for p in el.iter("p"):
            if p not in found:
                found[p] = SPACES.sub(" ", p.text_content()).strip()
    return [text for text in found.values() if len(text) >= _PARAGRAPH]


def _unwrap_layout_tables(tree: HtmlElement) -> None:
    # Collected first: renaming a table changes which table is an element's nearest one.
    grid = []
    for table in tree.iter("table"):
        if _is_layout(table):
            grid.append(table)
            grid += [
                el
                for el in table.iter(*_TABLE_TAGS[1:])
                if el.xpath("ancestor::table[1]")[0] == table
            ]
    for el in grid:
        el.tag = "div"


def _is_layout(table: HtmlElement) -> bool:
    for cell in table.iter("td", "th"):
        if cell.xpath("count(.//h1 | .//h2) > 0"):
            return True
        if cell.xpath("count(./p | ./ul | ./ol | ./div | ./table)") >= _LAYOUT_CELL_BLOCKS:
            return True
    return False


def _fold_leads(tree: HtmlElement) -> None:
    """Move a lead that sits beside the article body into it, as its first child."""
    for lead in list(tree.iter("div", "p", "section")):  # a list: leads move as we go
        if not _LEAD_CLASS.search(lead.get("class") or ""):
            continue
        body = lead.getnext()
        while body is not None and not isinstance(body.tag, str):
            body = body.getnext()
        if body is None or not (
            _BODY_CLASS.search(body.get("class", "")) or body.get("itemprop") == "articleBody"
        ):
            continue
        tail, lead.tail = lead.tail, None
        previous = lead.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + (tail or "")
        else:
            parent = lead.getparent()
            parent.text = (parent.text or "") + (tail or "")
        body.insert(0, lead)


class MainText(NamedTuple):
    text: str
    cleaning_fallback: bool  # pre-cleaning removed content: Trafilatura's own text kept


def extract_text(tree: HtmlElement, url: str) -> MainText:
    """Main text as readable lines (lists and headings kept); empty string if none.

    The safety net: when the pre-cleaning would remove paragraphs, Trafilatura also reads
    the page as it is (it works on its own copy); if it keeps more of those paragraphs
    than would be left of the cleaned text, the cleaning was wrong for this page and
    Trafilatura's own text is kept.
    """
    # Trafilatura's own parser drops comments and processing instructions; handed a tree
    # that keeps them, it loses the text after them ("<p>A<!-- -->B</p>", as server-rendered
    # pages write). Their tails stay.
    etree.strip_tags(tree, etree.Comment, etree.ProcessingInstruction)
    cleaning = plan_cleaning(tree)
    alone = None
    removed = sum(map(len, cleaning.paragraphs))
    # Cheaply first: only a cleaning that takes a good part of the paragraph text can
    # lose more than half of what would be left.
    if removed >= _FALLBACK_MIN_LOST and removed * 2 > cleaning.kept:
        alone = _trafilatura(tree, url)
    cleaning.apply()
    text = _trafilatura(tree, url)
    if alone is not None:
        lost = _lost(cleaning.paragraphs, alone, text)
        if lost >= _FALLBACK_MIN_LOST and lost * 2 > len(text):
            logger.info(
                "%s: pre-cleaning removed %d characters of text; kept Trafilatura's", url, lost
            )
            return MainText(alone, True)
    return MainText(text, False)


def _trafilatura(tree: HtmlElement, url: str) -> str:
    return filter_lines(trafilatura.extract(tree, url=url, **TRAFILATURA_OPTIONS) or "")


def _lost(paragraphs: list[str], alone: str, cleaned: str) -> int:
    """Characters of removed paragraphs that Trafilatura alone keeps and the cleaned text lacks."""
    alone, cleaned = SPACES.sub(" ", alone), SPACES.sub(" ", cleaned)
    return sum(len(p) for p in paragraphs if p[:_PROBE] in alone and p[:_PROBE] not in cleaned)


def filter_lines(text: str) -> str:
    """Drop noise lines that survive extraction and collapse runs of blank lines."""
    kept = [
        line.rstrip()
        for line in text.splitlines()
        if not (
            (bare := line.strip())
            and (_NOISE_LINES.match(bare) or COUNTER_LINE.match(bare) or _TOOLBAR_LINE.match(bare))
        )
    ]
    return _BLANK_RUNS.sub("\n\n", "\n".join(kept)).strip()

"""Main text: targeted pre-cleaning of council-CMS noise, then Trafilatura, then a line filter."""

from __future__ import annotations

import re

import trafilatura
from lxml.html import HtmlElement

from .vocabulary import (
    COUNTER_LINE,
    NOISE_CLASS_WORDS,
    NOISE_ROLES,
    NOISE_TAGS,
    class_token_pattern,
)

# Containers the councils' CMSes use for chrome around the content (Joomla, WordPress/Divi,
# Liferay, ELMO). Matched on id/class tokens so "cookie-notice" and "cmplz-cookiebanner" hit.
_NOISE_CLASS = class_token_pattern(NOISE_CLASS_WORDS)

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


def clean_tree(tree: HtmlElement) -> None:
    """Remove the chrome Trafilatura is known to keep on council pages.

    Mutates the shared tree: drops chrome, unwraps layout tables, moves leads into the body.
    """
    _unwrap_layout_tables(tree)
    _fold_leads(tree)
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
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag in NOISE_TAGS or el.get("role") in NOISE_ROLES or el.get("aria-hidden") == "true":
            doomed.append(el)
            continue
        tokens = f"{el.get('id', '')} {el.get('class', '')}"
        if (
            tokens.strip()
            and _NOISE_CLASS.search(tokens)
            and el.tag not in ("body", "html", "main")
        ):
            doomed.append(el)
        elif el.tag == "img" and _NOISE_ALT.match(el.get("alt", "").strip()):
            el.set("alt", "")
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()


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
    for lead in tree.xpath("//*[@class]"):
        if lead.tag not in ("div", "p", "section") or not _LEAD_CLASS.search(lead.get("class")):
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


def extract_text(tree: HtmlElement, url: str) -> str:
    """Main text as readable lines (lists and headings kept); empty string if none.

    Mutates the tree (`clean_tree`): stages that read raw markup must run before it.
    """
    clean_tree(tree)
    text = trafilatura.extract(tree, url=url, **TRAFILATURA_OPTIONS)
    return filter_lines(text or "")


def filter_lines(text: str) -> str:
    """Drop noise lines that survive extraction and collapse runs of blank lines."""
    lines = [line.rstrip() for line in text.splitlines()]
    kept = [
        line
        for line in lines
        if not (_NOISE_LINES.match(line.strip()) or COUNTER_LINE.match(line.strip()))
    ]
    return _BLANK_RUNS.sub("\n\n", "\n".join(kept)).strip()

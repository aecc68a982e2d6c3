"""Words and selectors that more than one stage shares: one definition each.

Chrome (menus, sidebars, site header and footer), the "published"/"updated" cue words, hit
counters and document types are the same ideas in the title, text, dates, priorities and
contacts stages, in change detection (`pipeline/changes.py`) and in the spider. A word added
here reaches every stage that reads it. Stage-specific words (month names, priority cues)
stay in their stage.

Stages share one parsed tree (`extract_page`), and two of them change it in place:
`contacts.extract_contacts` (through `emails.reveal_emails`: cloaked addresses become mail
links) and `text.extract_text` (through `text.plan_cleaning`: chrome dropped, layout tables
unwrapped, leads moved into the body). Every other stage only reads it, so order matters:
readers of raw markup run before `extract_text`.

Imports only the standard library: the crawl's main process reads it too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

# ---------------------------------------------------------------- whitespace

SPACES = re.compile(r"\s+")
# Spaces within a line (no newline): tabs, form feeds, no-break spaces.
INLINE_SPACES = re.compile(r"[ \t\r\f\v\xa0]+")


def alternation(words: Iterable[str]) -> str:
    """Regex source matching any of `words` (themselves regex sources), in the given order."""
    return "|".join(words)


# Class tokens and ids are matched whole. A chrome word may carry a vendor or region prefix
# and qualifiers ("cmplz-cookiebanner", "et_pb_social_media_follow", "sidebar-widgets"),
# but a part that makes the token a state, a negation, a taxonomy term, a layout or a slug
# turns it into something else: WordPress body and post classes ("has-sidebar",
# "no-share", "category-social-media", "tag-breadcrumbs"), layout wrappers ("l-sidebar-fixed",
# Genesis' "content-sidebar-wrap", "sidebar-content"), URL slugs ("url-breadcrumb").
_STATE_PARTS = (
    r"has|no|not|with|without|is|category|tag|format|l|layout|content|entry|post|article|url|"
    r"template|single|archive"
)
_LAYOUT_PARTS = r"content|entry|article|post|main|body|layout|primary"
_PART = r"[^\W_]+"
_MAX_TOKEN = 80
_JUDGED_MAX = 8192
_LEADING_ANY = re.compile(r"(^|\|)\\w\*")


class ClassTokens:
    """Words matched against whole class tokens and ids (`search` of an id and a class)."""

    def __init__(self, words: str) -> None:
        self.full = re.compile(
            rf"(?:(?!(?:{_STATE_PARTS})[-_]){_PART}[-_]+)*?(?:{words})"
            rf"(?:[-_]+(?!(?:{_LAYOUT_PARTS})(?:[-_]|$)){_PART})*",
            re.I,
        )
        # Most class strings hold no such word at all: one search of the lower-cased string
        # rules them out (without re.I, the anchors and leading \w*, each of which would
        # make the search several times slower).
        self.quick = re.compile(_LEADING_ANY.sub(r"\1", words.replace("$", "")))
        # A page repeats its class strings (every menu item, every row), and so do the
        # pages of a site: each value is judged once (bounded: cleared when full).
        self._judged: dict[str, bool] = {}

    def fullmatch(self, token: str) -> bool:
        """`token` (one class name or id) is one of the words, as a whole."""
        return bool(self.full.fullmatch(token))

    def search(self, *values: str | None) -> bool:
        """One of the whitespace-separated tokens of `values` (an element's id and class
        attribute values; None for a missing one) is a word."""
        judged = self._judged
        for value in values:
            if not value:
                continue
            found = judged.get(value)
            if found is None:
                if len(judged) >= _JUDGED_MAX:
                    judged.clear()
                found = judged[value] = self._judge(value)
            if found:
                return True
        return False

    def _judge(self, value: str) -> bool:
        if not self.quick.search(value.lower()):
            return False
        return any(len(t) <= _MAX_TOKEN and self.full.fullmatch(t) for t in value.split())


def class_token_pattern(words: Iterable[str]) -> ClassTokens:
    """Case-insensitive match of a word against whole id/class tokens (see `ClassTokens`)."""
    return ClassTokens(alternation(words))


# ---------------------------------------------------------------- chrome

# Finnish template names: päävalikko/vasenvalikko (menus), murupolku (breadcrumb),
# sivupalkki (sidebar); alaosa/ylaosa (footer/header), alatunniste (footer).
FI_MENU_WORDS = (r"\w*valikko", r"\w*polku", r"\w*palkki")
FI_SITE_PART_WORDS = ("alaosa", "ylaosa", r"\w*tunniste")
# Rotating news lifts: their dates and titles are other pages'.
NEWS_LIFT_WORDS = ("uusimmat", "ajankohtaista")

# id/class words of menus, sidebars, widgets, breadcrumbs, news lifts (`html.is_chrome`).
CHROME_CLASS_WORDS = (
    r"sidebar\w*",
    r"widget\w*",
    "breadcrumbs?",
    "menu",
    "navigation",
    "navbar",
    "nav",
    r"cookie\w*",
    r"related\w*",
    r"recent\w*",
    r"latest\w*",
    *NEWS_LIFT_WORDS,
    *FI_MENU_WORDS,
)
# id/class words of the site's header and footer: chrome unless inside an article or <main>.
SITE_PART_CLASS_WORDS = (r"footer\w*", r"header\w*", "masthead", *FI_SITE_PART_WORDS)
CHROME_TAGS = ("nav", "aside")  # chrome wherever they are
SITE_PART_TAGS = ("header", "footer")  # chrome outside an article or <main>
CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search"})
# Elements that are never chrome whatever their classes ("page-template-sidebar" on <body>).
NEVER_CHROME_TAGS = frozenset({"html", "body", "main", "article"})
# Regions that name the page's own content, in order of trust: <main>, [role=main], <article>.
# (Three name tests and an attribute test are a quarter of the cost of one predicate on
# every element.)
MAIN_XPATH = "//main | //article | //@role[.='main']/.."

# What the text stage removes before Trafilatura (`text.plan_cleaning`): chrome Trafilatura is
# known to keep on the councils' CMSes (Joomla, WordPress/Divi, Liferay, ELMO).
NOISE_CLASS_WORDS = (
    r"cookie\w*",
    r"cmplz\w*",
    "consent",
    "gdpr",
    r"skip-?link\w*",
    r"skip-?to\w*",
    "screen-reader-text",
    "breadcrumbs?",
    r"share\w*",
    # "social" and "some" (sosiaalinen media) are adjectives: chrome when they name the
    # share or follow widget, not a section about social innovation ("social-innovations").
    r"(?:social|some)[-_]?(?:media|icons?|links?|buttons?|share|sharing|follow|networks?|bar|"
    r"profiles?|feeds?|channels?|jako|kanavat|linkit)",
    "social$",
    "socials$",
    "some$",
    "sharing",
    "addtoany",
    r"a2a\w*",
    "accessibility",
    "a11y",
    r"saavutettavuus\w*",
    r"readspeaker\w*",
    "rs_skip",
    "hits",
    "hit-?counter",
    "article-?info",
    r"rating\w*",
    "feedback",
    "palaute",
    r"search\w*",
    "haku",
    "mobile_menu_bar",
    "et_mobile_nav_menu",
    "menu-?toggle",
    "navbar-?toggler",
    "portlet-?ratings?",
    "taglib-?ratings?",
    "cloak",
    "latest-?news",
    "news-?list",
    *NEWS_LIFT_WORDS,
    "recent-?posts",
    "related-?posts",
    "widget_recent_entries",
    "sidebar",
    *FI_SITE_PART_WORDS,
    *FI_MENU_WORDS,
    "pikalinkit",
)
NOISE_TAGS = (*CHROME_TAGS, "footer", "form", "button", "noscript", "joomla-hidden-mail")
NOISE_ROLES = ("navigation", "search", "contentinfo", "banner", "dialog", "toolbar")

# Whole class tokens of headings that are not the page's title: hidden accessibility
# headings (Liferay's "Navigaatiovalikko") and the site's name or logo.
HIDDEN_HEADING_CLASSES = ("hide-accessible", "sr-only", "screen-reader-text", "visually-hidden")
SITE_NAME_CLASSES = ("site-title", "site-name", "logo", "portlet-title")

# ---------------------------------------------------------------- dates and counters

# Month names as regex sources: Finnish stems with their nominative, genitive and
# partitive endings (tammikuu, tammikuun, tammikuuta, tammi), Swedish and English in full
# and short.
FI_MONTHS = (
    r"(?:tammi|helmi|maalis|huhti|touko|kesä|heinä|elo|syys|loka|marras|joulu)(?:kuu(?:ta|n)?)?"
)
OTHER_MONTHS = (
    r"januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december|"
    r"january|february|march|may|june|july|august|october|sept?|jan|feb|mar|apr|jun|jul|aug|oct|"
    r"nov|dec"
)
WEEKDAYS = (
    r"(?:maanantai|tiistai|keskiviikko|torstai|perjantai|lauantai|sunnuntai|"
    r"måndag|tisdag|onsdag|torsdag|fredag|lördag|söndag|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
)

PUBLISHED_CUES = (
    "artikkeli julkaistu",
    "julkaistu",
    "julkaisuajankohta",
    "julkaisupäivä",
    r"julk\.",
    "kirjoittanut",
    "publicerad",
    "publicerat",
    "publicerades",
    "published(?: on)?",
    "posted(?: on)?",
    "date published",
)
# "Updated" stamps: a date after one of these is the page's last edit, and the stamp itself
# is not a change of the page (`pipeline/changes.py`).
UPDATED_CUES = (
    "päivitetty",
    "viimeksi päivitetty",
    "päivitys",
    "muokattu",
    "sivua päivitetty",
    "sivu päivitetty",
    "uppdaterad",
    "uppdaterat",
    "senast uppdaterad",
    "last updated",
    "updated",
    "last modified",
    "modified",
)
# Lower-case pieces that every cue word above contains: a text holding none of them holds
# no cue, which a substring test tells faster than the cue pattern.
CUE_STEMS = (
    "julk",
    "kirjoittanut",
    "publicer",
    "published",
    "posted",
    "päivit",
    "muokat",
    "uppdater",
    "updated",
    "modified",
)
# Stamps of when the page itself was touched, not its subject: a stamp's date and time are
# never a change of the page (`pipeline/changes.py`).
STAMP_CUES = (
    *UPDATED_CUES,
    r"päivitetty\w*",
    r"muokat\w*",
    r"muokkau\w*",
    r"uppdater\w*",
    "last edited|edited|redigerad|ändrad|senast ändrad",
    # Page-generation and print stamps; not bare "luotu"/"created": "hanke on luonut
    # 40 työpaikkaa" and "40 jobs created" are content.
    "sivu luotu|sivu generoitu|generated|page created",
    "retrieved|tulostettu|utskriven|printed",
)
# Hit counters by the shape of their words, so that compounds and other wordings count:
# "Osumia: 1234", "Katselukertoja: 340", "Lukukertoja 12", "Näyttökerrat 5", "Luettu 12
# kertaa", "Sivua katsottu 40 kertaa", "Visningar 7", "Läst 3 gånger", "1,234 views".
HIT_COUNTER_WORDS = (
    r"osum\w*",
    "hits?",
    r"träff\w*",
    "luettu",
    "katsottu",
    "näytetty",
    "ladattu",
    r"\w*kert(?:a|aa|oja|ojen)",
    r"\w*kerra(?:t|n)",
    r"katselu(?:t|ja|ita)",
    r"lataukse(?:t|ja)|latauksia",
    r"\w*visning(?:ar)?",
    r"nedladdning(?:ar)?",
    "läst|läsningar|visad|visats",
    r"gång(?:er)?",
    "(?:page ?)?views?|viewed|visits|reads|read|times|downloads?|downloaded",
)
_COUNTER = alternation(HIT_COUNTER_WORDS)
_COUNT = r"\d{1,3}(?:[ \xa0.,]\d{3})+|\d+"
# A whole line that is a counter: at most three words of label, the counter word and its
# number in either order, and at most the counter's noun after it ("… 12 kertaa").
COUNTER_LINE = re.compile(
    rf"^(?:[-*•]\s*)?(?:[^\W\d]+\s+){{0,3}}?"
    rf"(?:(?:{_COUNTER})\s*:?\s*(?:{_COUNT})|(?:{_COUNT})\s*(?:{_COUNTER}))"
    rf"(?:\s+(?:{_COUNTER}))?\s*\.?$",
    re.I,
)

# Clock times as pages print them: 24-hour with a dot or colon, with or without seconds
# ("14.05", "14:05:33"), 12-hour ("2:05 pm", "2:05:33 PM", "2 p.m."), and the words that
# introduce them ("klo", "kl.", "klockan", "at").
CLOCK_CUES = (r"klo\.?", r"kl\.?", "klockan", "at", "@")
CLOCK = (
    r"(?:[01]?\d|2[0-3])[.:][0-5]\d(?:[.:][0-5]\d)?(?:\s*[ap]\.?\s?m\b\.?)?"
    r"|(?:1[0-2]|0?[1-9])\s*[ap]\.?\s?m\b\.?"
)

# ---------------------------------------------------------------- documents

# The kinds of linked file kept as documents, by file suffix and by media subtype.
DOCUMENT_KINDS = ("pdf",)
DOCUMENT_SUFFIXES = tuple(f".{kind}" for kind in DOCUMENT_KINDS)
DOCUMENT_MAGIC = b"%PDF-"
_URL_BREAKS = frozenset("\t\r\n")


def is_document_url(url: str) -> bool:
    """A link to a document (strategy PDF) by its path, before anything is fetched."""
    lowered = url.lower()
    # The path is part of the URL: most links name no document anywhere, and urlsplit costs
    # more than a substring test (it drops tabs and newlines first, hence their check).
    if not any(suffix in lowered for suffix in DOCUMENT_SUFFIXES) and not _URL_BREAKS & set(url):
        return False
    return urlsplit(url).path.lower().endswith(DOCUMENT_SUFFIXES)


def is_document_body(content_type: str, body: bytes) -> bool:
    """A fetched document: by its declared type ("application/pdf", "application/x-pdf"),
    or by its first bytes when the server calls it `application/octet-stream`."""
    declared = content_type.lower()
    return any(kind in declared for kind in DOCUMENT_KINDS) or body.startswith(DOCUMENT_MAGIC)

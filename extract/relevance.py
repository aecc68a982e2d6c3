"""Is a page about smart specialisation? A scored vocabulary in Finnish, Swedish and English.

Each term is a regex over lower-cased text (Finnish stems cover the inflections:
"älykkään erikoistumisen", "älykästä erikoistumista"). Core terms name the policy itself;
supporting terms only add weight. The score is weighted hits per 100 words, with hits in
the title, headings and the lead paragraph counted again.

The grade says how a page bears on the policy. `core`: it names the policy prominently
(a strong core term in the title, a heading or the lead paragraph; any core term in the
title) or repeatedly (two or more core hits at a density of at least one per 200 words).
`related`: it names the policy at least once and is about one of its instruments
(innovation platforms, TKI/RDI environments, smart-ecosystem agreements), priorities or
projects: such a term in the title, a heading or the lead, or two of them in the text.
`off_topic` otherwise. One mention is not enough on its own: a job advert or board-meeting
news that lists "älykkään erikoistumisen strategia" once among other business is not about
it, and stays off-topic even when an instrument is named. A page is `relevant` when it is
core or related. (The pipeline may promote an off-topic page that names the policy once and
that the source's core pages link to: `promotable`.)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

# Speed: a pattern whose alternatives all open with a letter is searched for that letter
# first (sre's prefix scan); one that opens with \b or \w* is tried at every position of the
# text, several times slower. So a word boundary is written after the first letter,
# "t(?<!\wt)ki" for "\btki": no word character before that "t".
CORE_TERMS: dict[str, float] = {
    r"äly(?:k|kk)\w*\s+erikoistu\w*": 3.0,
    r"r(?<!\wr)is3\b|s(?<!\ws)3[- ]?"
    r"(?:strategi\w*|kumppanuu\w*|foorumi\w*|platform\w*|partnership\w*)": 3.0,
    r"smart[- ]speciali[sz](?:ation|ed|ing)\w*": 3.0,  # not "specialisering": counted below
    r"smart\s+specialisering\w*": 3.0,
    r"kärkiala\w*|kärkivalin\w*|k(?<!\wk)är(?:je[tn]|ki)\b": 1.5,
    r"spetsområde\w*": 1.5,
    r"innovaatiostrategi\w*|innovationsstrategi\w*|innovation strateg\w*": 1.5,
}
SUPPORTING_TERMS: dict[str, float] = {
    r"innovaatio\w*|innovation\w*": 0.5,
    r"(?:t(?<!\wt)ki|f(?<!\wf)oui|r(?<!\wr)(?:&d&i|di))\b"
    r"|tutkimus-,? kehitys- ja innovaatio\w*": 0.5,
    r"ekosystee\w*|ecosystem\w*": 0.4,
    r"klusteri\w*|kluster\w*|cluster\w*": 0.4,
    r"kiertotalou\w*|biotalou\w*|cirkulär\w*|circular econom\w*|bioeconom\w*": 0.3,
    r"elinkeinot murroksessa|industrial transition": 0.5,
    r"aluekehit\w*|regionutveckling\w*|regional development": 0.3,
}
# The strategy's instruments, by the words councils use for them. A compound holding one
# counts ("maakunnallinenekosysteemisopimus"): the match starts at the stem.
INSTRUMENT_TERMS = (
    r"innovaatioalust\w*|kasvualust\w*|kasvun alust\w*|kehitysalust\w*|"
    r"yhteiskehittämisalust\w*|innovaatioympäristö\w*",
    r"tki-ympäristö\w*|tki-infra\w*|tutkimus- ja kehitysympäristö\w*|testiympäristö\w*|"
    r"kehitysympäristö\w*|pilotointiympäristö\w*|l(?<!\wl)iving lab\w*",
    r"ekosysteemisopim\w*|älyk\w* ekosysteem\w*|innovaatioekosysteem\w*|"
    r"ekosysteemihank\w*|innovaatiokeskittym\w*|osaamiskeskittym\w*|kärkihank\w*",
    r"innovationsplattform\w*|testbädd\w*|innovationsmiljö\w*|fou-miljö\w*|"
    r"ekosystemavtal\w*|innovationsekosystem\w*",
    r"innovation platforms?|rdi environments?|r&d environments?|test ?beds?|"
    r"innovation ecosystems?|smart ecosystems?|ecosystem agreements?",
)
# A title naming a project: "KymÄES 2.0 -hanke", "Projekt Smart Botnia".
_PROJECT_TITLE = re.compile(r"\w*hank\w*|projekti\w*|\bprojekt\w*|\bproject\w*")
# Pages that mention the policy in passing among other business: job adverts and the
# council board's meeting news (the title or the opening lines).
_JOB_OR_MEETING = re.compile(
    r"avoin työpaikka|avoimet työpaikat|\bhaemme\b|rekrytoin\w*|työpaik\w*|tehtävään\b|"
    r"hakuaika|lediga (?:jobb|tjänster)|ledig tjänst|vi söker|job vacanc\w*|vacanc(?:y|ies)|"
    r"we are hiring|maakuntahallitu\w*|maakuntavaltuust\w*|kokouksessaan|pöytäkirj\w*|"
    r"esityslist\w*|landskapsstyrelse\w*|sammanträd\w*|board meeting|minutes of"
)
# Matched against lower-cased text: no re.I (case folding made every pattern ~2x slower).
_CORE = [(re.compile(p), w) for p, w in CORE_TERMS.items()]
_SUPPORTING = [(re.compile(p), w) for p, w in SUPPORTING_TERMS.items()]
_INSTRUMENT = re.compile("|".join(INSTRUMENT_TERMS))
STRONG = 3.0  # a core term that names the policy outright, not a word like "kärki"
_STRONG_CORE = [pattern for pattern, weight in _CORE if weight >= STRONG]
_PRIORITY_CORE = [pattern for pattern, weight in _CORE if weight < STRONG]
MIN_HITS = 2  # mentions needed without a prominent one
MAX_WORDS_PER_HIT = 200  # ... and their density
# The lead is the first paragraph-like line (extract_text writes list items as "- item").
_LEAD_WORDS = 8


CORE, RELATED, OFF_TOPIC = "core", "related", "off_topic"
_OPENING_LINES = 3  # where a job advert or meeting news says what it is
MIN_INSTRUMENT_HITS = 2  # instrument terms in the text, when none is prominent


class Relevance(NamedTuple):
    relevant: bool  # core or related
    score: float
    grade: str  # CORE, RELATED or OFF_TOPIC


def score_relevance(title: str | None, text: str, headings: Sequence[str] = ()) -> Relevance:
    """(relevant, score, grade); `headings` are the content's section headings (not
    teasers)."""
    title = (title or "").lower()
    lines = [line.strip() for line in text.lower().splitlines() if line.strip()]
    lead = next((line for line in lines if _is_paragraph(line)), "")
    heads = "\n".join(headings).lower()
    body = "\n".join([title, *lines])
    words = max(len(body.split()), 50)

    core_hits = [(len(p.findall(body)), w) for p, w in _CORE]
    hits = sum(n for n, _ in core_hits)
    core = sum(n * w for n, w in core_hits)
    prominent = 0.0
    for pattern, weight in _CORE:
        in_title = len(pattern.findall(title))
        in_heads = len(pattern.findall(heads)) + len(pattern.findall(lead))
        prominent += in_title * weight * 2 + (in_heads * weight if weight >= STRONG else 0)
    support = sum(len(p.findall(body)) * w for p, w in _SUPPORTING)
    score = round((core + prominent + support) * 100 / words, 3)
    repeated = hits >= MIN_HITS and words / hits <= MAX_WORDS_PER_HIT
    if prominent or repeated:
        return Relevance(True, score, CORE)
    if _about_instruments(title, heads, lead, body) and promotable(title, text):
        return Relevance(True, score, RELATED)
    return Relevance(False, score, OFF_TOPIC)


def promotable(title: str | None, text: str) -> bool:
    """The page names the policy itself (a strong core term) and is not a job advert or
    board-meeting news: related when it is about an instrument, or when the source's core
    pages link to it."""
    title = (title or "").lower()
    lines = [line.strip() for line in text.lower().splitlines() if line.strip()]
    opening = "\n".join([title, *lines[:_OPENING_LINES]])
    if _JOB_OR_MEETING.search(opening):
        return False
    body = "\n".join([title, *lines])
    return any(pattern.search(body) for pattern in _STRONG_CORE)


def _about_instruments(title: str, heads: str, lead: str, body: str) -> bool:
    """An instrument or a priority named in the title, a heading or the lead, a project
    in the title, or instruments named repeatedly."""
    prominent = "\n".join([title, heads, lead])
    return bool(
        _INSTRUMENT.search(prominent)
        or any(pattern.search(prominent) for pattern in _PRIORITY_CORE)
        or _PROJECT_TITLE.search(title)
        or len(_INSTRUMENT.findall(body)) >= MIN_INSTRUMENT_HITS
    )


def _is_paragraph(line: str) -> bool:
    return not line.startswith("- ") and len(line.split()) >= _LEAD_WORDS

"""Is a page about smart specialisation? A scored vocabulary in Finnish, Swedish and English.

Each term is a regex over lower-cased text (Finnish stems cover the inflections:
"älykkään erikoistumisen", "älykästä erikoistumista"). Core terms name the policy itself;
supporting terms only add weight. The score is weighted hits per 100 words, with hits in
the title, headings and the lead paragraph counted again.

One mention is not enough: a job advert or board-meeting news that lists "älykkään
erikoistumisen strategia" once among other business is not about it. A page is relevant
when it names the policy prominently (a strong core term in the title, a heading or the
lead paragraph; any core term in the title) or repeatedly (two or more core hits at a
density of at least one per 200 words).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

CORE_TERMS: dict[str, float] = {
    r"äly(?:k|kk)\w*\s+erikoistu\w*": 3.0,
    r"\bris3\b|\bs3[- ]?(?:strategi\w*|kumppanuu\w*|foorumi\w*|platform\w*|partnership\w*)": 3.0,
    r"smart[- ]speciali[sz]\w*": 3.0,
    r"smart\s+specialisering\w*": 3.0,
    r"kärkiala\w*|kärkivalin\w*|\bkärje[tn]\b|\bkärki\b": 1.5,
    r"spetsområde\w*": 1.5,
    r"innovaatiostrategi\w*|innovationsstrategi\w*|innovation strateg\w*": 1.5,
}
SUPPORTING_TERMS: dict[str, float] = {
    r"innovaatio\w*|innovation\w*": 0.5,
    r"\btki\b|tutkimus-,? kehitys- ja innovaatio\w*|\bfoui\b|\br&d&i\b|\brdi\b": 0.5,
    r"ekosystee\w*|ecosystem\w*": 0.4,
    r"klusteri\w*|kluster\w*|cluster\w*": 0.4,
    r"kiertotalou\w*|biotalou\w*|cirkulär\w*|circular econom\w*|bioeconom\w*": 0.3,
    r"elinkeinot murroksessa|industrial transition": 0.5,
    r"aluekehit\w*|regionutveckling\w*|regional development": 0.3,
}
# Matched against lower-cased text: no re.I (case folding made every pattern ~2x slower).
_CORE = [(re.compile(p), w) for p, w in CORE_TERMS.items()]
_SUPPORTING = [(re.compile(p), w) for p, w in SUPPORTING_TERMS.items()]
STRONG = 3.0  # a core term that names the policy outright, not a word like "kärki"
MIN_HITS = 2  # mentions needed without a prominent one
MAX_WORDS_PER_HIT = 200  # ... and their density
# The lead is the first paragraph-like line (extract_text writes list items as "- item").
_LEAD_WORDS = 8


def score_relevance(
    title: str | None, text: str, headings: Sequence[str] = ()
) -> tuple[bool, float]:
    """(relevant, score); `headings` are the content's section headings (not teasers)."""
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
    return bool(prominent or repeated), score


def _is_paragraph(line: str) -> bool:
    return not line.startswith("- ") and len(line.split()) >= _LEAD_WORDS

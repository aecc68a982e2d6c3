"""Is a page about smart specialisation? A scored vocabulary in Finnish, Swedish and English.

Each term is a regex over lower-cased text (Finnish stems cover the inflections:
"älykkään erikoistumisen", "älykästä erikoistumista"). Core terms name the policy itself;
supporting terms only add weight. A page is relevant with at least one core hit and a
score of 1.0 or more; the score is weighted hits per 1,000 words plus the core bonus.
"""

from __future__ import annotations

import re

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
_CORE = [(re.compile(p, re.I), w) for p, w in CORE_TERMS.items()]
_SUPPORTING = [(re.compile(p, re.I), w) for p, w in SUPPORTING_TERMS.items()]
THRESHOLD = 1.0


def score_relevance(title: str | None, text: str) -> tuple[bool, float]:
    """(relevant, score). Title hits count three times: a page is what it is called."""
    body = f"{title or ''}\n{text}".lower()
    words = max(len(body.split()), 50)
    core_hits = sum(len(p.findall(body)) * w for p, w in _CORE)
    core_hits += sum(len(p.findall((title or "").lower())) * w * 2 for p, w in _CORE)
    support = sum(len(p.findall(body)) * w for p, w in _SUPPORTING)
    score = round((core_hits + support) * 1000 / words / 10, 3)
    if core_hits:
        score += 1.0
    return bool(core_hits) and score >= THRESHOLD, round(score, 3)

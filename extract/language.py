"""Page language among the ones the registry's sites publish in: fi, sv, en.

Three languages with almost no shared function words need no statistical model: counting
each language's commonest words decides a paragraph. (py3langid, used before, agreed on
every page of the golden corpus and the sample sites, but cost ~80 MB in every extraction
worker and 3 ms a page.)
"""

from __future__ import annotations

import re
from collections import Counter

from lxml.html import HtmlElement

LANGUAGES = ("fi", "sv", "en")
_SHORT_TEXT = 200
_CONFIDENT = 0.9
_MIN_EVIDENCE = 5  # function words needed before the text may overrule the declaration
_LANG_ATTR = re.compile(r"^([a-z]{2})(?:[-_].*)?$", re.I)
_WORD = re.compile(r"[^\W\d_]+")

# Frequent function words. A word common in two of the languages ("on", "men", "i", "de"
# as in English names), or in e-mail cloaking ("at"), is left out.
_FUNCTION_WORDS = {
    "fi": """ja ei se että ovat oli ole olla myös tai kuin mutta sekä joka jotka jonka joita
        joiden niin kun vain voi tämä nämä tässä sen ne hän he me te mukaan kanssa jälkeen
        aikana tulee kaikki kautta lisäksi eli jo vielä nyt siitä tästä olevat oleva jossa
        joissa jolla mitä miten koska jos eri osalta noin yli alle jota""",
    "sv": """och att det som är på för med av till den har inte om ett så var kan vid från
        eller ska också sig hur när där vi du han hon detta dessa genom under efter mellan
        samt inom hela vår våra deras andra alla mer finns""",
    "en": """the and of to is for that with as are by this be from or an it was which will have
        has their its we our can not also more these into through between been were would
        should about other""",
}
_LANGUAGE_OF = {word: lang for lang, words in _FUNCTION_WORDS.items() for word in words.split()}


def declared_language(tree: HtmlElement, metas: list[HtmlElement] | None = None) -> str | None:
    """The `lang` the page declares (<html lang>, og:locale, content-language); `metas`
    are the page's <meta> elements, when already found."""
    candidates = tree.xpath(
        "/html/@lang | /html/@xml:lang", namespaces={"xml": "http://www.w3.org/XML/1998/namespace"}
    )
    candidates += [
        content
        for meta in (tree.iter("meta") if metas is None else metas)
        if (meta.get("property") == "og:locale" or meta.get("http-equiv") == "content-language")
        and (content := meta.get("content")) is not None
    ]
    for value in candidates:
        match = _LANG_ATTR.match(value.strip())
        if match and match.group(1).lower() in LANGUAGES:
            return match.group(1).lower()
    return None


def identify(text: str) -> tuple[str | None, float, int]:
    """(language, its share of the function words found, how many were found)."""
    counts = Counter(
        _LANGUAGE_OF[word] for word in _WORD.findall(text.lower()) if word in _LANGUAGE_OF
    )
    if not counts:
        return None, 0.0, 0
    language, hits = counts.most_common(1)[0]
    total = sum(counts.values())
    return language, hits / total, total


def detect_language(text: str, declared: str | None) -> str | None:
    """Trust the declaration unless the text clearly says otherwise.

    Council sites often leave `lang="fi"` on their Swedish and English pages, so a
    long enough text whose function words are clearly another language's wins; short or
    mixed texts keep the declaration.
    """
    sample = text[:3000]
    if len(sample.strip()) < 20:
        return declared
    language, share, evidence = identify(sample)
    if declared is None or language is None:
        return declared or language
    if (
        language != declared
        and share >= _CONFIDENT
        and evidence >= _MIN_EVIDENCE
        and len(sample) >= _SHORT_TEXT
    ):
        return language
    return declared

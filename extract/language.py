"""Page language among the ones the registry's sites publish in: fi, sv, en."""

from __future__ import annotations

import re
from functools import cache

from lxml.html import HtmlElement
from py3langid.langid import MODEL_FILE, LanguageIdentifier

LANGUAGES = ("fi", "sv", "en")
_SHORT_TEXT = 200
_CONFIDENT = 0.9
_LANG_ATTR = re.compile(r"^([a-z]{2})(?:[-_].*)?$", re.I)


def declared_language(tree: HtmlElement) -> str | None:
    """The `lang` the page declares (<html lang>, og:locale, content-language)."""
    candidates = tree.xpath(
        "/html/@lang | /html/@xml:lang | //meta[@property='og:locale']/@content"
        " | //meta[@http-equiv='content-language']/@content",
        namespaces={"xml": "http://www.w3.org/XML/1998/namespace"},
    )
    for value in candidates:
        match = _LANG_ATTR.match(value.strip())
        if match and match.group(1).lower() in LANGUAGES:
            return match.group(1).lower()
    return None


def detect_language(text: str, declared: str | None) -> str | None:
    """Trust the declaration unless the text clearly says otherwise.

    Council sites often leave `lang="fi"` on their Swedish and English pages, so a
    confident identification of a long enough text wins; short texts keep the declaration.
    """
    sample = text[:3000]
    if len(sample.strip()) < 20:
        return declared
    language, probability = _identifier().classify(sample)
    if declared is None:
        return language
    if language != declared and probability >= _CONFIDENT and len(sample) >= _SHORT_TEXT:
        return language
    return declared


@cache
def _identifier() -> LanguageIdentifier:
    """Loaded on first use (the model takes ~0.3 s to decompress), once per process."""
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))
    return identifier

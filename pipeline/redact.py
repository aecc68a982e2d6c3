"""Finding a forgotten person in text by salted hashes of their identifiers, never the data.

`forget` and every later crawl use the same scanner, so what an erasure removed from the
stored texts is what is kept out of newly crawled ones. A text is searched for

- email addresses in every writing `extract.emails` decodes ("(a)", "[at]", " ät "),
  whose hash is forgotten;
- Finnish phone numbers in any notation, by the hash of their E.164 form;
- two name words in a row (or with one word between: a middle name), in either order,
  with or without a comma, in any case and inflection, whose base forms
  (`pipeline.people.name_forms`) hash to a forgotten "given surname"; middle names that
  follow a surname-first writing ("Rautio Tapani Juhani") go with it;
- and, in a text that names the person in one of those ways, their surname alone in any
  inflection ("Rautiolle"): a surname alone elsewhere may be a place or somebody else.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import NamedTuple

from extract import Contact, DocumentRecord, Link, PageRecord
from extract.emails import find_emails
from extract.phones import PHONE, normalise_phone

from .people import is_given_name, name_forms, name_parts

REDACTED = "[poistettu / removed]"
_SALT = b"ris3watch-forget-v1"
_GAP = re.compile(r"\s*,?\s+|,")  # between the words of one name
_FIELD = "\x00"  # joins the fields of a record for one scan; no writing matches across it
# A word that starts with a capital (Finnish, Swedish and the Latin-1 letters of names).
_CAPITALISED = re.compile(r"\b[A-ZÅÄÖÜÉÈÆØŠŽ][^\W\d_]*(?:-[^\W\d_]+)*")
_MAX_GAP = 4  # ", " with a stray space or line break at most
_MIDDLE_NAMES = 2


@lru_cache(maxsize=200_000)
def digest(value: str) -> str:
    """The salted hash stored for an identifier (an email, an E.164 phone, a name)."""
    return hashlib.sha256(_SALT + value.strip().lower().encode("utf-8")).hexdigest()


def name_digest(name: str | None) -> str | None:
    """The hash of a name in any writing: of its 'given surname' in lower case."""
    parts = name_parts(name)
    return digest(f"{parts[0]} {parts[1]}") if parts else None


@dataclass
class Hashes:
    """What is forgotten: hashes of emails, phones and names."""

    emails: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.emails or self.phones or self.names)

    def add(self, emails: Iterable[str] = (), phones: Iterable[str] = (), names=()) -> None:
        """Add identifiers in the clear (they are hashed at once)."""
        self.emails |= {digest(e) for e in emails if e}
        self.phones |= {digest(p) for p in phones if p}
        self.names |= {h for h in map(name_digest, names) if h}

    def has_email(self, email: str | None) -> bool:
        return bool(email) and digest(email) in self.emails

    def has_phone(self, phone: str | None) -> bool:
        return bool(phone) and digest(phone) in self.phones

    def has_name(self, name: str | None) -> bool:
        return name_digest(name) in self.names


class _Word(NamedTuple):
    start: int
    end: int
    text: str


def scrub(text: str | None, hashes: Hashes, context_names: Iterable[str] = ()) -> str | None:
    """`text` with every writing of a forgotten person replaced by REDACTED."""
    return scrub_all([text], hashes, context_names)[0]


def scrub_all(
    texts: list[str | None], hashes: Hashes, context_names: Iterable[str] = ()
) -> list[str | None]:
    """The texts of one record (a page's title, text and link texts) scrubbed together:
    when one of them names a forgotten person, their surname alone goes from all of them.

    `context_names` are names known to belong to forgotten people (the contacts being
    dropped), whose surnames count as found.
    """
    if not hashes or not any(texts):
        return texts
    surnames = {parts[1] for parts in map(name_parts, context_names) if parts}
    if any(text and _FIELD in text for text in texts):  # cannot be joined: one by one
        return [_scrub_text(text, hashes, surnames) if text else text for text in texts]
    # One scan of the fields joined (a separator no writing matches across) costs far less
    # than one scan per link text.
    joined = _FIELD.join(text or "" for text in texts)
    scrubbed = _scrub_text(joined, hashes, surnames)
    if scrubbed == joined:
        return texts
    return [
        None if old is None else new for old, new in zip(texts, scrubbed.split(_FIELD), strict=True)
    ]


def _scrub_text(text: str, hashes: Hashes, surnames: set[str]) -> str:
    words, spans = _scan(text, hashes, surnames)
    if not spans:
        return text
    claimed = _merge(spans)
    bare = [
        (w.start, w.end) for w in words if name_forms(w.text) & surnames and not _inside(w, claimed)
    ]
    return _replace(text, claimed + bare)


def scrub_page(record: PageRecord, hashes: Hashes) -> PageRecord:
    """A crawled page without forgotten people: their contacts dropped (a contact that
    only shares a forgotten phone keeps its row without the phone), their writings
    redacted from the title, text, description and link texts."""
    contacts: list[Contact] = []
    dropped: list[str] = []
    for contact in record.contacts:
        if hashes.has_email(contact.email) or hashes.has_name(contact.name):
            dropped += [contact.name] if contact.name else []
        elif hashes.has_phone(contact.phone):
            if contact.name or contact.email:
                contacts.append(replace(contact, phone=None))
        else:
            contacts.append(contact)
    local = Hashes(hashes.emails, hashes.phones, hashes.names | {name_digest(n) for n in dropped})
    fields = [record.title, record.text, record.description]
    title, text, description, *link_texts = scrub_all(
        [*fields, *(link.text for link in record.links)], local, dropped
    )
    links = tuple(Link(link.url, new) for link, new in zip(record.links, link_texts, strict=True))
    return replace(
        record,
        title=title,
        text=text or "",
        description=description,
        contacts=tuple(contacts),
        links=links,
    )


def scrub_document(record: DocumentRecord, hashes: Hashes) -> DocumentRecord:
    """A crawled PDF's title and text without forgotten people."""
    title, text = scrub_all([record.title, record.text], hashes)
    return replace(record, title=title, text=text or "")


def _scan(
    text: str, hashes: Hashes, surnames: set[str]
) -> tuple[list[_Word], list[tuple[int, int]]]:
    """The capitalised words of `text` and the spans of forgotten identifiers in it."""
    spans: list[tuple[int, int]] = []
    start = 0
    for line in text.split("\n"):  # most lines hold no address: a cheap test skips them
        for found in find_emails(line):
            if digest(found.address) in hashes.emails:
                spans.append((start + found.start, start + found.end))
        start += len(line) + 1
    if hashes.phones:
        for match in PHONE.finditer(text):
            number = normalise_phone(match.group(0))
            if number and digest(number) in hashes.phones:
                spans.append((match.start(), match.end()))
    words = [_Word(m.start(), m.end(), m.group(0)) for m in _CAPITALISED.finditer(text)]
    spans += _name_spans(text, words, hashes.names, surnames)
    return words, spans


def _name_spans(
    text: str, words: list[_Word], names: set[str], surnames: set[str]
) -> list[tuple[int, int]]:
    """Spans of full names; the base forms of the surnames found join `surnames`."""
    spans = []
    for i, first in enumerate(words):
        if i + 2 < len(words) and _legacy_triple(text, words[i : i + 3], names):
            spans.append((first.start, words[i + 2].end))
            continue
        for j in range(i + 1, min(i + 3, len(words))):
            if not _adjacent(text, words[j - 1], words[j]):
                break
            found = _match(first.text, words[j].text, names)
            if found is None:
                continue
            surname, surname_first = found
            end = j
            while (  # "Rautio Tapani Juhani": the given names follow the surname
                surname_first
                and end + 1 < len(words)
                and end - i <= _MIDDLE_NAMES
                and _adjacent(text, words[end], words[end + 1])
                and is_given_name(words[end + 1].text)
            ):
                end += 1
            surnames.add(surname)
            spans.append((first.start, words[end].end))
            break
    return spans


def _match(a: str, b: str, names: set[str]) -> tuple[str, bool] | None:
    """Whether words `a` and `b` are a forgotten name: (the surname's base form, whether
    it is written first)."""
    for hashed, surname, surname_first in _pairs(a, b):
        if hashed in names:
            return surname, surname_first
    return None


@lru_cache(maxsize=200_000)
def _pairs(a: str, b: str) -> tuple[tuple[str, str, bool], ...]:
    """The hashes two adjacent words would have as a name, given name first or second."""
    return tuple(
        pair
        for x in name_forms(a)
        for y in name_forms(b)
        for pair in ((digest(f"{x} {y}"), y, False), (digest(f"{y} {x}"), x, True))
    )


def _legacy_triple(text: str, words: list[_Word], names: set[str]) -> bool:
    """Releases before 2026-12 hashed a three-word name whole ('anna maria virtanen')."""
    adjacent = _adjacent(text, words[0], words[1]) and _adjacent(text, words[1], words[2])
    return adjacent and digest(" ".join(w.text for w in words)) in names


def _adjacent(text: str, a: _Word, b: _Word) -> bool:
    return b.start - a.end <= _MAX_GAP and bool(_GAP.fullmatch(text, a.end, b.start))


def _inside(word: _Word, spans: list[tuple[int, int]]) -> bool:
    return any(start <= word.start and word.end <= end for start, end in spans)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _replace(text: str, spans: list[tuple[int, int]]) -> str:
    out, at = [], 0
    for start, end in _merge(spans):
        out += [text[at:start], REDACTED]
        at = end
    return "".join(out + [text[at:]])

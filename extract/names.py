"""People's names and job titles as council pages write them (Finnish, Swedish, English).

A name is two or three capitalised words ("Riika Kivelä", "Anne Niemi-Korpela"), surname
first with a comma ("Räsänen, Petri"), or in registry capitals, surname first, with or
without the comma ("HAVUKAINEN ILARI MIKAEL", "KORHONEN, LIISA"), alone, in a table cell or
run into a line ("Lisätietoja antaa kehittämispäällikkö KORHONEN LIISA, …").
A job title is a phrase whose head word is a title word ("Johtava asiantuntija",
"Kansainvälisten asioiden asiantuntija", "Senior Specialist"); Finnish and Swedish titles
are compounds, so a word is a title word when it ends in one ("maakuntainsinööri",
"TKI-asiantuntija", "Regionutvecklare"). Plurals are headings, not titles
("Yhteyshenkilöt"), so the title word must end the word.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_TITLE_STEMS = (
    # Finnish
    "päällikkö|johtaja|asiantuntija|koordinaattori|suunnittelija|sihteeri|neuvos|kehittäjä|"
    "yhteyshenkilö|assistentti|avustaja|tutkija|ohjaaja|esimies|esihenkilö|insinööri|"
    "arkkitehti|juristi|lakimies|tarkastaja|analyytikko|ekonomisti|tiedottaja|viestijä|"
    "kouluttaja|konsultti|valmentaja|neuvoja|kirjaaja|harjoittelija|virkailija|kanslisti|"
    "notaari|rehtori|lehtori|professori|opettaja|työntekijä|vetäjä|agronomi|logi|manageri|"
    "controller|hoitaja|pitäjä|vastaava|edustaja|"
    # Swedish
    "chef|direktör|sakkunnig|handläggare|samordnare|planerare|utvecklare|sekreterare|"
    "rådgivare|specialist|ansvarig|koordinator|ingenjör|arkitekt|jurist|forskare|ledare|"
    "expert|assistent|informatör|kommunikatör|ekonom|notarie|inspektör|strateg|analytiker|"
    "ombudsman|ordförande|kanslist|lektor|rektor|professor|"
    # English
    "manager|director|officer|coordinator|co-ordinator|advisor|adviser|chief|secretary|"
    "planner|engineer|architect|researcher|analyst|consultant|assistant|strategist|"
    "economist|administrator|president|chairman|chairperson|chair|executive|scientist|"
    "counsel|lawyer|trainer"
)
_TITLE_WORD = re.compile(rf"(?:{_TITLE_STEMS})$", re.I)
_HEAD_OF = re.compile(r"\bhead of\b", re.I)
# Words that qualify a title from the left without being one: participles ("Johtava",
# "vastaava"), English grades and fields written in lower case.
_TITLE_MODIFIER = re.compile(
    r"^(?:johtava|vastaava|vanhempi|ylempi|apulais|senior|junior|deputy|acting|assistant|"
    r"chief|executive|principal|lead|leading|project|programme|program|regional|"
    r"international|biträdande|ledande)$",
    re.I,
)
_PARTICIPLE = re.compile(r"(?:va|vä)$")
# "Head of International Affairs": capitalised words after "of" are not a name.
_NOT_BEFORE_NAME = frozenset({"of", "for", "the", "in", "on", "at", "för", "av", "på", "i"})
_CONNECTORS = frozenset({"of", "and", "for", "&", "the", "ja", "och", "för"})
_MAX_TITLE_WORDS = 8

# Organisations written like names: "Business Joensuu", "Helsinki-Uusimaa Regional
# Council", "Lapin liiton", "Kymenlaakson Liitto". Finnish compounds end in the word.
_ORG_WORD = re.compile(
    r"(?:liit(?:to|on|ossa|osta|toon|olle|olta)|förbund\w*|council|oyj?|ab|ltd|ry|"
    r"kaupun(?:ki|gin)|kunta|kunnan|yliopisto\w*|korkeakoulu\w*|business|säätiö\w*|"
    r"keskus\w*|centre|center|stad|staden|kommun\w*|regional|region|university|"
    r"ministeriö\w*|ministry|virasto\w*|instituutti\w*|institute)$",
    re.I,
)
# Capitalised words that are headings, labels and link texts, not names.
NOT_NAMES = re.compile(
    r"^(?:lisätietoja|lisätiedot|yhteystiedot|yhteyshenkilö|yhteyshenkilöt|ota|yhteyttä|jaa|"
    r"artikkeli|kysy|lisää|lue|tutustu|kontakt|kontaktuppgifter|kontaktperson|mer|"
    r"information|contact|contacts|more|further|sähköposti|puhelin|email|phone|tel|puh|gsm|"
    r"tfn|vaihde|växel|etusivu|sivu|sivun|tulosta|seuraa|meitä|facebook|twitter|linkedin|"
    r"instagram|youtube)$",
    re.I,
)

# Upper-case words on council pages that are not names: programme, funding and
# organisation acronyms, and the post-box abbreviations of addresses.
_ACRONYMS = frozenset(
    {
        "TKI",
        "RDI",
        "FOUI",
        "EU",
        "ELY",
        "EAKR",
        "ESR",
        "EAKRR",
        "ESIR",
        "KIRA",
        "HR",
        "IT",
        "ICT",
        "AI",
        "CEO",
        "CTO",
        "CFO",
        "VP",
        "PL",
        "PB",
        "BOX",
        "POB",
        "OY",
        "OYJ",
        "AB",
        "RY",
        "LTD",
        "TE",
        "AMK",
        "UAS",
        "VTT",
        "GTK",
        "LUKE",
        "SYKE",
        "THL",
        "RIS",
        "CLLD",
        "LEADER",
        "INTERREG",
        "EIT",
        "KIC",
        "TEM",
        "OKM",
        "MMM",
        "YM",
        "LVM",
        "NB",
        "HUOM",
    }
)
_NAME_WORD = re.compile(r"^[A-ZÅÄÖÜÉ][a-zåäöüéšžß]+(?:-[A-ZÅÄÖÜÉ][a-zåäöüéšžß]+)?$")
_UPPER_WORD = re.compile(r"^[A-ZÅÄÖÜÉ]{2,}(?:-[A-ZÅÄÖÜÉ]{2,})?$")
_NAME = re.compile(r"^\S+(?:\s+\S+){1,2}$")
_SURNAME_FIRST = re.compile(r"^(\S+),\s*(\S+(?:\s+\S+)?)$")
_UPPER_NAME = re.compile(r"^\S+(?:\s+\S+){1,3}$")
_SENTENCE_END = re.compile(r"[.!?:;,]$")
_INITIAL = re.compile(r"^[A-ZÅÄÖ]\.$")
_EDGE_PUNCTUATION = ".,;:!?()[]\"'”“«»"
_ADDRESS_WORDS = re.compile(r"[._]")  # "anne.niemi-korpela": the double name stays one
_ASCII = str.maketrans("åäöüéšž", "aaouesz")
_MIN_STEM = 4  # "Virtaseen" is "Virtanen" inflected: they share "virta"
_MAX_ENDING = 4


class Person(NamedTuple):
    """A name as written, the name as stored, and the title written with it (if any)."""

    written: str
    name: str
    title: str | None


def is_title_word(word: str) -> bool:
    return bool(_TITLE_WORD.search(word.strip(_EDGE_PUNCTUATION)))


def has_title(text: str) -> bool:
    """Some word of `text` is a job title ("Elinkeinopäällikkö", "Head of ...")."""
    return bool(_HEAD_OF.search(text)) or any(is_title_word(word) for word in text.split())


def is_org_word(word: str) -> bool:
    return bool(_ORG_WORD.search(word.strip(_EDGE_PUNCTUATION)))


def _is_name_word(word: str) -> bool:
    return (
        bool(_NAME_WORD.match(word))
        and not NOT_NAMES.match(word)
        and not is_title_word(word)
        and not is_org_word(word)
    )


def _is_registry_word(word: str) -> bool:
    """An upper-case word that can be part of a name: not an acronym, title or label."""
    return (
        bool(_UPPER_WORD.match(word))
        and word not in _ACRONYMS
        and not NOT_NAMES.match(word)
        and not is_title_word(word)
        and not is_org_word(word)
    )


def normalise_name(written: str) -> str | None:
    """'Räsänen, Petri' / 'KORHONEN, LIISA' / 'HAVUKAINEN ILARI MIKAEL' / 'Riika Kivelä'
    -> 'Firstname Lastname'."""
    written = " ".join(written.split()).strip(_EDGE_PUNCTUATION + " ")
    if not written:
        return None
    if match := _SURNAME_FIRST.match(written):
        surname, given = match.group(1), match.group(2).split()
        words = (surname, *given)
        if all(_is_name_word(word) for word in words):
            return f"{given[0]} {surname}"
        if all(_is_name_word(word) or _is_registry_word(word) for word in words):
            return f"{_capitalise(given[0])} {_capitalise(surname)}"  # KORHONEN, Liisa
        return None
    words = written.split()
    if _UPPER_NAME.match(written) and all(_UPPER_WORD.match(word) for word in words):
        # Registry style: SURNAME GIVEN NAMES.
        if not all(_is_registry_word(word) for word in words):
            return None
        return f"{_capitalise(words[1])} {_capitalise(words[0])}"
    if _NAME.match(written) and all(_is_name_word(word) for word in words):
        return written
    return None


def _capitalise(word: str) -> str:
    """'NIEMI-KORPELA' -> 'Niemi-Korpela': each part of a double name is a name."""
    return "-".join(part.capitalize() for part in word.split("-"))


def people_in(segment: str) -> list[Person]:
    """Name candidates in one segment of a card line, best first.

    The whole segment ("Riika Kivelä", "HAVUKAINEN ILARI MIKAEL"), or a run of name words
    ending it with the title written before ("Johtava asiantuntija Johanna Vuori", "antaa
    aluekehitysjohtaja Mikko Nurmi"), or starting it with the title after ("Riika Kivelä
    projektipäällikkö"). A longer run gives its last two and three words as candidates.
    """
    segment = " ".join(segment.split()).strip(_EDGE_PUNCTUATION + " –-")
    if not segment:
        return []
    if name := normalise_name(segment):
        return [Person(segment, name, None)]
    written_words = [word for word in segment.split() if word.strip(_EDGE_PUNCTUATION)]
    words = [word.strip(_EDGE_PUNCTUATION) for word in written_words]
    if registry := _registry_person(words):
        return [registry]
    end = len(words)
    start = end
    # A run of name words never crosses a sentence end: "… Matti Virtanen. Ilmoittautumiset"
    while start > 0 and (
        (
            _is_name_word(words[start - 1])
            and (start == end or not _ends_sentence(written_words[start - 1]))
        )
        or (start < end and start > 1 and _INITIAL.match(written_words[start - 1]))  # "Matti J."
    ):
        start -= 1
    if start < end and _INITIAL.match(written_words[start]):
        start += 1
    if end - start >= 2 and not (start and words[start - 1] in _NOT_BEFORE_NAME):
        sizes = (end - start, 2) if end - start <= 3 else (2, 3)
        people = []
        for size in dict.fromkeys(sizes):
            written = " ".join(written_words[end - size : end]).strip(_EDGE_PUNCTUATION)
            people.append(Person(written, written, _title_before(words, end - size)))
        return people
    lead = 0
    while lead < len(words) and _is_name_word(words[lead]):
        lead += 1
    rest = " ".join(words[lead:])
    if 2 <= lead <= 3 and has_title(rest) and len(words) - lead <= _MAX_TITLE_WORDS:
        written = " ".join(words[:lead])
        return [Person(written, written, rest)]
    return []


def _registry_person(words: list[str]) -> Person | None:
    """A registry-style name run into a segment: after its title ("kehittämispäällikkö
    KORHONEN LIISA") or before it ("KORHONEN LIISA kehittämispäällikkö")."""
    end = len(words)
    start = end
    while start > 0 and end - start < 3 and _is_registry_word(words[start - 1]):
        start -= 1
    if 2 <= end - start < end and words[start - 1].lower() not in _NOT_BEFORE_NAME:
        written = " ".join(words[start:end])
        return Person(written, normalise_name(written) or written, _title_before(words, start))
    lead = 0
    while lead < len(words) and lead < 3 and _is_registry_word(words[lead]):
        lead += 1
    rest = " ".join(words[lead:])
    if 2 <= lead < len(words) and not _is_registry_word(words[lead]) and has_title(rest):
        written = " ".join(words[:lead])
        return Person(written, normalise_name(written) or written, rest)
    return None


def _ends_sentence(word: str) -> bool:
    return bool(_SENTENCE_END.search(word)) and not _INITIAL.match(word)


def _title_before(words: list[str], start: int) -> str | None:
    """The title written just before a name that starts at `words[start]`, if any."""
    before = words[:start]
    if not before:
        return None
    phrase = " ".join(before)
    if (
        len(before) <= _MAX_TITLE_WORDS
        and before[0].lower() not in _CONNECTORS
        and has_title(phrase)
        and all(_in_title_case(word) for word in before)
    ):
        return phrase  # "Senior Specialist", "Head of International Affairs"
    if not is_title_word(before[-1]):
        return None
    first = start - 1
    while first > 0 and start - first < 4 and _modifies(words[first - 1], first - 1 == 0):
        first -= 1
    return " ".join(words[first:start])


def _in_title_case(word: str) -> bool:
    return (word[:1].isupper() and not is_org_word(word) and not NOT_NAMES.match(word)) or (
        word.lower() in _CONNECTORS or is_title_word(word)
    )


def _modifies(word: str, opens_segment: bool) -> bool:
    """A word that qualifies the title word after it: a genitive ("asioiden"), a participle
    ("Johtava") or a grade. A capitalised genitive mid-segment is a place or an
    organisation ("Business Joensuun"), not part of the title."""
    lower = word.lower()
    if NOT_NAMES.match(lower) or is_org_word(word):
        return False
    if _TITLE_MODIFIER.match(lower) or _PARTICIPLE.search(lower):
        return True
    return lower.endswith("n") and (opens_segment or word[:1].islower())


def surname_first(first: str, second: str) -> Person | None:
    """'Kinnunen' + 'Jarmo' (a line split at commas) -> Jarmo Kinnunen."""
    first, second = first.strip(), second.strip()
    if " " in first or not second:
        return None
    written = f"{first}, {second}"
    name = normalise_name(written)
    return Person(written, name, None) if name and len(second.split()) <= 2 else None


def in_capitals(written: str) -> bool:
    """Written in registry capitals ("KORHONEN, LIISA"): headings shout the same way."""
    letters = [char for char in written if char.isalpha()]
    return bool(letters) and all(char.isupper() for char in letters)


def names_someone(address: str) -> bool:
    """The address is firstname.lastname-like, so it can confirm or refute a name."""
    local = address.split("@", 1)[0].lower()
    return len([part for part in _ADDRESS_WORDS.split(local) if part]) >= 2


def fit_to_address(name: str, address: str) -> str | None:
    """The name as the address spells it, or None when the address names someone else.

    Addresses are firstname.lastname: a name must share a word (or its stem: "Leena
    Virtaseen" is an inflected "Leena Virtanen") with the address, is put in its order
    ("Tolmunen Petri" -> "Petri Tolmunen") and takes the address's word endings.
    """
    local = address.split("@", 1)[0].lower()
    parts = [part for part in _ADDRESS_WORDS.split(local) if part]
    if len(parts) < 2:
        return name  # "kirjaamo@", "riika@": the address cannot confirm or refute
    pieces = {piece for part in parts for piece in part.split("-")}
    words = name.split()
    folded = [_ascii(word.lower()) for word in words]
    if not any(_same_stem(piece, sub) for w in folded for sub in w.split("-") for piece in pieces):
        return None
    fixed = []
    for word, low in zip(words, folded, strict=True):
        part = next((p for p in parts if p == low), None) or next(
            (p for p in parts if _same_stem(p, low)), None
        )
        if part is None or part == low:
            fixed.append(word)
        else:
            common = _common_prefix(part, low)
            fixed.append(_capitalise(word[:common] + part[common:]))
    if len(fixed) == 2 and [_ascii(w.lower()) for w in fixed] == parts[::-1][:2]:
        fixed.reverse()
    return " ".join(fixed)


def _ascii(text: str) -> str:
    return text.translate(_ASCII)


def _common_prefix(a: str, b: str) -> int:
    size = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        size += 1
    return size


def _same_stem(a: str, b: str) -> bool:
    if a == b:
        return True
    common = _common_prefix(a, b)
    return common >= _MIN_STEM and max(len(a), len(b)) - common <= _MAX_ENDING

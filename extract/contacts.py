"""People on a page: name, job title, E.164 phone and email, read from the decoded tree.

The page is turned into lines (blocks and <br> split them), each address found, and the
few lines around it read as that person's card: this one rule covers <br> paragraphs,
Liferay tables, Divi person modules and "Lisätietoja:" lines. Nothing is invented: every
contact has an address or a phone that appears in the page.
"""

from __future__ import annotations

import re

import phonenumbers
from lxml.html import HtmlElement

from .emails import emails_in_text, normalise_email, reveal_emails
from .html import block_lines
from .models import Contact

_GENERIC_MAILBOXES = re.compile(
    r"^(?:kirjaamo|info|toimisto|asiakaspalvelu|palaute|viestinta|registrator|registratur|"
    r"office|contact|webmaster|admin|noreply|no-reply|etunimi\.sukunimi|firstname\.lastname|"
    r"fornamn\.efternamn)@",
    re.I,
)
_PHONE = re.compile(r"(?<![\d+])(?:\+\s?358|00358|0)(?:[\s\-()]*\d){6,11}(?!\d)")
_PHONE_CUE = re.compile(
    r"^(?:puh(?:elin)?|p|tel|tfn|telefon|phone|gsm|mob(?:ile)?|matkapuhelin)\.?:?\s*", re.I
)

# Job titles end in (or are) these words, in Finnish, Swedish and English.
_TITLE_WORDS = re.compile(
    r"(?:päällikkö|johtaja|asiantuntija|koordinaattori|suunnittelija|sihteeri|neuvos|"
    r"kehittäjä|vastaava|yhteyshenkilö|assistentti|tutkija|ohjaaja|esimies|puheenjohtaja|"
    r"projektipäällikkö|hankepäällikkö|manager|director|officer|specialist|coordinator|"
    r"advisor|adviser|expert|head of|chief|secretary|planner|chef|direktör|sakkunnig|"
    r"handläggare|samordnare|planerare|utvecklare|sekreterare|rådgivare|specialist|ansvarig)",
    re.I,
)
_NAME_PART = r"[A-ZÅÄÖÜÉ][a-zåäöüéšž]+(?:-[A-ZÅÄÖÜÉ][a-zåäöüéšž]+)?"
_NAME = re.compile(rf"^{_NAME_PART}(?:\s+{_NAME_PART}){{1,2}}$")
_SURNAME_FIRST = re.compile(rf"^({_NAME_PART}),\s*({_NAME_PART}(?:\s+{_NAME_PART})?)$")
_UPPER_PART = r"[A-ZÅÄÖÜÉ]{2,}(?:-[A-ZÅÄÖÜÉ]{2,})?"
_UPPER_NAME = re.compile(rf"^{_UPPER_PART}(?:\s+{_UPPER_PART}){{1,3}}$")
# Words that look like names in a card but are headings, labels or places.
_NOT_NAMES = frozenset(
    [
        "lisätietoja",
        "yhteystiedot",
        "yhteyshenkilö",
        "yhteyshenkilöt",
        "ota",
        "yhteyttä",
        "jaa",
        "artikkeli",
        "kysy",
        "lisää",
        "lue",
        "lisää",
        "tutustu",
        "kontakt",
        "kontaktuppgifter",
        "mer",
        "information",
        "contact",
        "more",
        "information",
        "further",
        "information",
        "sähköposti",
        "puhelin",
        "email",
        "phone",
    ]
)
# Field labels of table and definition-list layouts (Liferay: "Nimi | Tuomas Hakkarainen").
_LABELS = re.compile(
    r"^(?:nimi|tehtävä|tehtävänimike|nimike|puhelin|puh|sähköposti|s-posti|email|e-mail|"
    r"name|title|phone|telephone|namn|titel|befattning|telefon|e-post|organisaatio|"
    r"organisation|yksikkö|enhet)\s*:?$",
    re.I,
)
_WINDOW_BEFORE = 4
_WINDOW_AFTER = 2


def extract_contacts(tree: HtmlElement, organisation: str | None = None) -> list[Contact]:
    """Every contact card on the page; generic mailboxes become organisation contacts."""
    reveal_emails(tree)
    body = tree.find("body")
    lines = [
        line for line in block_lines(body if body is not None else tree) if not _LABELS.match(line)
    ]
    mailto = {
        address
        for href in tree.xpath(
            "//a[starts-with(translate(@href, 'MAILTO', 'mailto'), 'mailto:')]/@href"
        )
        if (address := normalise_email(href))
    }
    contacts: dict[str, Contact] = {}
    previous_card_end = -1
    for index, line in enumerate(lines):
        for address in emails_in_text(line):
            if address in contacts:
                continue
            start = max(previous_card_end + 1, index - _WINDOW_BEFORE)
            window = lines[start : index + _WINDOW_AFTER + 1]
            contacts[address] = _card(address, line, window, organisation)
            previous_card_end = index
    for address in mailto - contacts.keys():
        contacts[address] = _card(address, "", [], organisation)
    return list(contacts.values())


def _card(address: str, line: str, window: list[str], organisation: str | None) -> Contact:
    if _GENERIC_MAILBOXES.match(address):
        return Contact(
            name=organisation,
            title=None,
            email=address,
            phone=_first_phone([line]),
            kind="organisation",
        )
    written, name = _find_name(window, address)
    title = _find_title(window, written)
    return Contact(
        name=name,
        title=title,
        email=address,
        phone=_first_phone(window),
        name_as_written=written,
    )


def _find_name(window: list[str], address: str) -> tuple[str | None, str | None]:
    for line in window:
        for segment in _segments(line):
            name = normalise_name(segment)
            if name and _plausible_for(name, address):
                return segment, _order_by_address(name, address)
    return None, None


def _segments(line: str) -> list[str]:
    """A card line and its comma parts: 'Elinkeinopäällikkö Tuula Kokkonen, puh. …'."""
    segments = [line.strip()]
    segments += [
        part.strip() for part in re.split(r"\s*[,;|]\s*|\s+[–-]\s+|:\s+", line) if part.strip()
    ]
    out = []
    for segment in segments:
        out.append(segment)
        words = segment.split()
        # Title first: "Elinkeinopäällikkö Tuula Kokkonen".
        if len(words) >= 3 and _TITLE_WORDS.search(words[0]):
            out.append(" ".join(words[1:]))
    return out


def normalise_name(written: str) -> str | None:
    """'Räsänen, Petri' / 'HAVUKAINEN ILARI MIKAEL' / 'Riika Kivelä' -> 'Firstname Lastname'."""
    written = re.sub(r"\s+", " ", written).strip()
    if not written or written.lower() in _NOT_NAMES or _TITLE_WORDS.search(written):
        return None
    if match := _SURNAME_FIRST.match(written):
        return f"{match.group(2).split()[0]} {match.group(1)}"
    if _UPPER_NAME.match(written):
        # Registry style: SURNAME GIVEN NAMES.
        parts = [part.capitalize() for part in written.split()]
        return f"{parts[1]} {parts[0]}"
    if _NAME.match(written):
        if any(word.lower() in _NOT_NAMES for word in written.split()):
            return None
        return written
    return None


def _plausible_for(name: str, address: str) -> bool:
    """A name near an address belongs to it unless the address plainly names someone else."""
    local = address.split("@", 1)[0].lower()
    if "." not in local and "_" not in local:
        return True
    tokens = {_ascii(part) for part in name.lower().split()}
    return any(_ascii(part) in tokens for part in re.split(r"[._-]", local))


def _order_by_address(name: str, address: str) -> str:
    """'Tolmunen Petri' with petri.tolmunen@… is written surname first: flip it."""
    parts = name.split()
    local = [_ascii(part) for part in re.split(r"[._-]", address.split("@", 1)[0].lower())]
    if (
        len(parts) == 2
        and len(local) >= 2
        and [_ascii(p.lower()) for p in parts] == local[::-1][:2]
    ):
        return f"{parts[1]} {parts[0]}"
    return name


_ASCII = str.maketrans("åäöüéšž", "aaouesz")


def _ascii(text: str) -> str:
    return text.translate(_ASCII)


def _find_title(window: list[str], written_name: str | None) -> str | None:
    for line in window:
        for segment in _segments(line):
            if segment == written_name or "@" in segment or _PHONE.search(segment):
                continue
            if _TITLE_WORDS.search(segment) and len(segment) <= 120:
                words = segment.split()
                if written_name and written_name in segment:
                    segment = segment.replace(written_name, "").strip(" ,")
                elif len(words) >= 3 and normalise_name(" ".join(words[1:])):
                    segment = words[0]
                return segment.strip(" ,;:–-") or None
    return None


def _first_phone(window: list[str]) -> str | None:
    for line in window:
        for match in _PHONE.finditer(line):
            phone = normalise_phone(match.group(0))
            if phone:
                return phone
    return None


def normalise_phone(raw: str) -> str | None:
    """Any Finnish notation ('puh. + 358 44 3719 442', '050 50 502 113') -> E.164."""
    match = _PHONE.search(_PHONE_CUE.sub("", raw.strip()))
    if not match:
        return None
    try:
        number = phonenumbers.parse(match.group(0), "FI")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

"""People on a page: name, job title, E.164 phone and email, read from the decoded tree.

The page is turned into lines (blocks and <br> split them). Each address and phone number
is found, and a line holding several people ("... antaa aluekehitysjohtaja Mikko Nurmi,
puh. …, mikko.nurmi(a)…. … hallintopäällikkö Leena Virtaseen, puh. …") is cut into one
group per person. A person's card is their group first, then the few lines around it,
nearest first, never past the previous address, a heading such as "Lisätietoja" or running
text. One rule covers <br> paragraphs, Liferay tables, Divi person modules and
"Lisätietoja:" lines.

Nothing is invented: every contact has an address or a phone written in the page. A person
named with a phone and no address is kept only with a job title written with the name.
Shared mailboxes (kirjaamo@, info@, tietosuoja@) are the organisation, with the
switchboard number written in the same block; "etunimi.sukunimi@" is no one's address.
"""

from __future__ import annotations

import bisect
import re
from typing import NamedTuple

from lxml.html import HtmlElement

from .emails import AT_WORD, find_emails, is_placeholder, reveal_emails
from .html import Line, lines_with_blocks
from .models import Contact
from .names import (
    Person,
    fit_to_address,
    has_title,
    in_capitals,
    names_someone,
    people_in,
    surname_first,
)
from .phones import PHONE, phones_in

_GENERIC_MAILBOXES = re.compile(
    r"^(?:kirjaamo|info|toimisto|asiakaspalvelu|palaute|viestinta|tiedotus|tietosuoja|"
    r"tietosuojavastaava|hallinto|talous|laskutus|rekry|rekrytointi|neuvonta|vaihde|media|"
    r"registrator|registratur|registry|registrar|kansli|dataskydd|privacy|dataprotection|"
    r"gdpr|dpo|office|contact|feedback|press|webmaster|admin|postmaster|support|helpdesk|"
    r"noreply|no-reply)(?:[._-][a-z0-9-]+)?@",
    re.I,
)
# Field labels of table and definition-list layouts (Liferay: "Nimi | Tuomas Hakkarainen").
_LABELS = re.compile(
    r"^(?:nimi|tehtävä|tehtävänimike|nimike|puhelin|puh|sähköposti|s-posti|email|e-mail|"
    r"name|title|phone|telephone|namn|titel|befattning|telefon|e-post|organisaatio|"
    r"organisation|yksikkö|enhet)\s*:?$",
    re.I,
)
# Headings that open a contact block: a card never reaches above them.
_CUE_LINE = re.compile(
    r"^(?:lisätietoja|lisätiedot|yhteystiedot|yhteyshenkilö[t]?|ota yhteyttä|kysy lisää|"
    r"contacts?(?: us| information| persons?)?|further information|more information|"
    r"kontakt(?:uppgifter|person(?:er)?)?|mer information|ytterligare information)\W*$",
    re.I,
)
_SEPARATORS = re.compile(r"\s*[,;|]\s*|\s+[–—-]\s+|:\s+")
# A quotation ("– Hyvä hanke, kertoo …") or a finished sentence is text, not a title.
_QUOTE_OR_SENTENCE = re.compile(r"^\s*[–—\"”]|\S\s+\S+[.!?]$")
_WINDOW_BEFORE = 4
_WINDOW_AFTER = 2
_PROSE_WORDS = 12  # a card line is short; a longer line is running text
_TITLE_LINE_WORDS = 10


class _Item(NamedTuple):
    """An address or a phone number in a line."""

    start: int
    end: int
    email: str | None
    phone: str | None
    switchboard: bool = False


class _Group(NamedTuple):
    """The part of a line that belongs to one person: their words and their items."""

    line: int
    text: str  # the group's text with its items cut out
    before_items: str  # the text before its first item (the name and title are there)
    items: tuple[_Item, ...]


def extract_contacts(tree: HtmlElement, organisation: str | None = None) -> list[Contact]:
    """Every contact on the page in page order; generic mailboxes become the organisation.

    Mutates the tree (`reveal_emails`): cloaked addresses become plain mail links.
    """
    mail_links = reveal_emails(tree)
    body = tree.find("body")
    lines = [
        line
        for line in lines_with_blocks(body if body is not None else tree)
        if not _LABELS.match(line.text)
    ]
    page = _Page(lines)
    found: dict[str, tuple[tuple[int, int], Contact]] = {}
    for group in page.groups:
        for item in group.items:
            if item.email is None or item.email in found:
                continue
            if _GENERIC_MAILBOXES.match(item.email):
                contact = page.organisation_card(group, item, organisation)
            else:
                contact = page.person_card(group, item)
            found[item.email] = ((group.line, item.start), contact)
    for address in mail_links - found.keys():
        if not is_placeholder(address):
            kind = "organisation" if _GENERIC_MAILBOXES.match(address) else "person"
            name = organisation if kind == "organisation" else None
            found[address] = ((len(lines), 0), Contact(name, None, address, None, kind=kind))
    placed = list(found.values())
    placed += page.phone_only_people([contact for _, contact in placed])
    return [contact for _, contact in sorted(placed, key=lambda pair: pair[0])]


class _Page:
    """The page's lines cut into per-person groups, and the phones already given out."""

    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines
        self.groups: list[_Group] = []
        self.by_line: list[list[_Group]] = []
        with_items = _lines_with_items([line.text for line in lines])
        for index, line in enumerate(lines):
            if index in with_items:
                groups = _groups(index, line.text)
            else:
                groups = [_Group(index, line.text, line.text, ())]
            self.by_line.append(groups)
            self.groups.extend(groups)
        self.email_lines = [index for index in range(len(lines)) if self._has_email(index)]
        self.blocks: dict[int, list[int]] = {}
        for index, line in enumerate(lines):
            self.blocks.setdefault(line.block, []).append(index)
        self.claimed: set[tuple[int, int]] = set()

    # ------------------------------------------------------------ cards

    def organisation_card(self, group: _Group, item: _Item, organisation: str | None) -> Contact:
        """A shared mailbox: the organisation, with the number written in the same block."""
        phone = self._claim(group.line, group.items, switchboard_ok=True)
        if phone is None:
            nearby = sorted(
                self.blocks[self.lines[group.line].block],
                key=lambda index: abs(index - group.line),
            )
            for index in nearby:
                if index != group.line and not self._has_email(index):
                    phone = self._claim_line(index, switchboard_ok=True)
                    if phone:
                        break
        return Contact(
            name=organisation, title=None, email=item.email, phone=phone, kind="organisation"
        )

    def person_card(self, group: _Group, item: _Item) -> Contact:
        address = item.email or ""
        before = self._before(group.line)
        after = self._after(group.line)
        person, name_line = self._find_person(group, before, after, address)
        title = self._find_title(group, person, name_line, before, after)
        phone = self._claim(group.line, group.items)
        if phone is None:
            between = [i for i in before if name_line is None or i >= name_line]
            for index in [*between, *after]:
                phone = self._claim_line(index)
                if phone:
                    break
        return Contact(
            name=person.name if person else None,
            title=title,
            email=address,
            phone=phone,
            name_as_written=person.written if person else None,
        )

    def phone_only_people(self, contacts: list[Contact]) -> list[tuple[tuple[int, int], Contact]]:
        """People written with a title, a name and a phone but no address."""
        named = {contact.name: i for i, contact in enumerate(contacts) if contact.name}
        found: list[tuple[tuple[int, int], Contact]] = []
        for group in self.groups:
            if any(item.email for item in group.items):
                continue
            for item in group.items:
                if item.switchboard or (group.line, item.start) in self.claimed:
                    continue
                person, title = self._phone_owner(group)
                if person is None or title is None:
                    continue
                self.claimed.add((group.line, item.start))
                if person.name in named:
                    continue  # the same person's card with an address elsewhere on the page
                contact = Contact(person.name, title, None, item.phone, person.written)
                found.append(((group.line, item.start), contact))
                named[person.name] = -1
        return found

    # ------------------------------------------------------------ finding parts

    def _find_person(
        self, group: _Group, before: list[int], after: list[int], address: str
    ) -> tuple[Person | None, int | None]:
        for index, text in [(group.line, group.text)] + [
            (index, self._text(index)) for index in (*before, *after)
        ]:
            for person in _people(text):
                # An upper-case heading ("ÄLYKÄS ERIKOISTUMINEN") reads as a registry name:
                # in capitals, only an address that spells the name confirms it.
                if in_capitals(person.written) and not names_someone(address):
                    continue
                name = fit_to_address(person.name, address)
                if name:
                    return person._replace(name=name), index
        return None, None

    def _find_title(
        self,
        group: _Group,
        person: Person | None,
        name_line: int | None,
        before: list[int],
        after: list[int],
    ) -> str | None:
        if person is not None and person.title:
            return person.title
        own = group.text if name_line in (None, group.line) else self._text(name_line)
        if title := _title_segments(own, person):
            return title
        # Titles are written with the name or below it: above a name is another card or
        # the article's text ("…, kertoo projektipäällikkö Matti Virtanen").
        if name_line is None:
            candidates = before
        elif name_line != group.line:
            candidates = [*range(name_line + 1, group.line), group.line]
        else:
            candidates = []
        for index in [*candidates, *after]:
            text = group.text if index == group.line else self._text(index)
            if title := _title_line(text):
                return title
        return None

    def _phone_owner(self, group: _Group) -> tuple[Person | None, str | None]:
        if person := _last_person(group.before_items):
            return person, person.title or _title_segments(group.before_items, person)
        if group.before_items.strip():
            return None, None
        # A card without an address: name and title on the lines above the phone.
        block = self.lines[group.line].block
        person = title = None
        for index in range(group.line - 1, max(group.line - 3, -1), -1):
            if self.lines[index].block != block or any(g.items for g in self.by_line[index]):
                break
            text = self._text(index)
            if person is None and (people := _people(text)):
                person = people[0]
                title = title or person.title
            elif title is None:
                title = _title_line(text)
        return person, title

    # ------------------------------------------------------------ card windows

    def _before(self, line: int) -> list[int]:
        """Lines above an address, nearest first, up to the previous address, a contact
        heading or running text."""
        position = bisect.bisect_left(self.email_lines, line)
        previous = self.email_lines[position - 1] if position else -1
        out = []
        for index in range(line - 1, max(previous, line - _WINDOW_BEFORE - 1), -1):
            text = self.lines[index].text
            if _CUE_LINE.match(text) or len(text.split()) > _PROSE_WORDS:
                break
            out.append(index)
        return out

    def _after(self, line: int) -> list[int]:
        """Lines below an address in its own block, up to the next address."""
        block = self.lines[line].block
        out = []
        for index in range(line + 1, min(line + _WINDOW_AFTER + 1, len(self.lines))):
            if self.lines[index].block != block or self._has_email(index):
                break
            out.append(index)
        return out

    def _text(self, index: int) -> str:
        return " | ".join(group.text for group in self.by_line[index])

    def _has_email(self, index: int) -> bool:
        return any(item.email for group in self.by_line[index] for item in group.items)

    def _claim(
        self, line: int, items: tuple[_Item, ...], switchboard_ok: bool = False
    ) -> str | None:
        for item in items:
            if item.phone and (switchboard_ok or not item.switchboard):
                self.claimed.add((line, item.start))
                return item.phone
        return None

    def _claim_line(self, index: int, switchboard_ok: bool = False) -> str | None:
        for group in self.by_line[index]:
            if phone := self._claim(index, group.items, switchboard_ok):
                return phone
        return None


def _lines_with_items(texts: list[str]) -> set[int]:
    """Indexes of the lines that may hold an address or a phone number (a superset).

    One scan of the page's lines joined by NUL instead of three scans of each line: most
    lines hold neither, and there the calls cost more than the scanning. No line holds a
    NUL (lxml's text never does: XML has no such character) and no pattern matches across
    one, so each line scans as if alone.
    """
    joined = "\0".join(texts)
    positions = [m.start() for m in PHONE.finditer(joined)]
    positions += [m.start() for m in AT_WORD.finditer(joined)]
    at = joined.find("@")
    while at != -1:
        positions.append(at)
        at = joined.find("@", at + 1)
    starts = [0]
    for text in texts[:-1]:
        starts.append(starts[-1] + len(text) + 1)
    return {bisect.bisect_right(starts, position) - 1 for position in positions}


def _groups(index: int, text: str) -> list[_Group]:
    """Cut a line into one group per person: a new group starts when a name is written
    between two items ("…, puh. 040 722 6661 ja hallintojohtaja Kaisa Kuusela, puh. …")."""
    items = sorted(
        [
            _Item(f.start, f.end, f.address, None)
            for f in find_emails(text)
            if not is_placeholder(f.address)
        ]
        + [_Item(p.start, p.end, None, p.number, p.switchboard) for p in phones_in(text)]
    )
    items = [item for i, item in enumerate(items) if i == 0 or item.start >= items[i - 1].end]
    if not items:
        return [_Group(index, text, text, ())]
    clusters: list[list[_Item]] = [[items[0]]]
    for previous, item in zip(items, items[1:], strict=False):
        gap = text[previous.end : item.start]
        if _people(gap):
            clusters.append([item])
        else:
            clusters[-1].append(item)
    groups = []
    start = 0
    for number, cluster in enumerate(clusters):
        end = len(text) if number == len(clusters) - 1 else cluster[-1].end
        pieces, cursor = [], start
        for item in cluster:
            pieces.append(text[cursor : item.start])
            cursor = item.end
        pieces.append(text[cursor:end])
        groups.append(_Group(index, " | ".join(pieces), pieces[0], tuple(cluster)))
        start = end
    return groups


def _segments(text: str) -> list[str]:
    return [part.strip() for part in _SEPARATORS.split(text) if part.strip(" .")]


def _people(text: str) -> list[Person]:
    """Name candidates in a card text, in the order written."""
    segments = _segments(text)
    people: list[Person] = []
    for first, second in zip(segments, segments[1:], strict=False):
        if person := surname_first(first, second):
            people.append(person)
    for segment in segments:
        people += people_in(segment)
    return people


def _last_person(text: str) -> Person | None:
    """The name written last in `text` (the one right before a phone), its best reading."""
    segments = _segments(text)
    for position in range(len(segments) - 1, -1, -1):
        if position and (person := surname_first(segments[position - 1], segments[position])):
            return person
        if people := people_in(segments[position]):
            return people[0]
    return None


def _title_segments(text: str, person: Person | None) -> str | None:
    """Title parts written on the name's line: 'Minna Turunen, Development Specialist,
    Business Joensuu' -> 'Development Specialist' (the organisation is not the title)."""
    parts = []
    for segment in _segments(text):
        if person is not None and person.written in segment:
            continue
        if _is_title(segment):
            parts.append(segment.strip(" .;:"))
    return ", ".join(parts) or None


def _title_line(text: str) -> str | None:
    """A line that is only a title keeps its qualifiers: 'Project Manager, ELMO
    coordination project', 'Kansainvälisten asioiden asiantuntija, ELMO-yhteyshenkilö'.
    A line that names someone gives only its title parts, never the name."""
    text = ", ".join(part.strip(" ,;:.") for part in text.split("|") if part.strip(" ,;:."))
    people = _people(text)
    if people:
        return people[0].title or _title_segments(text, people[0])
    return text if _is_title(text) else None


def _is_title(segment: str) -> bool:
    words = segment.split()
    return (
        bool(words)
        and len(words) <= _TITLE_LINE_WORDS
        and not _QUOTE_OR_SENTENCE.search(segment)
        and has_title(segment)
        and not _CUE_LINE.match(segment)
        and not any(char.isdigit() for char in segment)
    )

"""Personal data: forgetting a person on request, and the retention of contacts.

Forgetting removes their contact rows, page links and every stored text that names them.

A person is found by any of their identifiers, and then by the ones those rows add: an
email finds its rows in every source, and those rows' name with their phone find the
rows a page wrote without the address (and the reverse for `--name` and `--phone`).
Texts are searched with `pipeline.redact`, the scanner later crawls use, for the
person's addresses, phones and every writing of their names.

What is kept of the request is salted hashes of the emails, phones and names, never the
data: `forgotten` lets later crawls drop the person again without the database
remembering who it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import sqlite_utils

from extract.phones import normalise_phone
from query.lemmas import page_terms

from .db import now
from .identity import same_person
from .people import name_key, name_parts
from .redact import Hashes, digest, name_digest, scrub_all

# (table, the column that says where the text is from, text columns) that may name people.
TEXT_COLUMNS = [
    ("pages", "url", ("title", "text", "description")),
    ("page_versions", "url", ("title", "text")),
    ("changes", "url", ("diff",)),
    ("documents", "url", ("title", "text")),
    ("document_versions", "url", ("title", "text")),
    ("links", "from_url", ("text",)),
    ("page_blocks", "url", ("titles",)),  # a JSON list; REDACTED keeps it valid JSON
]


@dataclass
class Redaction:
    """One row whose text columns change."""

    table: str
    rowid: int
    where: str  # the page or document URL the text belongs to
    values: dict[str, str | None]


@dataclass
class ForgetPlan:
    """What `forget` removes; `describe()` lists it for the operator."""

    contacts: list[dict] = field(default_factory=list)
    links: list[tuple[str, int]] = field(default_factory=list)
    redactions: list[Redaction] = field(default_factory=list)
    emails: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    shared_phones: dict[str, int] = field(default_factory=dict)  # kept: others' numbers too

    @property
    def contact_ids(self) -> list[int]:
        return [c["id"] for c in self.contacts]

    @property
    def page_links(self) -> int:
        return len(self.links)

    @property
    def rows_to_redact(self) -> dict[str, int]:
        counts = {table: 0 for table, _, _ in TEXT_COLUMNS}
        for redaction in self.redactions:
            counts[redaction.table] += 1
        return counts

    def hashes(self) -> Hashes:
        found = Hashes()
        found.add(self.emails, self.phones, self.names)
        return found

    def describe(self) -> list[str]:
        """Every row, link and text the plan touches, one line each."""
        lines = [
            f"contact {c['id']} ({c['source_id']}): "
            + ", ".join(str(c[k]) for k in ("name", "title", "email", "phone") if c[k])
            for c in self.contacts
        ]
        lines += [f"page link: {url} -> contact {contact}" for url, contact in self.links]
        lines += [
            f"text: {r.table} row {r.rowid} ({r.where}): {', '.join(r.values)}"
            for r in self.redactions
        ]
        lines += [
            f"phone {phone} stays: {n} other contact(s) have it too (give --phone to redact it)"
            for phone, n in sorted(self.shared_phones.items())
        ]
        return lines


def plan(
    db: sqlite_utils.Database,
    email: str | None = None,
    name: str | None = None,
    phone: str | None = None,
) -> ForgetPlan:
    """What `forget` would remove, without changing anything (the --dry-run)."""
    email = email.strip().lower() if email else None
    phone = normalise_phone(phone) if phone else None
    result = ForgetPlan()
    result.contacts = _people(db, email, name, phone)
    result.emails = {c["email"] for c in result.contacts if c["email"]} | ({email} - {None})
    result.names = {
        n for c in result.contacts for n in (c["name"], c["name_as_written"]) if name_parts(n)
    } | ({name} if name_parts(name) else set())
    phones = {c["phone"] for c in result.contacts if c["phone"]}
    marks = _marks(result.contact_ids)
    for own in phones - {phone}:
        others = db.execute(
            f"SELECT count(*) FROM contacts WHERE phone = ? AND id NOT IN ({marks})",
            [own, *result.contact_ids],
        ).fetchone()[0]
        if others:
            result.shared_phones[own] = others
    result.phones = (phones - set(result.shared_phones)) | ({phone} - {None})
    result.links = [
        (url, contact)
        for url, contact in db.execute(
            f"SELECT url, contact_id FROM page_contacts WHERE contact_id IN ({marks})"
            " ORDER BY url, contact_id",
            result.contact_ids,
        )
    ]
    result.redactions = _redactions(db, result)
    return result


def apply(db: sqlite_utils.Database, forget: ForgetPlan) -> None:
    """Delete the contacts and links, redact the texts (the FTS triggers re-index them),
    log the hashes — in one transaction; then merge the full-text indexes so that no
    segment keeps the old words, with freed pages zeroed."""
    db.execute("PRAGMA secure_delete = ON")
    with db.atomic():
        marks = _marks(forget.contact_ids)
        db.execute(f"DELETE FROM page_contacts WHERE contact_id IN ({marks})", forget.contact_ids)
        db.execute(f"DELETE FROM contacts WHERE id IN ({marks})", forget.contact_ids)
        for redaction in forget.redactions:
            values = dict(redaction.values)
            if redaction.table in ("pages", "documents"):
                values.update(_lemmas(db, redaction))
            sets = ", ".join(f"{column} = ?" for column in values)
            db.execute(
                f"UPDATE {redaction.table} SET {sets} WHERE rowid = ?",
                [*values.values(), redaction.rowid],
            )
        hashes = forget.hashes()
        identities = [(h, None, None) for h in sorted(hashes.emails)]
        identities += [(None, h, None) for h in sorted(hashes.names)]
        identities += [(None, None, h) for h in sorted(hashes.phones)]
        counts = [len(forget.contacts), forget.page_links, len(forget.redactions)]
        for index, identity in enumerate(identities):
            db.execute(
                "INSERT INTO forgotten (at, email_hash, name_hash, phone_hash, contacts_removed,"
                " page_links_removed, rows_redacted) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [now(), *identity, *(counts if index == 0 else [0, 0, 0])],
            )
    for table in ("pages", "documents"):
        db[table].optimize()


def drop_stale_contacts(db: sqlite_utils.Database, days: int) -> int:
    """Retention: contacts no page has shown for `days` days are deleted."""
    cutoff = (datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="seconds")
    with db.atomic():
        stale = [r[0] for r in db.execute("SELECT id FROM contacts WHERE last_seen < ?", [cutoff])]
        marks = _marks(stale)
        db.execute(f"DELETE FROM page_contacts WHERE contact_id IN ({marks})", stale)
        db.execute(f"DELETE FROM contacts WHERE id IN ({marks})", stale)
    return len(stale)


def forgotten_hashes(db: sqlite_utils.Database) -> Hashes:
    """Everyone forgotten so far, as the hashes later crawls compare with."""
    found = Hashes()
    for email_hash, name_hash, phone_hash in db.execute(
        "SELECT email_hash, name_hash, phone_hash FROM forgotten"
    ):
        for bucket, value in (
            (found.emails, email_hash),
            (found.names, name_hash),
            (found.phones, phone_hash),
        ):
            if value:
                bucket.add(value)
    return found


def _people(
    db: sqlite_utils.Database, email: str | None, name: str | None, phone: str | None
) -> list[dict]:
    """The contact rows of the person: those with the identifiers given, then, until
    nothing is added, rows with an address found, rows with a name found and its phone,
    and rows of the same source that the identity rule says are the same person."""
    rows = [dict(r) for r in db["contacts"].rows_where(order_by="id")]
    wanted = _written_either_way(name)
    found = [
        r
        for r in rows
        if (email and r["email"] == email)
        or (phone and r["phone"] == phone)
        or (wanted & {name_digest(r["name"]), name_digest(r["name_as_written"])})
    ]
    while True:
        more = [
            r for r in rows if r not in found and any(_same_person_anywhere(r, f) for f in found)
        ]
        if not more:
            return found
        found += more


def _same_person_anywhere(a: dict, b: dict) -> bool:
    if a["email"] and a["email"] == b["email"]:
        return True
    key = name_key(a["name"])
    if key and key == name_key(b["name"]) and a["phone"] and a["phone"] == b["phone"]:
        return True
    return a["source_id"] == b["source_id"] and same_person(a, b)


def _written_either_way(name: str | None) -> set[str]:
    """Hashes of a name as given, in both orders ('Rautio Tapani' for an unknown name)."""
    parts = name_parts(name)
    if not parts:
        return set()
    given, surname = parts
    return {digest(f"{given} {surname}"), digest(f"{surname} {given}")}


def _redactions(db: sqlite_utils.Database, forget: ForgetPlan) -> list[Redaction]:
    hashes = forget.hashes()
    if not hashes:
        return []
    may_name = _prefilter(forget)
    names = sorted(forget.names)
    found = []
    for table, where, columns in TEXT_COLUMNS:
        if not db[table].exists():
            continue
        for row in db.execute(f"SELECT rowid, {where}, {', '.join(columns)} FROM {table}"):
            texts = list(row[2:])
            if not any(text and may_name.search(text) for text in texts):
                continue
            scrubbed = scrub_all(texts, hashes, names)
            values = {
                c: new for c, old, new in zip(columns, texts, scrubbed, strict=True) if new != old
            }
            if values:
                found.append(Redaction(table, row[0], row[1], values))
    return found


def _prefilter(forget: ForgetPlan) -> re.Pattern[str]:
    """A cheap test before the scan: a surname's first letters, an address's local part,
    or a phone's digits after +358 / 0 with separators between them."""
    needles = {re.escape(p[1][:3]) for p in map(name_parts, forget.names) if p}
    needles |= {re.escape(email.split("@")[0]) for email in forget.emails}
    needles |= {r"\W{0,3}".join(p.replace("+358", "", 1).lstrip("+")) for p in forget.phones}
    return re.compile("|".join(sorted(needles)) or r"(?!)", re.I)


def _lemmas(db: sqlite_utils.Database, redaction: Redaction) -> dict[str, str]:
    """The index terms of a redacted page or document, from its new title and text."""
    if redaction.table == "pages":
        title, text, language = db.execute(
            "SELECT title, text, language FROM pages WHERE rowid = ?", [redaction.rowid]
        ).fetchone()
    else:
        title, text = db.execute(
            "SELECT title, text FROM documents WHERE rowid = ?", [redaction.rowid]
        ).fetchone()
        language = "fi"
    title = redaction.values.get("title", title)
    text = redaction.values.get("text", text)
    return page_terms(title, text, language)._asdict()


def _marks(values: list) -> str:
    return ",".join("?" * len(values)) or "NULL"

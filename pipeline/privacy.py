"""Personal data: forgetting a person on request, and the retention of contacts.

Forgetting removes contacts, page links and every stored text that names the person.

What is kept of the request is a salted hash of the email and of the name, never the data:
`forgotten` lets later crawls drop the person again (contacts, and redaction of new page
text) without the database remembering who it was.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import sqlite_utils

from query.lemmas import page_terms

from .db import now

REDACTED = "[poistettu / removed]"
_SALT = b"ris3watch-forget-v1"
_EMAIL = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_NAME_PAIR = re.compile(r"\b([A-ZÅÄÖÜ][\w-]+),?\s+([A-ZÅÄÖÜ][\w-]+)\b")

# (table, key column, text columns) whose text may name a person.
TEXT_COLUMNS = [
    ("pages", "url", ("title", "text", "description")),
    ("page_versions", "id", ("title", "text")),
    ("changes", "id", ("diff",)),
    ("documents", "url", ("title", "text")),
    ("document_versions", "id", ("title", "text")),
]


def digest(value: str) -> str:
    return hashlib.sha256(_SALT + value.strip().lower().encode("utf-8")).hexdigest()


@dataclass
class ForgetPlan:
    email: str | None
    name: str | None
    contact_ids: list[int] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    page_links: int = 0
    rows_to_redact: dict[str, int] = field(default_factory=dict)
    patterns: list[re.Pattern[str]] = field(default_factory=list)


def plan(db: sqlite_utils.Database, email: str | None, name: str | None) -> ForgetPlan:
    """What `forget` would remove, without changing anything (the --dry-run)."""
    email = email.strip().lower() if email else None
    result = ForgetPlan(email=email, name=name.strip() if name else None)
    where, params = [], []
    if email:
        where.append("lower(email) = ?")
        params.append(email)
    if name:
        where.append("lower(name) = ? OR lower(name_as_written) = ?")
        params += [name.strip().lower()] * 2
    result.contact_ids = [
        r[0] for r in db.execute(f"SELECT id FROM contacts WHERE {' OR '.join(where)}", params)
    ]
    found = list(
        db.execute(
            f"SELECT phone, name, email FROM contacts WHERE id IN ({_marks(result.contact_ids)})",
            result.contact_ids,
        )
    )
    phones = [phone for phone, _, _ in found if phone]
    # Forgetting an address forgets the person it belongs to, and the reverse.
    result.names = sorted({n for _, n, _ in found if n} | ({result.name} if result.name else set()))
    result.emails = sorted({e for _, _, e in found if e} | ({email} if email else set()))
    if result.contact_ids:
        result.page_links = db.execute(
            f"SELECT count(*) FROM page_contacts WHERE contact_id IN "
            f"({_marks(result.contact_ids)})",
            result.contact_ids,
        ).fetchone()[0]
    result.patterns = _patterns(result.emails, result.names, phones)
    for table, key, columns in TEXT_COLUMNS:
        if not result.patterns or not db[table].exists():
            continue
        count = sum(
            1
            for row in db[table].rows_where(select=", ".join((key, *columns)))
            if any(_matches(result.patterns, row[c]) for c in columns)
        )
        result.rows_to_redact[table] = count
    return result


def apply(db: sqlite_utils.Database, forget: ForgetPlan) -> None:
    """Delete the contacts and links, redact the texts, log it — in one transaction."""
    with db.atomic():
        marks = _marks(forget.contact_ids)
        db.execute(f"DELETE FROM page_contacts WHERE contact_id IN ({marks})", forget.contact_ids)
        db.execute(f"DELETE FROM contacts WHERE id IN ({marks})", forget.contact_ids)
        for table, key, columns in TEXT_COLUMNS:
            for row in list(db[table].rows_where(select=", ".join((key, *columns)))):
                if not any(_matches(forget.patterns, row[c]) for c in columns):
                    continue
                values = {c: redact(row[c], forget.patterns) for c in columns}
                if table == "pages":
                    language = db.execute(
                        "SELECT language FROM pages WHERE url = ?", [row[key]]
                    ).fetchone()[0]
                    values.update(page_terms(values["title"], values["text"], language)._asdict())
                sets = ", ".join(f"{c} = ?" for c in values)
                db.execute(
                    f"UPDATE {table} SET {sets} WHERE {key} = ?", [*values.values(), row[key]]
                )
        identities = [(digest(e), None) for e in forget.emails]
        identities += [(None, digest(n)) for n in forget.names]
        counts = [len(forget.contact_ids), forget.page_links, sum(forget.rows_to_redact.values())]
        for index, (email_hash, name_hash) in enumerate(identities):
            db.execute(
                "INSERT INTO forgotten (at, email_hash, name_hash, contacts_removed,"
                " page_links_removed, rows_redacted) VALUES (?, ?, ?, ?, ?, ?)",
                [now(), email_hash, name_hash, *(counts if index == 0 else [0, 0, 0])],
            )


def drop_stale_contacts(db: sqlite_utils.Database, days: int) -> int:
    """Retention: contacts no page has shown for `days` days are deleted."""
    cutoff = (datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="seconds")
    with db.atomic():
        stale = [r[0] for r in db.execute("SELECT id FROM contacts WHERE last_seen < ?", [cutoff])]
        marks = _marks(stale)
        db.execute(f"DELETE FROM page_contacts WHERE contact_id IN ({marks})", stale)
        db.execute(f"DELETE FROM contacts WHERE id IN ({marks})", stale)
    return len(stale)


def forgotten_hashes(db: sqlite_utils.Database) -> set[str]:
    return {
        h for row in db.execute("SELECT email_hash, name_hash FROM forgotten") for h in row if h
    }


def redact_forgotten(text: str | None, hashes: set[str]) -> str | None:
    """Redact, in newly crawled text, emails and names whose hashes were forgotten."""
    if not text or not hashes:
        return text
    text = _EMAIL.sub(lambda m: REDACTED if digest(m.group(0)) in hashes else m.group(0), text)

    def name(match: re.Match[str]) -> str:
        first, second = match.group(1), match.group(2)
        candidates = (f"{first} {second}", f"{second} {first}")
        return REDACTED if any(digest(c) in hashes for c in candidates) else match.group(0)

    return _NAME_PAIR.sub(name, text)


def redact(text: str | None, patterns: list[re.Pattern[str]]) -> str | None:
    if not text:
        return text
    for pattern in patterns:
        text = pattern.sub(REDACTED, text)
    return text


def _patterns(emails: list[str], names: list[str], phones: list[str]) -> list[re.Pattern[str]]:
    patterns = [re.compile(re.escape(email), re.I) for email in emails]
    for name in names:
        parts = name.split()
        if len(parts) >= 2:
            first, last = parts[0], parts[-1]
            patterns.append(
                re.compile(
                    rf"\b(?:{re.escape(first)}\s+{re.escape(last)}|{re.escape(last)},?\s+"
                    rf"{re.escape(first)}(?:\s+[A-ZÅÄÖ][\w-]+)?)\b",
                    re.I,
                )
            )
    for phone in phones:
        national = phone.replace("+358", "0", 1)
        digits = [re.escape(d) for d in national[1:]]
        separated = r"[\s-]?".join(digits)
        patterns.append(re.compile(rf"(?:\+\s?358\s?|0)\s?{separated}(?!\d)"))
    return patterns


def _matches(patterns: list[re.Pattern[str]], value: str | None) -> bool:
    return bool(value) and any(p.search(value) for p in patterns)


def _marks(values: list) -> str:
    return ",".join("?" * len(values)) or "NULL"

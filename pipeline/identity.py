"""Who is who: one `contacts` row per person per source, however many pages name them.

Within a source, a contact is the same person as a stored row when

- both have an email address and it is the same address; or
- one of them has no address, their names are the same person's
  (`pipeline.people.name_key`: "Tapani Rautio", "RAUTIO TAPANI", "Tapani Juhani Rautio")
  and they share a phone number or a job title.

A contact with an address absorbs the address-less rows it matches (the English page
named the person without the address the Finnish page shows): their page links move to
it, `first_seen` is the earliest of them and `last_seen` the latest. Two different
addresses are two people, however alike the rest.
"""

from __future__ import annotations

import logging
from collections import defaultdict

from extract import Contact

from .people import name_key

logger = logging.getLogger(__name__)

_COLUMNS = "id, source_id, email, name, phone, title, first_seen"
Row = dict
_INSERT = (
    "INSERT INTO contacts (key, name, title, email, phone, organisation, kind, name_as_written,"
    " source_id, first_seen, last_seen) VALUES (:key, :name, :title, :email, :phone,"
    " :organisation, :kind, :name_as_written, :source_id, :first_seen, :last_seen)"
)
# What a page says of a person fills in what is known, never blanks it.
_IDENTITY = ("email", "name", "phone", "title")  # contact_key's arguments after the source
_UPDATE = (
    "UPDATE contacts SET key = :key, name = coalesce(:name, name),"
    " title = coalesce(:title, title), email = coalesce(:email, email),"
    " phone = coalesce(:phone, phone), organisation = :organisation, kind = :kind,"
    " name_as_written = coalesce(:name_as_written, name_as_written),"
    " first_seen = min(first_seen, :first_seen), last_seen = max(last_seen, :last_seen)"
    " WHERE id = :id"
)


def contact_key(
    source_id: str | None, email: str | None, name: str | None, phone: str | None, title
) -> str:
    """The unique `contacts.key` of a row: its source and its email, else its name with
    its phone (or title)."""
    if email:
        return f"{source_id}|{email}"
    return f"{source_id}|{name_key(name) or ''}|{phone or _fold(title)}"


def same_person(a: Row, b: Row) -> bool:
    """The identity rule (module docstring) for two rows or contacts of one source."""
    if a["email"] and b["email"]:
        return a["email"] == b["email"]
    if name_key(a["name"]) != name_key(b["name"]):
        return False
    if a["phone"] and a["phone"] == b["phone"]:
        return True
    return bool(a["title"]) and _fold(a["title"]) == _fold(b["title"])


def save_contact(
    db, source_id: str, contact: Contact, organisation: str | None, seen_at: str
) -> int:
    """Insert or update the row of `contact` (merging rows that turn out to be this
    person) and return its id. Runs inside the caller's transaction."""
    row = {
        "key": contact_key(source_id, contact.email, contact.name, contact.phone, contact.title),
        "name": contact.name,
        "title": contact.title,
        "email": contact.email,
        "phone": contact.phone,
        "organisation": organisation,
        "kind": contact.kind,
        "name_as_written": contact.name_as_written,
        "source_id": source_id,
        "first_seen": seen_at,
        "last_seen": seen_at,
    }
    matches = [r for r in _candidates(db, source_id, contact) if same_person(row, r)]
    if not matches:
        return db.execute(_INSERT, row).lastrowid
    matches.sort(
        key=lambda r: (
            not (contact.email and r["email"] == contact.email),
            not (contact.phone and r["phone"] == contact.phone),
            not r["email"],
            r["id"],
        )
    )
    target = matches[0]
    email = contact.email or target["email"]
    for other in matches[1:]:
        if not other["email"] or other["email"] == email:
            merge(db, target["id"], other["id"])
            target = {c: target[c] if target[c] is not None else v for c, v in other.items()}
    final = {c: row[c] if row[c] is not None else target[c] for c in _IDENTITY}
    key = contact_key(source_id, *(final[c] for c in _IDENTITY))
    if _holder(db, key, target["id"]) is None:
        db.execute(_UPDATE, {**row, "key": key, "id": target["id"]})
    else:  # an older row has this person's key (a rule change in between): one row
        db.execute(_UPDATE, {**row, "key": f"saving|{target['id']}", "id": target["id"]})
        _settle_key(db, target["id"])
    return target["id"]


def _holder(db, key: str, contact_id: int) -> int | None:
    """Another row that holds `key`."""
    row = db.execute(
        "SELECT id FROM contacts WHERE key = :key AND id != :id", {"key": key, "id": contact_id}
    ).fetchone()
    return row[0] if row else None


def merge(db, keep: int, drop: int) -> None:
    """Row `drop` is the person of row `keep`: its page links and dates move to `keep`,
    which also takes the details it lacks; `drop` is deleted."""
    ids = {"keep": keep, "drop": drop}
    db.execute(
        "INSERT OR IGNORE INTO page_contacts (url, contact_id)"
        " SELECT url, :keep FROM page_contacts WHERE contact_id = :drop",
        ids,
    )
    db.execute("DELETE FROM page_contacts WHERE contact_id = :drop", ids)
    db.execute(
        "UPDATE contacts SET first_seen = min(contacts.first_seen, d.first_seen),"
        " last_seen = max(contacts.last_seen, d.last_seen),"
        " name = coalesce(contacts.name, d.name), title = coalesce(contacts.title, d.title),"
        " email = coalesce(contacts.email, d.email), phone = coalesce(contacts.phone, d.phone),"
        " organisation = coalesce(contacts.organisation, d.organisation),"
        " name_as_written = coalesce(contacts.name_as_written, d.name_as_written)"
        " FROM (SELECT * FROM contacts WHERE id = :drop) AS d WHERE contacts.id = :keep",
        ids,
    )
    db.execute("DELETE FROM contacts WHERE id = :drop", ids)


def merge_duplicates(db) -> int:
    """The migration to this identity rule: rows that name pages of several sources are
    split per source, then each source's rows of one person are merged, and every key is
    recomputed. Returns how many rows were merged away. Runs inside the caller's
    transaction."""
    _split_by_source(db)
    merged = 0
    by_source: dict[str | None, list[Row]] = defaultdict(list)
    for row in _rows(db, f"SELECT {_COLUMNS} FROM contacts ORDER BY email IS NULL, id"):
        by_source[row["source_id"]].append(row)
    for rows in by_source.values():
        kept: list[Row] = []
        for row in rows:
            same = next((k for k in kept if same_person(k, row)), None)
            if same is None:
                kept.append(row)
                continue
            merge(db, same["id"], row["id"])
            for column in ("email", "name", "phone", "title"):
                same[column] = same[column] or row[column]
            merged += 1
    db.execute("UPDATE contacts SET key = 'migrating|' || id")
    for row in _rows(db, f"SELECT {_COLUMNS} FROM contacts ORDER BY id"):
        _settle_key(db, row["id"])
    if merged:
        logger.info("Merged %d duplicate contact rows into the people they are", merged)
    return merged


def _split_by_source(db) -> None:
    """A row linked from pages of other sources gets one copy per source (older releases
    kept one row per address across sources)."""
    spread = db.execute(
        "SELECT DISTINCT page_contacts.contact_id, pages.source_id FROM page_contacts"
        " JOIN pages ON pages.url = page_contacts.url"
        " JOIN contacts ON contacts.id = page_contacts.contact_id"
        " WHERE pages.source_id IS NOT contacts.source_id ORDER BY 1, 2"
    ).fetchall()
    for contact_id, source_id in spread:
        ids = {"id": contact_id, "source_id": source_id}
        ids["copy"] = db.execute(
            "INSERT INTO contacts (key, name, title, email, phone, organisation, kind,"
            " name_as_written, source_id, first_seen, last_seen)"
            " SELECT 'split|' || id || '|' || :source_id, name, title, email, phone,"
            " organisation, kind, name_as_written, :source_id, first_seen, last_seen"
            " FROM contacts WHERE id = :id",
            ids,
        ).lastrowid
        db.execute(
            "UPDATE page_contacts SET contact_id = :copy WHERE contact_id = :id"
            " AND url IN (SELECT url FROM pages WHERE source_id = :source_id)",
            ids,
        )


def _settle_key(db, contact_id: int) -> None:
    """Give the row its key; a row already holding that key is the same person."""
    row = _rows(db, f"SELECT {_COLUMNS} FROM contacts WHERE id = :id", id=contact_id)[0]
    key = contact_key(row["source_id"], row["email"], row["name"], row["phone"], row["title"])
    if (other := _holder(db, key, contact_id)) is not None:
        merge(db, contact_id, other)
    db.execute("UPDATE contacts SET key = :key WHERE id = :id", {"key": key, "id": contact_id})


def _candidates(db, source_id: str, contact: Contact) -> list[Row]:
    """Rows of the source that may be this person (`same_person` decides): the same
    address, or a name from the contact's first word to its last, in either order (stored
    names are "Firstname [Middle] Lastname"; an index on (source_id, name) finds them)."""
    selects = [f"SELECT {_COLUMNS} FROM contacts WHERE source_id = :source_id AND email = :email"]
    params = {"source_id": source_id, "email": contact.email}
    words = contact.name.split() if contact.name else []
    if len(words) >= 2:
        for index, (first, last) in enumerate({(words[0], words[-1]), (words[-1], words[0])}):
            params |= {f"from{index}": f"{first} ", f"to{index}": f"{first}!", f"end{index}": last}
            selects.append(
                f"SELECT {_COLUMNS} FROM contacts WHERE source_id = :source_id"
                f" AND name >= :from{index} AND name < :to{index}"
                f" AND name LIKE '% ' || :end{index}"
            )
    return _rows(db, " UNION ".join(selects), **params)


def _rows(db, sql: str, **params) -> list[Row]:
    cursor = db.execute(sql, params)
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, values, strict=True)) for values in cursor.fetchall()]


def _fold(text: str | None) -> str:
    return " ".join(text.casefold().split()) if text else ""

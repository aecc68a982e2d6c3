"""The golden extraction corpus: expectations, cached extraction and contact pairing.

Shared by tests/extract/test_golden.py and bench/extraction_quality.py. The fixtures are
HTML pages written in the markup of the councils' CMSes; fixtures/expected.toml says what an
analyst wants from each ("none" stands for None).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXPECTED = FIXTURES / "expected.toml"
NONE = "none"
CONTACT_FIELDS = ("name", "title", "email", "phone", "kind")


def _value(value):
    return None if value == NONE else value


def load_expectations(path: Path = EXPECTED) -> list[dict]:
    """One dict per [[page]], with None for "none" and organisation contacts named."""
    pages = []
    for page in tomllib.loads(path.read_text(encoding="utf-8"))["page"]:
        organisation = page.get("organisation")
        contacts = []
        for contact in page.get("contacts", []):
            kind = contact.get("kind", "person")
            default_name = organisation if kind == "organisation" else NONE
            contacts.append(
                {
                    "name": _value(contact.get("name", default_name)),
                    "title": _value(contact.get("title", NONE)),
                    "email": _value(contact.get("email", NONE)),
                    "phone": _value(contact.get("phone", NONE)),
                    "kind": kind,
                }
            )
        pages.append(
            {
                "file": page["file"],
                "url": page["url"],
                "content_type": page.get("content_type"),
                "organisation": organisation,
                "title": _value(page["title"]),
                "language": _value(page["language"]),
                "published": _value(page["published"]),
                "updated": _value(page["updated"]),
                "relevant": page["relevant"],
                "text_contains": list(page.get("text_contains", [])),
                "text_forbidden": list(page.get("text_forbidden", [])),
                "contacts": contacts,
            }
        )
    return pages


_RESULTS: dict[str, object] = {}


def run_page(page: dict):
    """extract_page on the fixture, once per process; re-raises what extraction raised."""
    if page["file"] not in _RESULTS:
        from extract import extract_page

        body = (FIXTURES / page["file"]).read_bytes()
        try:
            _RESULTS[page["file"]] = extract_page(
                body, page["url"], page["content_type"], page["organisation"]
            )
        except Exception as exc:  # reported by every test of the page
            _RESULTS[page["file"]] = exc
    result = _RESULTS[page["file"]]
    if isinstance(result, Exception):
        raise result
    return result


def squash(text: str | None) -> str:
    """Whitespace-insensitive form for snippet and title comparisons."""
    return " ".join((text or "").split())


def pair_contacts(expected: list[dict], got) -> tuple[list[tuple[dict, object]], list]:
    """[(expected contact, extracted Contact or None)], [extracted contacts nobody expected].

    Contacts pair by email (case-insensitive); a person expected without an email pairs with
    an extracted contact that has no email and the same phone.
    """
    left = list(got)
    pairs = []
    for want in expected:
        match = None
        for contact in left:
            if want["email"]:
                if (contact.email or "").lower() == want["email"].lower():
                    match = contact
            elif contact.email is None and contact.phone == want["phone"]:
                match = contact
            if match is not None:
                left.remove(match)
                break
        pairs.append((want, match))
    return pairs, left


def contact_key(contact: dict) -> str:
    return contact["email"] or f"{contact['name']} ({contact['phone']}, no email)"


def same_field(field: str, want, got) -> bool:
    """Job titles compare case-insensitively (as written); everything else exactly."""
    if field == "title" and want is not None and got is not None:
        return squash(want).casefold() == squash(got).casefold()
    return want == got

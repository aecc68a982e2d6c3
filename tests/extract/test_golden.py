"""Golden corpus for the extraction stage: one test per field per fixture page.

Expectations live in fixtures/expected.toml (see golden.py); each failure names the page and
shows what was expected and what extract_page returned.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from golden import (  # noqa: E402
    contact_key,
    load_expectations,
    pair_contacts,
    run_page,
    same_field,
    squash,
)

PAGES = load_expectations()
by_page = pytest.mark.parametrize("page", PAGES, ids=[page["file"] for page in PAGES])


def _field(page: dict, name: str) -> None:
    got = getattr(run_page(page), name)
    assert got == page[name], f"{page['file']}: {name} expected {page[name]!r}, got {got!r}"


@by_page
def test_title(page):
    got = run_page(page).title
    assert squash(got) == squash(page["title"]), (
        f"{page['file']}: title expected {page['title']!r}, got {got!r}"
    )


@by_page
def test_language(page):
    _field(page, "language")


@by_page
def test_published(page):
    _field(page, "published")


@by_page
def test_updated(page):
    _field(page, "updated")


@by_page
def test_relevance(page):
    record = run_page(page)
    assert record.relevant == page["relevant"], (
        f"{page['file']}: relevant expected {page['relevant']}, got {record.relevant} "
        f"(score {record.relevance})"
    )


@by_page
def test_text_contains(page):
    text = squash(run_page(page).text)
    missing = [snippet for snippet in page["text_contains"] if squash(snippet) not in text]
    assert not missing, f"{page['file']}: text lacks {missing!r}\n--- text starts ---\n{text[:600]}"


@by_page
def test_text_forbidden(page):
    text = squash(run_page(page).text)
    present = [snippet for snippet in page["text_forbidden"] if squash(snippet) in text]
    assert not present, f"{page['file']}: boilerplate left in text: {present!r}"


@by_page
def test_contact_emails(page):
    got = {contact.email for contact in run_page(page).contacts if contact.email}
    want = {contact["email"] for contact in page["contacts"] if contact["email"]}
    assert got == want, (
        f"{page['file']}: emails missing {sorted(want - got)}, unexpected {sorted(got - want)}"
    )


def _contact_field(page: dict, field: str) -> None:
    pairs, _ = pair_contacts(page["contacts"], run_page(page).contacts)
    wrong = []
    for want, got in pairs:
        value = getattr(got, field) if got is not None else "<contact not found>"
        if got is None or not same_field(field, want[field], value):
            wrong.append(f"{contact_key(want)}: expected {want[field]!r}, got {value!r}")
    assert not wrong, f"{page['file']}: contact {field}s wrong:\n  " + "\n  ".join(wrong)


@by_page
def test_contact_names(page):
    _contact_field(page, "name")


@by_page
def test_contact_titles(page):
    _contact_field(page, "title")


@by_page
def test_contact_phones(page):
    _contact_field(page, "phone")


@by_page
def test_contact_kinds(page):
    _contact_field(page, "kind")


@by_page
def test_no_invented_contacts(page):
    _, invented = pair_contacts(page["contacts"], run_page(page).contacts)
    assert not invented, f"{page['file']}: contacts nobody expected: {invented!r}"

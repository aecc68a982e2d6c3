"""The schema, in one place. Table and column names are a public contract (README).

This is the schema as it is now; `pipeline/migrations.py` brings any database to it. A new
table or column goes here and gets a migration there.
"""

from __future__ import annotations

TABLES: dict[str, dict] = {
    "sources": {
        "columns": {
            "id": str,
            "name": str,
            "region": str,
            "kind": str,
            "start_urls": str,
            "enabled": int,
            "note": str,
        },
        "pk": "id",
        "not_null": {"name", "region", "kind", "start_urls"},
    },
    "crawl_runs": {
        "columns": {
            "id": int,
            "started_at": str,
            "finished_at": str,
            "sources": str,
            "pages_seen": int,
            "pages_stored": int,
            "pages_new": int,
            "pages_changed": int,
            "pages_unchanged": int,
            "pages_removed": int,
            "pages_not_modified": int,
            "documents_stored": int,
            "errors": int,
            "skipped": int,
            "lost": int,
            "dead_sources": str,
            "status": str,
            "pid": int,
            "summary": str,
            # Fields left empty because their stage raised, and pages whose pre-cleaning
            # was undone (extract/page.py, extract/text.py); by kind in `summary`.
            "field_errors": int,
            "cleaning_fallbacks": int,
        },
        "pk": "id",
        "not_null": {"started_at", "status"},
    },
    "pages": {
        "columns": {
            "url": str,
            "source_id": str,
            "title": str,
            "text": str,
            "language": str,
            "description": str,
            "published": str,
            "updated": str,
            "relevant": int,
            "relevance": float,
            "content_hash": str,
            "status": int,
            "final_url": str,
            "content_type": str,
            "etag": str,
            "last_modified": str,
            "first_seen": str,
            "last_seen": str,
            "last_changed": str,
            "removed_at": str,
            "last_run_id": int,
            "depth": int,
            "title_lemmas": str,
            "lemmas": str,
            "relevance_grade": str,  # last: added by a migration (ALTER TABLE appends)
            "guess_lemmas": str,  # added by migration lemmas_v2 (COLUMNS_ADDED_LATER)
        },
        "pk": "url",
        "not_null": {"source_id", "text", "content_hash", "first_seen", "last_seen"},
        "foreign_keys": [("source_id", "sources", "id")],
    },
    "page_versions": {
        "columns": {
            "id": int,
            "url": str,
            "run_id": int,
            "fetched_at": str,
            "content_hash": str,
            "title": str,
            "text": str,
        },
        "pk": "id",
        "not_null": {"url", "fetched_at", "content_hash", "text"},
        "foreign_keys": [("url", "pages", "url"), ("run_id", "crawl_runs", "id")],
    },
    "changes": {
        "columns": {
            "id": int,
            "url": str,
            "run_id": int,
            "kind": str,
            "detected_at": str,
            "diff": str,
            "words_added": int,
            "words_removed": int,
            "version_id": int,
        },
        "pk": "id",
        "not_null": {"url", "kind", "detected_at"},
        "foreign_keys": [("run_id", "crawl_runs", "id"), ("version_id", "page_versions", "id")],
    },
    "contacts": {
        "columns": {
            "id": int,
            "key": str,
            "name": str,
            "title": str,
            "email": str,
            "phone": str,
            "organisation": str,
            "kind": str,
            "name_as_written": str,
            "source_id": str,
            "first_seen": str,
            "last_seen": str,
        },
        "pk": "id",
        "not_null": {"key", "kind", "first_seen", "last_seen"},
        "foreign_keys": [("source_id", "sources", "id")],
    },
    "page_contacts": {
        "columns": {"url": str, "contact_id": int},
        "pk": ("url", "contact_id"),
        "foreign_keys": [("url", "pages", "url"), ("contact_id", "contacts", "id")],
    },
    "documents": {
        "columns": {
            "url": str,
            "source_id": str,
            "title": str,
            "text": str,
            "pages": int,
            "content_hash": str,
            "first_seen": str,
            "last_seen": str,
            "last_changed": str,
            "title_lemmas": str,
            "lemmas": str,
            "guess_lemmas": str,
        },
        "pk": "url",
        "not_null": {"source_id", "content_hash", "first_seen", "last_seen"},
        "foreign_keys": [("source_id", "sources", "id")],
    },
    "document_versions": {
        "columns": {
            "id": int,
            "url": str,
            "run_id": int,
            "fetched_at": str,
            "content_hash": str,
            "title": str,
            "text": str,
        },
        "pk": "id",
        "not_null": {"url", "fetched_at", "content_hash"},
        "foreign_keys": [("url", "documents", "url"), ("run_id", "crawl_runs", "id")],
    },
    "priorities": {
        "columns": {
            "source_id": str,
            "region": str,
            "priority": str,
            "language": str,
            "url": str,
            "first_seen": str,
            "last_seen": str,
        },
        "pk": ("url", "priority"),
        "not_null": {"source_id", "first_seen", "last_seen"},
        "foreign_keys": [("url", "pages", "url"), ("source_id", "sources", "id")],
    },
    "forgotten": {
        "columns": {
            "id": int,
            "at": str,
            "email_hash": str,
            "name_hash": str,
            "contacts_removed": int,
            "page_links_removed": int,
            "rows_redacted": int,
            "phone_hash": str,  # last: added by a migration (ALTER TABLE appends)
        },
        "pk": "id",
        "not_null": {"at"},
    },
    "links": {
        "columns": {"from_url": str, "to_url": str, "text": str},
        "pk": ("from_url", "to_url"),
        "foreign_keys": [("from_url", "pages", "url")],
    },
    # Per page, the block keys of its text before the source's template was removed, and
    # its title candidates: what `pipeline/templates.py` learns each source's template from;
    # `template` names the template its stored text was made with.
    "page_blocks": {
        "columns": {
            "url": str,
            "source_id": str,
            "blocks": str,
            "titles": str,
            "template": str,
        },
        "pk": "url",
        "not_null": {"source_id", "blocks"},
        "foreign_keys": [("url", "pages", "url"), ("source_id", "sources", "id")],
    },
    # Each source's template: the lines and titles that recur on most of its pages.
    "source_templates": {
        "columns": {
            "source_id": str,
            "kind": str,
            "block_hash": str,
            "text": str,
            "pages_seen": int,
            "share": float,
            "updated_at": str,
        },
        "pk": ("source_id", "kind", "block_hash"),
        "not_null": {"pages_seen", "share", "updated_at"},
        "foreign_keys": [("source_id", "sources", "id")],
    },
    "notifications": {
        "columns": {
            "id": int,
            "run_id": int,
            "channel_hash": str,
            "kind": str,
            "status": str,
            "error": str,
            "attempts": int,
            "first_tried_at": str,
            "last_tried_at": str,
            "sent_at": str,
        },
        "pk": "id",
        "not_null": {"run_id", "channel_hash", "kind", "status", "attempts"},
        "foreign_keys": [("run_id", "crawl_runs", "id")],
    },
    "fetch_errors": {
        "columns": {
            "id": int,
            "run_id": int,
            "url": str,
            "source_id": str,
            "status": int,
            "error": str,
            "at": str,
        },
        "pk": "id",
        "not_null": {"run_id", "url", "error", "at"},
        "foreign_keys": [("run_id", "crawl_runs", "id")],
    },
}

INDEXES: list[tuple[str, list[str], bool]] = [
    ("pages", ["source_id"], False),
    ("pages", ["last_changed"], False),
    ("page_versions", ["url", "fetched_at"], False),
    ("changes", ["detected_at"], False),
    ("changes", ["url"], False),
    ("changes", ["run_id"], False),
    ("contacts", ["key"], True),
    ("contacts", ["email"], False),
    ("page_contacts", ["contact_id"], False),
    ("documents", ["source_id"], False),
    ("document_versions", ["url"], False),
    ("pages", ["removed_at"], False),
    ("links", ["to_url"], False),
    ("priorities", ["source_id"], False),
    ("fetch_errors", ["run_id"], False),
    ("page_blocks", ["source_id"], False),
    ("notifications", ["run_id", "channel_hash", "kind"], True),
]

# Lemma columns hold Voikko base forms / Snowball stems (query/lemmas.py) so that
# inflected queries find inflected pages; guess_lemmas the guesses for words no lemmatiser
# knows (title and text), weighted below real base forms; see query/search.py.
FTS: dict[str, list[str]] = {
    "pages": ["title", "text", "title_lemmas", "lemmas", "guess_lemmas"],
    "documents": ["title", "text", "title_lemmas", "lemmas", "guess_lemmas"],
}

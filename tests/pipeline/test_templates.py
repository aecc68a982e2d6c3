"""Template learning on a fresh database, from the pages of `template_pages`."""

import json

import pytest

from crawler.sources import Source
from extract import extract_page
from extract.template import NO_TEMPLATE, Template, block_key
from pipeline.runs import start_run, sync_sources
from pipeline.store import Fetch, Store
from pipeline.templates import (
    MIN_PAGES,
    learn_template,
    load_templates,
    record_blocks,
    refresh_templates,
)
from tests.pipeline.template_pages import (
    FOOTER,
    TEMPLATE_LINES,
    TOPICS,
    page,
    url,
)

SOURCE = Source(
    id="etelarannikko",
    name="Etelärannikon liitto",
    region="Etelärannikko",
    kind="regional_council",
    start_urls=("http://127.0.0.2/",),
)


@pytest.fixture
def store(tmp_path):
    store = Store.open(tmp_path / "t.db")
    sync_sources(store.db, [SOURCE])
    yield store
    store.close()


def crawl(store: Store, pages: dict[str, bytes], at: str) -> dict[str, str]:
    """What the item pipeline does for each page, then at the end of the run."""
    run = start_run(store.db, [SOURCE.id])
    template = load_templates(store.db).get(SOURCE.id)
    outcomes = {}
    for address, body in pages.items():
        kwargs = {"template": template} if template else {}
        record = extract_page(body, address, "text/html", SOURCE.name, **kwargs)
        fetch = Fetch(url=address, source_id=SOURCE.id, status=200, fetched_at=at)
        outcomes[address] = store.save_page(run, fetch, record, SOURCE.name)
        with store.db.atomic():
            record_blocks(
                store.db,
                address,
                SOURCE.id,
                record.blocks,
                record.title_candidates,
                template or NO_TEMPLATE,
            )
    refresh_templates(store.db, [SOURCE.id], at, run_id=run)
    return outcomes


def stored(store: Store, address: str) -> tuple[str, str]:
    return store.db.execute("SELECT title, text FROM pages WHERE url = ?", [address]).fetchone()


def test_cold_start_keeps_the_rules(store):
    few = {url(t): page(t, lead) for t, lead in TOPICS[: MIN_PAGES - 1]}
    crawl(store, few, "2026-12-01T02:00:00+00:00")
    assert store.db["source_templates"].count == 0
    title, text = stored(store, url("Kiertotalous"))
    assert FOOTER in text  # what the rules alone give: no template yet


def test_learned_template_leaves_stored_text_and_titles(store):
    crawl(store, {url(t): page(t, lead) for t, lead in TOPICS}, "2026-12-01T02:00:00+00:00")
    rows = {
        (r["kind"], r["text"]): r["share"]
        for r in store.db.query("SELECT kind, text, share FROM source_templates")
    }
    for line in TEMPLATE_LINES:
        assert rows[("line", line)] == 1.0
    assert rows[("title", "Etelärannikon liitto")] == 1.0
    for topic, lead in TOPICS:
        title, text = stored(store, url(topic))
        assert title == topic  # the logo heading gave way to the page's own
        assert lead in text
        for line in TEMPLATE_LINES:
            assert line not in text
    # The search index follows the stored text: the footer's street is no longer a hit.
    hits = store.db.execute(
        "SELECT count(*) FROM pages_fts WHERE pages_fts MATCH 'satamakatu'"
    ).fetchone()[0]
    assert hits == 0
    # No page changed: only what counts as the site's did.
    assert store.db["page_versions"].count == len(TOPICS)
    assert store.db.execute("SELECT count(*) FROM changes WHERE kind != 'new'").fetchone()[0] == 0


@pytest.mark.parametrize(
    ("changed", "outcome"),
    [
        ({"cookie": False}, "unchanged"),  # the cookie notice is gone once it is accepted
        ({"body": "<p>Uusi hankehaku avautuu tammikuussa 2027.</p>"}, "changed"),
    ],
)
def test_a_change_only_in_template_blocks_is_not_a_change(store, changed, outcome):
    pages = {url(t): page(t, lead) for t, lead in TOPICS}
    crawl(store, pages, "2026-12-01T02:00:00+00:00")
    topic, lead = TOPICS[0]
    again = crawl(store, {url(topic): page(topic, lead, **changed)}, "2026-12-02T02:00:00+00:00")
    assert again[url(topic)] == outcome


def test_a_footer_edited_on_every_page_is_not_a_change(store):
    crawl(store, {url(t): page(t, lead) for t, lead in TOPICS}, "2026-12-01T02:00:00+00:00")
    moved = FOOTER.replace("Satamakatu 5", "Laivurinkatu 2")
    edited = {url(t): page(t, lead, footer=moved) for t, lead in TOPICS}
    # Page by page the new footer is new text; once the run has seen the site, it is the
    # template's, and the changes are taken back.
    assert set(crawl(store, edited, "2026-12-02T02:00:00+00:00").values()) == {"changed"}
    assert store.db.execute("SELECT count(*) FROM changes WHERE kind != 'new'").fetchone()[0] == 0
    assert store.db["page_versions"].count == len(TOPICS)
    title, text = stored(store, url("Kiertotalous"))
    assert moved not in text and FOOTER not in text
    last = store.db.execute("SELECT DISTINCT last_changed FROM pages").fetchall()
    assert last == [("2026-12-01T02:00:00+00:00",)]
    # A real edit in the same run as a footer edit stays a change.
    topic, lead = TOPICS[0]
    again = {url(t): page(t, lead) for t, lead in TOPICS}
    again[url(topic)] = page(topic, lead, body="<p>Uusi hankehaku avautuu tammikuussa.</p>")
    crawl(store, again, "2026-12-03T02:00:00+00:00")
    kinds = store.db.execute("SELECT url, kind FROM changes WHERE kind != 'new'").fetchall()
    assert kinds == [(url(topic), "changed")]


def test_blocks_are_recorded_per_page(store):
    crawl(store, {url(t): page(t, lead) for t, lead in TOPICS[:2]}, "2026-12-01T02:00:00+00:00")
    row = store.db.execute(
        "SELECT blocks, titles FROM page_blocks WHERE url = ?", [url("Kiertotalous")]
    ).fetchone()
    assert len(row[0].split()) >= len(TEMPLATE_LINES)
    assert json.loads(row[1]) == ["Etelärannikon liitto", "Kiertotalous"]


def test_learning_as_the_crawl_goes_reads_without_writing(store):
    crawl(store, {url(t): page(t, lead) for t, lead in TOPICS[:3]}, "2026-12-01T02:00:00+00:00")
    assert not learn_template(store.db, SOURCE.id, NO_TEMPLATE)  # 3 pages: cold start
    crawl(store, {url(t): page(t, lead) for t, lead in TOPICS}, "2026-12-02T02:00:00+00:00")
    learned = learn_template(store.db, SOURCE.id, NO_TEMPLATE)
    assert learned == load_templates(store.db)[SOURCE.id]
    assert (
        len(learned.lines)
        == store.db.execute("SELECT count(*) FROM source_templates WHERE kind = 'line'").fetchone()[
            0
        ]
    )
    # Every page's stored text is now the current template's: nothing left to rewrite.
    assert (
        refresh_templates(store.db, [SOURCE.id], "2026-12-02T03:00:00+00:00").pages_rewritten == 0
    )


@pytest.mark.parametrize(("in_use", "kept"), [(False, False), (True, True)])
def test_a_block_in_use_keeps_its_place_down_to_half_its_share(store, in_use, kept):
    side = "Ajankohtaista: Maakuntahallitus kokoontuu maanantaina kello kymmenen."
    pages = {
        url(t): page(t, lead, body=f"<p>{side}</p>" if i % 2 else "")
        for i, (t, lead) in enumerate(TOPICS)
    }
    crawl(store, pages, "2026-12-01T02:00:00+00:00")  # on 5 of 10 pages: not the template
    used = {SOURCE.id: Template(lines=frozenset({block_key(side)}))} if in_use else None
    refresh_templates(store.db, [SOURCE.id], "2026-12-01T03:00:00+00:00", in_use=used)
    texts = {t for (t,) in store.db.execute("SELECT text FROM source_templates")}
    assert (side in texts) is kept

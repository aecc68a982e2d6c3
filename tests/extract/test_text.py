"""Pre-cleaning that cannot remove content, its safety net, and field stages isolated."""

from __future__ import annotations

import logging

import pytest

import extract.page
from extract import EmptyPage, NotHtml, extract_page
from extract.html import decode_html, is_chrome, parse_html
from extract.text import _NOISE_CLASS, extract_text

URL = "https://www.example-liitto.fi/alykas-erikoistuminen/"
BODY = (
    "<p>Maakunnan älykkään erikoistumisen strategia suuntaa tutkimus- ja innovaatiorahoitusta "
    "kärkialoille, joita ovat biotalous, teknologiateollisuus ja matkailu.</p>"
    "<p>Strategian toteutumista seurataan vuosittain yhdessä yritysten ja korkeakoulujen "
    "kanssa, ja tulokset julkaistaan maakunnan verkkosivuilla.</p>"
)
KEPT = "Strategian toteutumista seurataan vuosittain"


@pytest.mark.parametrize(
    ("token", "chrome"),
    [
        ("sidebar", True),
        ("sidebar-widgets", True),
        ("cmplz-cookiebanner", True),
        ("et_pb_social_media_follow", True),
        ("wp-block-social-links", True),
        ("sharedaddy", True),
        ("breadcrumbs", True),
        ("paavalikko", True),
        # a state, a taxonomy term, a layout or a slug is not the chrome it names
        ("has-sidebar", False),
        ("no-share", False),
        ("category-social-media", False),
        ("category-some", False),
        ("tag-share-the-news", False),
        ("content-sidebar-wrap", False),
        ("sidebar-content", False),
        ("l-sidebar-fixed", False),
        ("url-breadcrumb", False),
        ("social-innovations", False),
    ],
)
def test_class_tokens_match_whole(token, chrome):
    assert bool(_NOISE_CLASS.fullmatch(token)) is chrome


@pytest.mark.parametrize(
    ("classes", "chrome"),
    [
        ("widget widget_nav_menu", True),
        ("site-footer", True),
        ("content-sidebar-wrap", False),
        ("site-inner has-sidebar", False),
        ("entry-footer", False),
    ],
)
def test_chrome_regions_by_whole_tokens(classes, chrome):
    tree = parse_html(f'<html><body><div class="{classes}"><p>x</p></div></body></html>')
    assert is_chrome(tree.find(".//div")) is chrome


@pytest.mark.parametrize(
    "page",
    [
        f'<div class="content-sidebar-wrap"><main class="content">{BODY}</main></div>',
        f'<div class="site-inner has-sidebar"><div class="entry">{BODY}</div></div>',
        f'<div class="l-sidebar-fixed"><div class="entry-content no-share">{BODY}</div></div>',
        f'<article class="post type-post category-social-media">{BODY}</article>',
        f'<form id="aspnetForm" method="post"><div class="sfContentBlock">{BODY}</div></form>',
        f"<aside><div>{BODY}</div></aside>",
        f"<noscript><div>{BODY}</div></noscript>",
        # a chrome class on the element that holds the page's text: the markup is wrong
        f'<div class="sidebar"><div>{BODY}</div></div><div class="breadcrumb"><p>Etusivu</p></div>',
        f'<div class="url-breadcrumb"><div>{BODY}</div></div>',
        # ... and the chrome inside it still goes
        f'<div class="sidebar"><div>{BODY}</div><div class="breadcrumb"><p>Etusivu</p></div></div>',
    ],
)
def test_pre_cleaning_never_removes_the_content(page):
    html = f'<html lang="fi"><body><nav><a href="/">Etusivu</a></nav>{page}</body></html>'
    text, fallback = extract_text(parse_html(html), URL)
    assert KEPT in text
    assert "Etusivu" not in text
    assert not fallback


def test_safety_net_keeps_trafilaturas_text_when_cleaning_takes_content():
    # Two boxes named like chrome, each under half of the page's paragraph text, so neither
    # is protected; together they hold most of it, and Trafilatura alone keeps them.
    long = " ".join(["Hankkeessa kehitetään uusia palveluja yritysten ja kuntien kanssa."] * 4)
    html = (
        '<html lang="fi"><body><div class="intro"><p>Lyhyt johdanto sivun aiheeseen.</p></div>'
        f'<div class="palaute"><p>{long}</p><p>Ensimmäinen: {long}</p></div>'
        f'<div class="ajankohtaista"><p>Toinen: {long}</p><p>Kolmas: {long}</p></div>'
        "</body></html>"
    )
    text, fallback = extract_text(parse_html(html), URL)
    assert fallback
    assert "Kolmas: Hankkeessa" in text


def test_cleaning_fallbacks_reach_the_record():
    long = " ".join(["Hankkeessa kehitetään uusia palveluja yritysten ja kuntien kanssa."] * 4)
    html = (
        '<html lang="fi"><head><title>Hanke</title></head><body><p>Johdanto.</p>'
        f'<div class="palaute"><p>{long}</p><p>Ensimmäinen: {long}</p></div>'
        f'<div class="ajankohtaista"><p>Toinen: {long}</p><p>Kolmas: {long}</p></div>'
        "</body></html>"
    )
    assert extract_page(html.encode(), URL).cleaning_fallback


PAGE = (
    '<html lang="fi"><head><title>Strategia - Liitto</title>'
    '<meta name="description" content="Kuvaus"></head><body><main><h1>Strategia</h1>'
    f"<p>Päivitetty 3.2.2025</p>{BODY}<p>Yhteyshenkilö: Liisa Korhonen, "
    'liisa.korhonen@liitto.fi</p><a href="/toinen">Toinen</a></main></body></html>'
).encode()
# (stage name in field_errors, function extract_page calls, field, its empty value)
STAGES = [
    ("title", "choose_title", "title", None),
    ("description", "_description", "description", None),
    ("links", "extract_links", "links", ()),
    ("contacts", "extract_contacts", "contacts", ()),
    ("priorities", "extract_priorities", "priorities", ()),
    ("dates", "find_dates", "updated", None),
    ("text", "extract_text", "text", ""),
    ("relevance", "score_relevance", "relevance", 0.0),
    ("language", "detect_language", "language", None),
]


@pytest.mark.parametrize(("stage", "function", "field", "empty"), STAGES)
def test_a_failing_stage_costs_its_field_not_the_page(
    monkeypatch, caplog, stage, function, field, empty
):
    def broken(*args):
        raise RuntimeError("boom")

    whole = extract_page(PAGE, URL)
    assert getattr(whole, field) != empty and whole.field_errors == {}
    monkeypatch.setattr(extract.page, function, broken)
    with caplog.at_level(logging.WARNING, logger="extract.page"):
        record = extract_page(PAGE, URL)
    assert getattr(record, field) == empty
    assert record.field_errors == {f"{stage}:RuntimeError": 1}
    assert URL in caplog.text and stage in caplog.text
    for other in ("title", "text", "links", "contacts", "updated"):
        if other != field:
            assert getattr(record, other) == getattr(whole, other), other


def test_only_undecodable_input_is_a_page_level_failure(monkeypatch):
    with pytest.raises(EmptyPage):
        extract_page(b"   ", URL)
    with pytest.raises(NotHtml):
        extract_page(b"<?xml version='1.0'?>", URL)
    with pytest.raises(EmptyPage):
        extract_page(b"<html><body><div></div></body></html>", URL)
    # A page whose title and text stages both failed is stored, with its errors.
    monkeypatch.setattr(extract.page, "title_candidates", lambda tree, parts: 1 / 0)
    monkeypatch.setattr(extract.page, "extract_text", lambda tree, url: 1 / 0)
    record = extract_page(PAGE, URL)
    assert record.field_errors == {"title:ZeroDivisionError": 1, "text:ZeroDivisionError": 1}
    assert record.contacts


def test_decode_then_parse_is_what_every_stage_shares():
    assert parse_html(decode_html(PAGE)).find(".//h1").text == "Strategia"


def test_comments_between_text_nodes_do_not_reach_trafilatura():
    """Server-rendered pages put empty comments between text nodes; Trafilatura's own
    parser drops them, and handed a tree with them it runs the page into one line."""
    html = (
        '<html lang="fi"><body><article><h1>Strategia</h1><div><p>Kärkiä on <!-- -->3<!-- -->'
        " ja ne valittiin <!-- -->vuonna 2021<!-- --> yhdessä kuntien kanssa, mikä näkyy"
        f" rahoituksessa.</p>{BODY}</div></article></body></html>"
    )
    lines = extract_text(parse_html(html), URL).text.splitlines()
    assert "Strategia" in lines
    assert any(line.startswith("Kärkiä on 3 ja ne valittiin vuonna 2021") for line in lines)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("<p>Vähä\x0bkyrö\x1f</p>".encode(), None),  # UTF-8
        ("<meta charset=windows-1252><p>Vähä\x0bkyrö\x1f</p>".encode("cp1252"), None),
        ("<p>Vähä\x0bkyrö\x1f</p>".encode("utf-16"), None),  # a BOM, NUL bytes everywhere
        ("<p>Vähä\x0bkyrö\x1f</p>".encode("gb18030"), "text/html; charset=gb18030"),
    ],
    ids=["utf-8", "cp1252", "utf-16", "gb18030"],
)
def test_decoding_drops_control_characters_in_any_charset(body, content_type):
    assert decode_html(body, content_type).endswith("<p>Vähäkyrö</p>")

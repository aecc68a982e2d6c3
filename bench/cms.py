"""HTML chrome of the two CMSes most councils run (Joomla 3 and WordPress + Divi), around
generated Finnish content, padded to a realistic page size.

Real council pages are mostly chrome: inline CSS and scripts, mega-menus, accessibility
toolbars, cookie banners, share buttons, hit counters, footers. The benchmark needs that
weight (parse and clean-up time scale with it) and the noise the extractor removes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from .finnish import HEADINGS, PRIORITIES, Region, paragraph

CMSES = ("joomla", "wordpress")


@dataclass(frozen=True)
class Person:
    name: str
    surname: str
    job: str
    phone: str
    email: str


@dataclass(frozen=True)
class PageSpec:
    """Everything one page shows; `links` are (path, anchor text) on the same host."""

    k: int
    path: str
    title: str
    region: Region
    cms: str
    links: list[tuple[str, str]]
    menu: list[tuple[str, str]]
    news: list[tuple[str, str]]
    contact: Person
    published: tuple[int, int, int]
    updated: tuple[int, int, int]
    hits: int
    size: int


def _lis(items: list[tuple[str, str]], cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return "".join(f'<li{attr}><a href="{path}">{text}</a></li>\n' for path, text in items)


def _body(spec: PageSpec, rng: random.Random) -> str:
    region = spec.region
    parts = [f"<p><strong>{paragraph(rng, region)}</strong></p>"]
    spearheads = rng.sample(PRIORITIES, rng.randint(3, 5))
    links = iter(spec.links)
    for i in range(rng.randint(7, 12)):
        if i in (2, 6):
            parts.append(f"<h3>{rng.choice(HEADINGS)}</h3>")
        parts.append(f"<p>{paragraph(rng, region)}</p>")
        if i == 3:
            parts.append(f"<p>{region.gen} älykkään erikoistumisen kärjet ovat:</p><ul>")
            parts.extend(f"<li>{p[0].capitalize()}</li>" for p in spearheads)
            parts.append("</ul>")
        if i % 2 and (link := next(links, None)):
            parts.append(f'<p>Lue lisää: <a href="{link[0]}">{link[1]}</a>.</p>')
    rest = list(links)
    if rest:
        parts.append(f"<h3>Lue myös</h3><ul>{_lis(rest)}</ul>")
    return "\n".join(parts)


def _contact(person: Person, cms: str) -> str:
    if cms == "joomla":
        return (
            '<div class="contact-card"><h3>Lisätietoja</h3><p>'
            f"<strong>{person.name} {person.surname}</strong><br />{person.job}<br />"
            f"puh. {person.phone}<br />{person.email}</p></div>"
        )
    return (
        '<div class="et_pb_module et_pb_team_member"><div class="et_pb_team_member_description">'
        f'<h4 class="et_pb_module_header">{person.surname}, {person.name}</h4>'
        f'<p class="et_pb_member_position">{person.job}</p>'
        f"<p>{person.phone}<br />{person.email}</p></div></div>"
    )


def _date(d: tuple[int, int, int], padded: bool = False) -> str:
    day, month, year = d
    return f"{day:02d}.{month:02d}.{year}" if padded else f"{day}.{month}.{year}"


def _css(rng: random.Random, prefix: str, size: int) -> str:
    """Inline CSS of the kind Divi and Joomla templates print into every page (one random
    draw per rule, sliced into fields: generating 20,000 pages stays quick)."""
    rules, total = [], 0
    while total < size:
        b = rng.getrandbits(64)
        rule = (
            f".{prefix}_{b % 1000}_{b >> 10 & 31}{_PSEUDO[b >> 15 & 3]}{{padding:"
            f"{b >> 17 & 63}px {b >> 23 & 31}px;margin-bottom:{b >> 28 & 63}px;color:"
            f"#{b >> 34 & 0xFFFFFF:06x};font-size:{12 + (b >> 58 & 31)}px}}"
        )
        rules.append(rule)
        total += len(rule) + 1
    return "\n".join(rules)


_PSEUDO = ("", " a", " p", ":hover")
_SVG_ICON = '<symbol id="icon-{0}" viewBox="0 0 24 24"><path d="{1}"/></symbol>'


def _svg_sprite(rng: random.Random, count: int) -> str:
    icons = []
    for i in range(count):
        b = rng.getrandbits(240)
        path = " ".join(
            f"M{b >> 20 * j & 15} {b >> 20 * j + 4 & 15}l{(b >> 20 * j + 8 & 15) - 7} "
            f"{(b >> 20 * j + 12 & 15) - 7}"
            for j in range(12)
        )
        icons.append(_SVG_ICON.format(i, path + "z"))
    return '<svg style="display:none" aria-hidden="true">' + "".join(icons) + "</svg>"


_COOKIES = (
    '<div id="cookie-banner" class="cookie-banner" role="dialog"><p>Käytämme evästeitä '
    "parantaaksemme sivuston käyttökokemusta. Jatkamalla hyväksyt evästeiden käytön.</p>"
    '<button class="cookie-accept">Hyväksy kaikki</button> <button class="cookie-decline">'
    "Vain välttämättömät</button></div>"
)


def _share(path: str) -> str:
    return (
        '<div class="share-buttons addtoany"><span>Jaa sivu</span> '
        f'<a href="https://www.facebook.com/sharer/sharer.php?u={path}">Facebook</a> '
        f'<a href="https://twitter.com/intent/tweet?url={path}">X</a> '
        f'<a href="https://www.linkedin.com/shareArticle?url={path}">LinkedIn</a></div>'
    )


def _footer(spec: PageSpec) -> str:
    r = spec.region
    return (
        f"<p>{r.council}<br />Kauppakatu 12, 45100 {r.nom}<br />Puhelin (vaihde) 05 123 4500"
        f'<br />kirjaamo(a){r.domain}</p><ul class="footer-links">{_lis(spec.menu[:6])}</ul>'
        f"<p>© {spec.published[2] + 5} {r.council}</p>"
    )


def joomla(spec: PageSpec, rng: random.Random) -> str:
    r = spec.region
    head = (
        f'<!DOCTYPE html>\n<html lang="fi-fi" dir="ltr">\n<head>\n<meta charset="utf-8" />\n'
        f'<meta name="description" content="{r.gen} älykäs erikoistuminen: {spec.title}" />\n'
        '<meta name="generator" content="Joomla! - Open Source Content Management" />\n'
        f"<title>{spec.title} - {r.council}</title>\n"
        '<link href="/templates/liitto/css/template.css" rel="stylesheet" />\n'
        '<script type="application/json" class="joomla-script-options new">{"csrf.token":'
        f'"{rng.getrandbits(128):032x}","system.paths":{{"root":"","base":""}}}}</script>\n'
        '<script src="/media/jui/js/jquery.min.js"></script>\n'
    )
    body = (
        f'<body class="site com_content view-article itemid-{spec.k}">\n'
        '<div id="accessibility-toolbar" class="acc-toolbar" role="region" aria-label='
        '"Saavutettavuus-avustimet"><h2>Saavutettavuus-avustimet</h2><ul>'
        "<li><button>Suurenna tekstiä</button></li><li><button>Korkea kontrasti</button></li>"
        "</ul></div>\n"
        f'<a href="{spec.path}#main-content" class="skip-link">Siirry sisältöön</a>\n'
        '<header class="header" role="banner"><a class="brand" href="/"><img src="/images/logo.png"'
        f' alt="{r.council}" /></a><form class="search" role="search" action="/"><input '
        'name="searchword" placeholder="Hae sivustolta..." /></form></header>\n'
        f'<nav class="navigation" role="navigation"><ul class="nav menu">\n{_lis(spec.menu)}'
        "</ul></nav>\n"
        '<div class="breadcrumbs">Olet täällä: <a href="/">Etusivu</a> / '
        f"{spec.title}</div>\n"
        '<main id="content" role="main"><a id="main-content"></a><div class="item-page">'
        f'<div class="page-header"><h2 itemprop="headline">{spec.title}</h2></div>\n'
        f'<dl class="article-info"><dd class="published">Julkaistu: {_date(spec.published, True)}'
        f'</dd><dd class="hits">Osumia: {spec.hits}</dd></dl>\n'
        f'<div itemprop="articleBody">\n{_body(spec, rng)}\n{_contact(spec.contact, "joomla")}'
        f"\n<p>Päivitetty {_date(spec.updated)}</p></div>{_share(spec.path)}</div></main>\n"
        '<div class="sidebar moduletable"><h3>Ajankohtaista</h3><ul class="latestnews">'
        f"{_lis(spec.news)}</ul></div>\n"
        f'<footer class="footer" role="contentinfo">{_footer(spec)}</footer>\n{_COOKIES}\n'
    )
    return _pad(head, body, spec, rng, "jm")


def wordpress(spec: PageSpec, rng: random.Random) -> str:
    r = spec.region
    head = (
        '<!DOCTYPE html>\n<html lang="fi">\n<head>\n<meta charset="UTF-8" />\n'
        f"<title>{spec.title} – {r.council}</title>\n"
        f'<meta name="description" content="{spec.title}. {r.council}." />\n'
        '<link rel="stylesheet" id="divi-style-css" href="/wp-content/themes/Divi/style.css" />\n'
        '<script type="application/ld+json">{"@context":"https://schema.org","@type":"WebPage",'
        f'"name":"{spec.title}","inLanguage":"fi"}}</script>\n'
    )
    body = (
        f'<body class="page-template-default page page-id-{spec.k} et_pb_button_helper_class">\n'
        f'<a class="skip-link screen-reader-text" href="{spec.path}#main-content">Hyppää '
        'sisältöön</a>\n<div id="page-container"><header id="main-header">'
        f'<div class="logo_container"><a href="/"><img src="/wp-content/uploads/logo.png" alt="'
        f'{r.council}" id="logo" /></a></div><nav id="top-menu-nav"><ul id="top-menu" '
        f'class="nav et-menu">\n{_lis(spec.menu, "menu-item")}</ul></nav>'
        '<div id="et_mobile_nav_menu"><span class="mobile_menu_bar">Valitse sivu</span></div>'
        '</header>\n<div id="et-main-area"><div id="main-content"><article class="page type-page">'
        '<div class="entry-content"><div class="et_pb_section et_pb_section_0"><div class='
        '"et_pb_row et_pb_row_0"><div class="et_pb_column et_pb_column_4_4"><div class='
        '"et_pb_module et_pb_text et_pb_text_0"><div class="et_pb_text_inner">\n'
        f'<h1>{spec.title}</h1>\n<p class="post-meta"><span class="published">'
        f"{_date(spec.published)}</span></p>\n{_body(spec, rng)}\n"
        f"{_contact(spec.contact, 'wordpress')}\n<p><em>Päivitetty {_date(spec.updated)}"
        f'</em></p></div></div></div></div></div></div><div class="post-views-counter">Sivua '
        f"katsottu {spec.hits} kertaa</div>{_share(spec.path)}</article>\n"
        '<div id="sidebar"><div class="et_pb_widget widget_recent_entries"><h4>Uusimmat</h4><ul>'
        f"{_lis(spec.news)}</ul></div></div></div>\n"
        f'<footer id="main-footer">{_footer(spec)}</footer></div></div>\n'
        f'<div id="cmplz-cookiebanner-container">{_COOKIES}</div>\n'
    )
    return _pad(head, body, spec, rng, "et_pb")


def _pad(head: str, body: str, spec: PageSpec, rng: random.Random, prefix: str) -> str:
    """Fill with inline CSS, an SVG sprite and a tracking script up to `spec.size` bytes."""
    tail = (
        "<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}"
        "gtag('js',new Date());gtag('config','G-BENCH0000');</script>\n</body>\n</html>\n"
    )
    sprite = _svg_sprite(rng, 20)
    used = len((head + body + tail + sprite).encode("utf-8")) + 40
    css = _css(rng, prefix, max(0, spec.size - used))
    return f"{head}<style>\n{css}\n</style>\n</head>\n{body}{sprite}\n{tail}"


TEMPLATES = {"joomla": joomla, "wordpress": wordpress}

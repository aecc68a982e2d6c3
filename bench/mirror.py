"""A synthetic, deterministic mirror of council sites, served on loopback hosts.

`generate(root, pages)` writes `pages` HTML pages (~80 KB each) spread over `hosts` site
directories, each with robots.txt and sitemap.xml; `serve(mirror)` serves them with
`samples.server.SampleSites` (one 127.0.0.x address per site, ETag/Last-Modified and 304).
Every page links to its ten "children" (page k → 10k+1 … 10k+10 on the same host), so a
spider that only follows links reaches every page from "/", as one that reads the
sitemap does. Page files contain no placeholders: the bytes on disk are the bytes served,
so extraction-only timing and the crawls see the same input.
"""

from __future__ import annotations

import logging
import os
import random
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from samples.server import SampleSites

from .cms import CMSES, TEMPLATES, PageSpec, Person
from .finnish import (
    FIRST_NAMES,
    JOB_TITLES,
    LAST_NAMES,
    PRIORITIES,
    REGIONS,
    SECTIONS,
    slugify,
    title,
)

logger = logging.getLogger(__name__)
FIRST_HOST = 2  # 127.0.0.2, .3, …: the demo's convention (127.0.0.1 stays free)
MENU_PAGES = 40
PAGE_SIZE = (72_000, 88_000)


@dataclass(frozen=True)
class Mirror:
    root: Path
    hosts: int
    pages: int
    seed: int

    def site_names(self) -> list[str]:
        return [f"site{h}" for h in range(self.hosts)]

    def per_host(self, host: int) -> int:
        """Pages on `host`: N split as evenly as possible."""
        return self.pages // self.hosts + (host < self.pages % self.hosts)

    def files(self) -> Iterator[Path]:
        """Every page file, host by host, in page order."""
        for h, name in enumerate(self.site_names()):
            for k in range(self.per_host(h)):
                yield self.root / name / page_path(k).lstrip("/") / "index.html"


def page_path(k: int) -> str:
    if k == 0:
        return "/"
    topic = slugify(PRIORITIES[k % len(PRIORITIES)][0])
    return f"/{SECTIONS[k % len(SECTIONS)]}/{topic}-{k}/"


def _people(rng: random.Random, region_domain: str, count: int = 30) -> list[Person]:
    people = []
    for _ in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        local = f"{slugify(first)}.{slugify(last)}"
        at = rng.choice(("(a)", "(a)", "(at)", " ät "))
        phone = rng.choice(
            (
                f"040 {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
                f"+358 44 {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
                f"050 {rng.randint(1000000, 9999999)}",
            )
        )
        people.append(
            Person(first, last, rng.choice(JOB_TITLES), phone, f"{local}{at}{region_domain}")
        )
    return people


def _spec(
    mirror: Mirror, host: int, k: int, people: list[Person]
) -> tuple[PageSpec, random.Random]:
    count = mirror.per_host(host)
    rng = random.Random(f"{mirror.seed}:{host}:{k}")
    region = REGIONS[host % len(REGIONS)]
    children = [c for c in range(10 * k + 1, 10 * k + 11) if c < count]
    extra = rng.randint(10, 20) - len(children)
    others = [c for c in rng.sample(range(count), min(count, max(extra, 0) + 1)) if c != k]
    linked = (children + others[: max(extra, 0)]) or [0]

    def label(c: int) -> tuple[str, str]:
        return page_path(c), title(c, random.Random(f"{mirror.seed}:{host}:{c}"), region)

    day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(2015, 2024)
    spec = PageSpec(
        k=k,
        path=page_path(k),
        title=title(k, random.Random(f"{mirror.seed}:{host}:{k}"), region),
        region=region,
        cms=CMSES[host % len(CMSES)],
        links=[label(c) for c in linked],
        menu=[label(c) for c in range(1, min(MENU_PAGES, count))],
        news=[label(c) for c in rng.sample(range(count), min(6, count))],
        contact=rng.choice(people),
        published=(day, month, year),
        updated=(rng.randint(1, 28), rng.randint(1, 12), year + rng.randint(1, 2)),
        hits=rng.randint(40, 25_000),
        size=rng.randint(*PAGE_SIZE),
    )
    return spec, rng


def generate(root: Path, pages: int, hosts: int = 4, seed: int = 2026, jobs: int = 0) -> Mirror:
    """Write the mirror under `root` (deterministic for a given pages/hosts/seed), one host
    per process (`jobs`, default one per core): 20,000 pages take about a minute on two."""
    if pages < hosts:
        raise ValueError(f"need at least one page per host ({pages} pages, {hosts} hosts)")
    mirror = Mirror(root=root, hosts=hosts, pages=pages, seed=seed)
    with ProcessPoolExecutor(jobs or os.cpu_count() or 1) as pool:
        list(pool.map(_generate_host, [mirror] * hosts, range(hosts)))
    logger.info("Generated %d pages on %d hosts under %s", pages, hosts, root)
    return mirror


def _generate_host(mirror: Mirror, h: int) -> None:
    site = mirror.root / mirror.site_names()[h]
    region = REGIONS[h % len(REGIONS)]
    people = _people(random.Random(f"{mirror.seed}:{h}:people"), region.domain)
    site.mkdir(parents=True, exist_ok=True)
    (site / "robots.txt").write_text(
        "User-agent: *\nDisallow: /administrator/\nDisallow: /wp-admin/\n\n"
        "Sitemap: {{base}}/sitemap.xml\n",
        encoding="utf-8",
    )
    entries = []
    for k in range(mirror.per_host(h)):
        spec, rng = _spec(mirror, h, k, people)
        html = TEMPLATES[spec.cms](spec, rng)
        target = site / spec.path.lstrip("/") / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
        d, m, y = spec.updated
        entries.append(
            f"<url><loc>{{{{base}}}}{spec.path}</loc><lastmod>{y}-{m:02d}-{d:02d}</lastmod></url>"
        )
    (site / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "\n".join(entries)
        + "\n</urlset>\n",
        encoding="utf-8",
    )


def serve(mirror: Mirror) -> SampleSites:
    """Started servers for the mirror (stop them with `.stop()`)."""
    return SampleSites(mirror.site_names(), root=mirror.root, first_host=FIRST_HOST).start()


def sources_toml(mirror: Mirror, sites: SampleSites, max_depth: int = 30) -> str:
    """A ris3watch sources registry: one source per mirror host, starting at "/"."""
    blocks = []
    for h, name in enumerate(mirror.site_names()):
        region = REGIONS[h % len(REGIONS)]
        blocks.append(
            f'[[sources]]\nid = "bench-{h}"\nname = "{region.council}"\n'
            f'region = "{region.nom}"\nkind = "regional_council"\n'
            f'start_urls = ["{sites.base(name)}/"]\nmax_depth = {max_depth}\n'
        )
    return "\n".join(blocks)

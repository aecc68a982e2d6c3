"""The sources registry: `[[sources]]` tables in TOML, validated before any request.

Pure Python (no Scrapy) so the store and the CLI can read it too.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

KINDS = ("regional_council", "cooperation")
_REQUIRED = ("id", "name", "region", "kind", "start_urls")
_OPTIONAL = ("allowed_domains", "deny", "max_depth", "ignore", "note", "enabled")
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
DEFAULT_MAX_DEPTH = 3


class SourcesError(ValueError):
    """A registry problem, with the file and line a person should look at."""


@dataclass(frozen=True)
class Source:
    id: str
    name: str
    region: str
    kind: str
    start_urls: tuple[str, ...]
    allowed_domains: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()
    max_depth: int = DEFAULT_MAX_DEPTH
    ignore: tuple[str, ...] = ()
    enabled: bool = True
    note: str | None = None  # what the entry points are, why a source is disabled

    @property
    def hosts(self) -> frozenset[str]:
        """The scope: hosts (with port, if any) of the start URLs plus `allowed_domains`."""
        return frozenset(
            {urlsplit(url).netloc.lower() for url in self.start_urls}
            | {domain.lower() for domain in self.allowed_domains}
        )

    def in_scope(self, url: str) -> bool:
        """http(s) on one of the source's hosts; `allowed_domains` also admit subdomains."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            return False
        netloc = parts.netloc.lower()
        host = (parts.hostname or "").lower()
        if netloc in self.hosts or host in self.hosts:
            return True
        return any(host.endswith("." + domain.lower()) for domain in self.allowed_domains)

    def denies(self, url: str) -> bool:
        """True when one of the source's `deny` regexes matches the URL."""
        return any(re.search(pattern, url) for pattern in self.deny)


def load_sources(path: str | Path) -> list[Source]:
    """Read and validate a registry; raise `SourcesError` naming the file and line."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SourcesError(f"{path}: cannot read sources file ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise SourcesError(f"{path}: not UTF-8 text") from exc
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise SourcesError(f"{path}: {exc}") from exc
    unknown_top = set(data) - {"sources"}
    if unknown_top:
        key = sorted(unknown_top)[0]
        raise SourcesError(f"{path}:{line_of(raw, key)}: unknown top-level key {key!r}")
    tables = data.get("sources")
    if not isinstance(tables, list) or not tables:
        raise SourcesError(f"{path}: no [[sources]] tables")
    headers = [i + 1 for i, line in enumerate(raw.splitlines()) if line.strip() == "[[sources]]"]
    sources, seen = [], set()
    for index, table in enumerate(tables):
        line = headers[index] if index < len(headers) else 0
        source = _source(table, path, raw, line)
        if source.id in seen:
            raise SourcesError(f"{path}:{line}: duplicate source id {source.id!r}")
        seen.add(source.id)
        sources.append(source)
    return sources


def _source(table: dict, path: Path, raw: str, line: int) -> Source:
    where = f"{path}:{line}"
    for key in table:
        if key not in _REQUIRED and key not in _OPTIONAL:
            raise SourcesError(
                f"{path}:{line_of(raw, key, after=line)}: unknown key {key!r} in [[sources]] "
                f"(known: {', '.join(_REQUIRED + _OPTIONAL)})"
            )
    for key in _REQUIRED:
        if key not in table:
            raise SourcesError(f"{where}: [[sources]] is missing {key!r}")
    for key in ("id", "name", "region", "kind"):
        if not isinstance(table[key], str) or not table[key].strip():
            raise SourcesError(f"{where}: {key!r} must be a non-empty string")
    if not _ID.match(table["id"]):
        raise SourcesError(
            f"{where}: id {table['id']!r} must be lower-case letters, digits, - or _"
        )
    if table["kind"] not in KINDS:
        raise SourcesError(f"{where}: kind {table['kind']!r} must be one of {', '.join(KINDS)}")
    start_urls = string_list(table, "start_urls", where)
    if not start_urls:
        raise SourcesError(f"{where}: 'start_urls' is empty")
    for url in start_urls:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise SourcesError(f"{where}: start URL {url!r} is not an http(s) URL")
    deny = string_list(table, "deny", where)
    ignore = string_list(table, "ignore", where)
    for pattern in deny + ignore:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise SourcesError(f"{where}: bad regex {pattern!r}: {exc}") from exc
    max_depth = table.get("max_depth", DEFAULT_MAX_DEPTH)
    if not isinstance(max_depth, int) or isinstance(max_depth, bool) or max_depth < 0:
        raise SourcesError(f"{where}: 'max_depth' must be a whole number ≥ 0")
    enabled = table.get("enabled", True)
    if not isinstance(enabled, bool):
        raise SourcesError(f"{where}: 'enabled' must be true or false")
    note = table.get("note")
    if note is not None and not isinstance(note, str):
        raise SourcesError(f"{where}: 'note' must be a string")
    return Source(
        id=table["id"],
        name=table["name"].strip(),
        region=table["region"].strip(),
        kind=table["kind"],
        start_urls=tuple(start_urls),
        allowed_domains=tuple(string_list(table, "allowed_domains", where)),
        deny=tuple(deny),
        max_depth=max_depth,
        ignore=tuple(ignore),
        enabled=enabled,
        note=(note or "").strip() or None,
    )


def string_list(
    table: dict, key: str, where: str, error: type[Exception] = SourcesError
) -> list[str]:
    """A TOML key that holds one string or a list of them, stripped; `error` names the file's
    own exception, so the notification file validates the same way."""
    value = table.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise error(f"{where}: {key!r} must be a list of strings")
    return [v.strip() for v in value]


def line_of(raw: str, key: str, after: int = 0) -> int:
    """The line of the first `key = ...` after line `after` (tomllib gives no positions)."""
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
    for number, line in enumerate(raw.splitlines(), start=1):
        if number > after and pattern.match(line):
            return number
    return after

"""The notification file: `[[channels]]` (Apprise URLs) and `[[watches]]` (saved searches).

Validated like the sources registry, before anything is crawled: unknown keys, a query the
search box would refuse, an URL Apprise does not know, or a watch naming an unknown source
is refused with the file and line. Messages never quote a channel URL (it holds secrets):
only its scheme.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from crawler.sources import line_of, string_list
from query.search import check_query, fts_query

FORMATS = ("markdown", "text")
LANGUAGES = ("fi", "en", "fi+en")
_TOP = ("datasette_url", "channels", "watches")
_CHANNEL = ("url", "tags", "format", "language")
_WATCH = ("name", "query", "sources", "regions", "tags")
_TAG = re.compile(r"^[\w-]+$", re.UNICODE)


class NotifyConfigError(ValueError):
    """A notification file problem, with the file and line a person should look at."""


@dataclass(frozen=True)
class Channel:
    url: str
    tags: frozenset[str]
    format: str = "markdown"
    language: str = "fi+en"

    @property
    def hash(self) -> str:
        """What the database and the logs know of a channel: never its URL."""
        return hashlib.sha256(self.url.encode("utf-8")).hexdigest()[:16]

    @property
    def scheme(self) -> str:
        return urlsplit(self.url).scheme


@dataclass(frozen=True)
class Watch:
    name: str
    query: str
    tags: frozenset[str]
    sources: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()

    def covers(self, source_id: str | None, region: str | None) -> bool:
        """True when a change of this source and region is in the watch's scope."""
        if self.sources and source_id not in self.sources:
            return False
        return not self.regions or region in self.regions


@dataclass(frozen=True)
class NotifyConfig:
    path: str
    channels: tuple[Channel, ...]
    watches: tuple[Watch, ...] = ()
    datasette_url: str | None = None


def load_notify_config(
    path: str | Path,
    known_sources: Iterable[str] | None = None,
    known_regions: Iterable[str] | None = None,
) -> NotifyConfig:
    """Read and validate a notification file; raise `NotifyConfigError` naming file and line.

    With `known_sources` (`known_regions`), a watch's `sources` (`regions`) must be among
    them.
    """
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise NotifyConfigError(f"{path}: cannot read notification file ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise NotifyConfigError(f"{path}: not UTF-8 text") from exc
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise NotifyConfigError(f"{path}: {exc}") from exc
    for key in data:
        if key not in _TOP:
            raise NotifyConfigError(
                f"{path}:{line_of(raw, key)}: unknown top-level key {key!r} "
                f"(known: {', '.join(_TOP)})"
            )
    datasette_url = data.get("datasette_url")
    if datasette_url is not None:
        parts = urlsplit(datasette_url) if isinstance(datasette_url, str) else None
        if not parts or parts.scheme not in ("http", "https") or not parts.netloc:
            raise NotifyConfigError(
                f"{path}:{line_of(raw, 'datasette_url')}: datasette_url must be an http(s) URL"
            )
        datasette_url = datasette_url.rstrip("/")
    channel_tables = _tables(data, "channels", path)
    if not channel_tables:
        raise NotifyConfigError(f"{path}: no [[channels]] tables")
    channel_lines = _headers(raw, "channels")
    channels = tuple(
        _channel(table, path, raw, _nth(channel_lines, i)) for i, table in enumerate(channel_tables)
    )
    watch_lines = _headers(raw, "watches")
    watches, names = [], set()
    known = (
        set(known_sources) if known_sources is not None else None,
        set(known_regions) if known_regions is not None else None,
    )
    for i, table in enumerate(_tables(data, "watches", path)):
        watch = _watch(table, path, raw, _nth(watch_lines, i), known)
        if watch.name in names:
            raise NotifyConfigError(
                f"{path}:{_nth(watch_lines, i)}: duplicate watch {watch.name!r}"
            )
        names.add(watch.name)
        watches.append(watch)
    return NotifyConfig(str(path), channels, tuple(watches), datasette_url)


def _channel(table: dict, path: Path, raw: str, line: int) -> Channel:
    where = f"{path}:{line}"
    _known_keys(table, _CHANNEL, "[[channels]]", path, raw, line)
    url = table.get("url")
    if not isinstance(url, str) or not url.strip():
        raise NotifyConfigError(f"{where}: [[channels]] needs a url (an Apprise URL)")
    url = url.strip()
    if not _apprise_knows(url):
        scheme = urlsplit(url).scheme or "?"
        # The URL itself holds secrets: name only its scheme.
        raise NotifyConfigError(
            f"{where}: channel url ({scheme}://…) is not a valid Apprise URL; see "
            "https://github.com/caronc/apprise/wiki for each service's form"
        )
    tags = string_list(table, "tags", where, NotifyConfigError)
    if not tags:
        raise NotifyConfigError(f"{where}: 'tags' is empty: say what the channel receives")
    for tag in tags:
        if not _TAG.match(tag):
            raise NotifyConfigError(f"{where}: tag {tag!r} must be letters, digits, - or _")
    fmt = table.get("format", "markdown")
    if fmt not in FORMATS:
        raise NotifyConfigError(f"{where}: format {fmt!r} must be one of {', '.join(FORMATS)}")
    language = table.get("language", "fi+en")
    if language not in LANGUAGES:
        raise NotifyConfigError(
            f"{where}: language {language!r} must be one of {', '.join(LANGUAGES)}"
        )
    return Channel(url, frozenset(tags), fmt, language)


def _apprise_knows(url: str) -> bool:
    import apprise  # ~1 s of plugin loading: only when a notification file is read

    return apprise.Apprise.instantiate(url) is not None


def _watch(
    table: dict, path: Path, raw: str, line: int, known: tuple[set[str] | None, set[str] | None]
) -> Watch:
    where = f"{path}:{line}"
    _known_keys(table, _WATCH, "[[watches]]", path, raw, line)
    for key in ("name", "query"):
        if not isinstance(table.get(key), str) or not table[key].strip():
            raise NotifyConfigError(f"{where}: [[watches]] needs a non-empty {key!r}")
    query = table["query"].strip()
    problem = check_query(query)
    if problem is None and fts_query(query) == '""':
        problem = "no words to search for / ei hakusanoja"
    if problem:
        query_line = line_of(raw, "query", after=line)
        raise NotifyConfigError(f"{path}:{query_line}: bad query {query!r}: {problem}")
    sources = string_list(table, "sources", where, NotifyConfigError)
    regions = string_list(table, "regions", where, NotifyConfigError)
    if sources and regions:
        raise NotifyConfigError(f"{where}: give 'sources' or 'regions', not both")
    for key, given, allowed in (("source id", sources, known[0]), ("region", regions, known[1])):
        if allowed is not None and (unknown := sorted(set(given) - allowed)):
            raise NotifyConfigError(f"{where}: unknown {key}(s): {', '.join(unknown)}")
    tags = string_list(table, "tags", where, NotifyConfigError) or ["changes"]
    return Watch(
        table["name"].strip(), query, frozenset(tags), frozenset(sources), frozenset(regions)
    )


def _known_keys(
    table: dict, known: tuple[str, ...], header: str, path: Path, raw: str, line: int
) -> None:
    for key in table:
        if key not in known:
            raise NotifyConfigError(
                f"{path}:{line_of(raw, key, after=line)}: unknown key {key!r} in {header} "
                f"(known: {', '.join(known)})"
            )


def _tables(data: dict, key: str, path: Path) -> list[dict]:
    tables = data.get(key, [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise NotifyConfigError(f"{path}: {key!r} must be [[{key}]] tables")
    return tables


def _headers(raw: str, name: str) -> list[int]:
    return [i + 1 for i, line in enumerate(raw.splitlines()) if line.strip() == f"[[{name}]]"]


def _nth(lines: list[int], index: int) -> int:
    return lines[index] if index < len(lines) else 0

"""Serve the sample council sites on loopback hosts, one 127.0.0.x address per site.

Each site directory under `sites/` is a document root. `{{base}}` and `{{base:SITE}}` in
.html/.xml/.txt files become the sites' real base URLs at serve time, and an optional
`_routes.toml` adds redirects, status codes and content-type overrides. `{{hits}}`,
`{{now}}` and `{{token}}` render differently on every request, as CMS hit counters,
time stamps and session tokens do (`{{now}}` to the minute, from `SampleSites.clock`, which
a test can pin). Responses carry an ETag (and Last-Modified for static files) and answer
conditional requests with 304. Every request is counted per site and path (`hits`,
`not_modified`), so tests can assert what a crawl did and did not fetch.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import secrets
import threading
import tomllib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

SITES_DIR = Path(__file__).resolve().parent / "sites"
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".pdf": "application/pdf",
}
_TEMPLATED = {".html", ".xml", ".txt"}
_PLACEHOLDER = re.compile(rb"\{\{base(?::([a-z0-9_-]+))?\}\}")
_DYNAMIC = re.compile(rb"\{\{(hits|now|token)\}\}")
_COUNTER = itertools.count(1000)


@dataclass
class Site:
    name: str
    root: Path
    host: str
    server: ThreadingHTTPServer | None = None
    hits: Counter[str] = field(default_factory=Counter)
    not_modified: Counter[str] = field(default_factory=Counter)

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"


class SampleSites:
    """Start with `start()`, stop with `stop()` (or use as a context manager)."""

    def __init__(
        self, names: list[str] | None = None, root: Path = SITES_DIR, first_host: int = 2
    ) -> None:
        names = names or sorted(p.name for p in root.iterdir() if p.is_dir())
        # What `{{now}}` prints: the wall clock, unless a test pins it (a page's time stamp
        # otherwise changes, or not, with the minute a crawl happens to reach it in).
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        self.sites = {
            name: Site(name, root / name, f"127.0.0.{first_host + i}")
            for i, name in enumerate(names)
        }

    def start(self) -> SampleSites:
        for site in self.sites.values():
            site.server = _QuietServer((site.host, 0), _handler_for(site, self))
            site.server.daemon_threads = True
            threading.Thread(
                target=site.server.serve_forever, daemon=True, name=f"sample-{site.name}"
            ).start()
        return self

    def stop(self) -> None:
        for site in self.sites.values():
            if site.server:
                site.server.shutdown()
                site.server.server_close()

    def __enter__(self) -> SampleSites:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def base(self, name: str) -> str:
        return self.sites[name].base

    def substitute(self, data: bytes, site: Site) -> bytes:
        def replace(match: re.Match[bytes]) -> bytes:
            name = match.group(1).decode() if match.group(1) else site.name
            other = self.sites.get(name)
            # A site that is not running becomes an unreachable loopback port, never the web.
            return (other.base if other and other.server else "http://127.0.0.1:9").encode()

        return _PLACEHOLDER.sub(replace, data)

    def render(self, template: str) -> str:
        """Substitute placeholders in a text (e.g. a sources file template)."""
        return self.substitute(template.encode(), next(iter(self.sites.values()))).decode()


class _QuietServer(ThreadingHTTPServer):
    """A crawler that is killed or times out drops connections: that is not news."""

    def handle_error(self, request: object, client_address: object) -> None:
        return


def _render_dynamic(match: re.Match[bytes], clock: Callable[[], datetime]) -> bytes:
    kind = match.group(1)
    if kind == b"hits":
        return str(next(_COUNTER)).encode()
    if kind == b"now":
        return clock().strftime("%d.%m.%Y klo %H.%M").encode()
    return secrets.token_hex(16).encode()


def _load_routes(root: Path) -> dict:
    path = root / "_routes.toml"
    return tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _handler_for(site: Site, sites: SampleSites) -> type[BaseHTTPRequestHandler]:
    routes = _load_routes(site.root)
    redirects = {r["path"]: r for r in routes.get("redirect", [])}
    statuses = {r["path"]: r["code"] for r in routes.get("status", [])}
    headers = {r["path"]: r["content_type"] for r in routes.get("header", [])}

    class Handler(BaseHTTPRequestHandler):
        server_version = "ris3watch-sample"
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # quiet
            return

        def do_GET(self) -> None:
            path = unquote(urlsplit(self.path).path)
            site.hits[path] += 1
            if path in redirects:
                target = sites.substitute(redirects[path]["to"].encode(), site).decode()
                return self._send(
                    redirects[path].get("status", 301), b"", "text/plain", {"Location": target}
                )
            if path in statuses:
                return self._send(statuses[path], b"<h1>Error</h1>", "text/html; charset=utf-8")
            file = _resolve(site.root, path)
            if file is None:
                return self._send(404, b"<h1>404 Not Found</h1>", "text/html; charset=utf-8")
            data = file.read_bytes()
            dynamic = False
            if file.suffix in _TEMPLATED:
                data = sites.substitute(data, site)
                data, dynamic = _DYNAMIC.subn(lambda m: _render_dynamic(m, sites.clock), data)
            ctype = headers.get(path) or _TYPES.get(file.suffix, "application/octet-stream")
            validators = {"ETag": f'"{hashlib.sha1(data).hexdigest()[:20]}"'}
            if not dynamic:
                mtime = datetime.fromtimestamp(int(file.stat().st_mtime), UTC)
                validators["Last-Modified"] = format_datetime(mtime, usegmt=True)
            if self._fresh(validators):
                site.not_modified[path] += 1
                return self._send(304, b"", ctype, validators)
            self._send(200, data, ctype, validators)

        def _fresh(self, validators: dict[str, str]) -> bool:
            if_none_match = self.headers.get("If-None-Match")
            if if_none_match is not None:
                return if_none_match.strip() == validators["ETag"]
            since, modified = self.headers.get("If-Modified-Since"), validators.get("Last-Modified")
            if since and modified:
                try:
                    return parsedate_to_datetime(modified) <= parsedate_to_datetime(since)
                except (TypeError, ValueError):
                    return False
            return False

        def _send(
            self, status: int, body: bytes, ctype: str, extra: dict[str, str] | None = None
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (extra or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

    return Handler


def _resolve(root: Path, path: str) -> Path | None:
    """`/a/b/` and `/a/b` -> a/b/index.html; `/a/b.html` -> a/b.html; never outside root."""
    relative = path.lstrip("/")
    if relative.startswith("_") or ".." in Path(relative).parts:
        return None
    candidates = [root / relative] if relative else []
    candidates.append(root / relative / "index.html")
    for candidate in candidates:
        resolved = candidate.resolve()
        if resolved.is_file() and resolved.is_relative_to(root.resolve()):
            return resolved
    return None

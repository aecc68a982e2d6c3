"""A misbehaving web server for the fault matrix, on a loopback address, port 0.

One `FaultServer` is one host. Each path has a behaviour (`route(path, kind, **params)`),
which a test can change between two crawls: a page that was fine last night answers 503,
an empty 200, a gzip bomb or a truncated body tonight. Every request is counted per path
(`hits`) with its start and end times (`times`, `time.monotonic()`), so tests can assert
what a crawl did and did not fetch, and when.

Behaviours (`kind`):

- `page`: a small Finnish HTML page whose text is derived from the path (the same bytes
  every time, unless `vary=True` and the server's `generation` changes); `links` adds
  `<a href>`s, `title` sets the `<h1>`; `etag=True` sends an ETag and answers a matching
  `If-None-Match` with 304.
- `raw`: `body` bytes as they are with `ctype` (charset tricks, NUL bytes, PDFs, images).
- `status`: answer `code` with a small body and optional `headers` (e.g. Retry-After).
- `flap`: answer `code` (503) for the first `failures` requests, then behave as `page`.
- `sleep`: wait `seconds`, then behave as `page` (a timeout for the crawler).
- `redirect`: `code` (302) to `to` (absolute, or a path on this host).
- `truncated`: announce `Content-Length` larger than what is sent, then close.
- `stream`: `size` bytes of HTML in 64 KiB chunks, with `Content-Length` when `announce`,
  otherwise close-delimited; stops quietly when the client hangs up.
- `gzip_bomb` / `brotli_bomb`: ~600 MB of HTML (spaces) compressed to ~600 kB / ~1 kB,
  sent with `Content-Encoding: gzip` / `br`. Built once per process and cached.
- `huge_table`: a ~6 MB page of one long table: under every download cap and under
  RIS3WATCH_EXTRACT_MAX_BYTES, but Trafilatura needs ~15 s and ~700 MB for it.
- `big_html`: `size` bytes of plain paragraphs, quick to serve (over the extraction cap),
  then `links`.

`/robots.txt` follows `robots`: `allow` (with the `disallow` paths, if any), `500`, or
`timeout` (sleeps `robots_sleep` seconds, then allows everything); every answer first
waits `robots_delay` seconds, so that a crawler's requests queue up behind it.
"""

from __future__ import annotations

import hashlib
import struct
import threading
import time
import zlib
from collections import Counter, defaultdict
from functools import cache
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit

HTML = "text/html; charset=utf-8"
BOMB_MB = 600


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    # The crawler hangs up on timeouts, size caps and kills: that is the point, not news.

    def handle_error(self, request: object, client_address: object) -> None:
        return


class FaultServer:
    """One loopback host with per-path behaviours; use as a context manager."""

    def __init__(self, host: str, name: str = "faults", robots: str = "allow") -> None:
        self.host = host
        self.name = name
        self.robots = robots
        self.robots_sleep = 5.0
        self.robots_delay = 0.0  # every robots.txt answer waits this long first
        self.disallow: list[str] = []
        self.generation = 1
        self.routes: dict[str, tuple[str, dict[str, Any]]] = {}
        self.state: Counter[str] = Counter()  # requests since the route was (re)set
        self.hits: Counter[str] = Counter()
        self.times: dict[str, list[tuple[float, float]]] = defaultdict(list)
        # (start, end, client port, path, what was answered): for debugging a failed test
        self.log: list[tuple[float, float, int, str, str]] = []
        self.lock = threading.Lock()
        self.server: _QuietServer | None = None

    # -- setup ---------------------------------------------------------------------------

    def route(self, path: str, kind: str, **params: Any) -> FaultServer:
        with self.lock:
            self.routes[path] = (kind, params)
            self.state[path] = 0
        return self

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def start(self) -> FaultServer:
        self.server = _QuietServer((self.host, 0), _handler_for(self))
        threading.Thread(
            target=self.server.serve_forever, daemon=True, name=f"fault-{self.name}"
        ).start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def reset_counts(self) -> None:
        with self.lock:
            self.hits.clear()
            self.times.clear()
            self.log.clear()

    def dump_log(self) -> str:
        """The request log as text: seconds from the first request, client port, answer."""
        with self.lock:
            log = sorted(self.log)
        t0 = log[0][0] if log else 0.0
        return "".join(
            f"{start - t0:8.2f} {end - t0:8.2f} {port:6d} {path} {what}\n"
            for start, end, port, path, what in log
        )

    def total_hits(self) -> int:
        return sum(self.hits.values())

    # -- content -------------------------------------------------------------------------

    def page_html(self, path: str, params: dict[str, Any]) -> bytes:
        return page_html(
            path,
            title=params.get("title"),
            links=params.get("links", ()),
            generation=self.generation if params.get("vary") else 1,
        )


def label_of(path: str) -> str:
    return path.strip("/").replace("/", " ").replace("-", " ") or "etusivu"


def page_text(path: str, generation: int = 1) -> str:
    """The sentence every `page` carries (tests look for it in pages.text)."""
    text = (
        f"Sivu {label_of(path)}: maakunnan älykkään erikoistumisen strategia ja sen "
        f"kärkialat, kiertotalous ja yhteistyö."
    )
    if generation > 1:
        text += f" Päivitetty sisältö, versio {generation}."
    return text


def page_html(path: str, title: str | None = None, links: Any = (), generation: int = 1) -> bytes:
    heading = escape(title if title is not None else f"Strategiasivu {label_of(path)}")
    items = "".join(f'<li><a href="{escape(href)}">{escape(href)}</a></li>' for href in links)
    return (
        '<!DOCTYPE html><html lang="fi"><head><meta charset="utf-8">'
        f"<title>{heading} – Testiliitto</title></head><body><main><h1>{heading}</h1>"
        f"<p>{escape(page_text(path, generation))}</p>"
        "<p>Älykäs erikoistuminen ohjaa maakunnan kehittämistä vuosina 2021–2027, ja "
        "strategian kärkialoja ovat teknologiateollisuus, biotalous ja matkailu.</p>"
        f"{f'<ul>{items}</ul>' if items else ''}</main></body></html>"
    ).encode()


@cache
def gzip_bomb() -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)  # 31: gzip container
    chunk = b" " * (1 << 20)
    parts = [compressor.compress(b"<!DOCTYPE html><html><body><p>")]
    parts += [compressor.compress(chunk) for _ in range(BOMB_MB)]
    parts.append(compressor.flush())
    return b"".join(parts)


@cache
def brotli_bomb() -> bytes:
    import brotli

    compressor = brotli.Compressor(quality=5)
    chunk = b" " * (1 << 20)
    parts = [compressor.process(b"<!DOCTYPE html><html><body><p>")]
    parts += [compressor.process(chunk) for _ in range(BOMB_MB)]
    parts.append(compressor.finish())
    return b"".join(parts)


@cache
def huge_table(rows: int = 20_000) -> bytes:
    row = b"<tr>" + b"<td>solu <b>teksti</b> strategia</td>" * 8 + b"</tr>\n"
    return (
        b'<!DOCTYPE html><html lang="fi"><head><meta charset="utf-8"><title>Iso taulukko'
        b"</title></head><body><main><h1>Iso taulukko</h1><table>"
        + row * rows
        + b"</table></main></body></html>"
    )


@cache
def big_html(size: int, links: Any = ()) -> bytes:
    para = "<p>Pitkä sivu kiertotaloudesta ja älykkäästä erikoistumisesta.</p>\n".encode()
    head = b'<!DOCTYPE html><html lang="fi"><head><title>Pitk\xc3\xa4</title></head><body>'
    anchors = "".join(f'<a href="{escape(href)}">{escape(href)}</a>' for href in links)
    return head + para * (size // len(para) + 1) + anchors.encode() + b"</body></html>"


def pdf_bytes(title: str, lines: list[str]) -> bytes:
    """A small, valid one-page PDF with real text (Helvetica, ASCII only)."""

    def pdf_string(text: str) -> str:
        return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"

    ops = ["BT", "/F1 12 Tf", "72 720 Td"]
    for i, line in enumerate(lines):
        ops.append(("0 -16 Td " if i else "") + f"{pdf_string(line)} Tj")
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Title " + pdf_string(title).encode("latin-1") + b" >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def png_bytes() -> bytes:
    """A valid 1×1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def _handler_for(server: FaultServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "ris3watch-faults"
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # quiet
            return

        def do_GET(self) -> None:
            path = unquote(urlsplit(self.path).path)
            start = time.monotonic()
            with server.lock:
                server.hits[path] += 1
                server.state[path] += 1
                count = server.state[path]
                kind, params = server.routes.get(path, ("status", {"code": 404}))
            self.answered = "?"
            try:
                if path == "/robots.txt":
                    self._robots()
                else:
                    getattr(self, "_" + kind)(path, params, count)
            finally:
                end = time.monotonic()
                with server.lock:
                    server.times[path].append((start, end))
                    server.log.append(
                        (start, end, self.client_address[1], path, f"{kind}:{self.answered}")
                    )

        def send_response(self, code: int, message: str | None = None) -> None:
            self.answered = str(code)
            super().send_response(code, message)

        # -- behaviours ------------------------------------------------------------------

        def _robots(self) -> None:
            time.sleep(server.robots_delay)
            if server.robots == "500":
                return self._send(500, b"Internal Server Error", "text/plain")
            if server.robots == "timeout":
                time.sleep(server.robots_sleep)
            lines = ["User-agent: *"] + [f"Disallow: {p}" for p in server.disallow]
            if len(lines) == 1:
                lines.append("Disallow:")
            self._send(200, ("\n".join(lines) + "\n").encode(), "text/plain; charset=utf-8")

        def _page(self, path: str, params: dict, count: int) -> None:
            body = server.page_html(path, params)
            if not params.get("etag"):
                return self._send(200, body, HTML)
            etag = f'"{hashlib.sha1(body).hexdigest()[:16]}"'
            if self.headers.get("If-None-Match") == etag:
                return self._send(304, b"", HTML, {"ETag": etag})
            self._send(200, body, HTML, {"ETag": etag})

        def _raw(self, path: str, params: dict, count: int) -> None:
            self._send(200, params["body"], params.get("ctype", HTML), params.get("headers"))

        def _status(self, path: str, params: dict, count: int) -> None:
            code = params["code"]
            body = f"<html><body><h1>{code}</h1></body></html>".encode()
            self._send(code, body, HTML, params.get("headers"))

        def _flap(self, path: str, params: dict, count: int) -> None:
            if count <= params.get("failures", 1):
                return self._status(path, {"code": params.get("code", 503), **params}, count)
            return self._page(path, params, count)

        def _sleep(self, path: str, params: dict, count: int) -> None:
            time.sleep(params.get("seconds", 5))
            self._page(path, params, count)

        def _redirect(self, path: str, params: dict, count: int) -> None:
            target = params["to"]
            if target.startswith("/"):
                target = server.base + target
            self._send(params.get("code", 302), b"", "text/plain", {"Location": target})

        def _truncated(self, path: str, params: dict, count: int) -> None:
            body = server.page_html(path, params)
            self.send_response(200)
            self.send_header("Content-Type", HTML)
            self.send_header("Content-Length", str(len(body) + 20_000))
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()
            self.close_connection = True

        def _stream(self, path: str, params: dict, count: int) -> None:
            size = params["size"]
            self.send_response(200)
            self.send_header("Content-Type", HTML)
            if params.get("announce", True):
                self.send_header("Content-Length", str(size))
            else:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            chunk = b"<p>" + b"x" * (65536 - 7) + b"</p>\n"
            sent = 0
            try:
                while sent < size:
                    piece = chunk[: size - sent]
                    self.wfile.write(piece)
                    sent += len(piece)
            except OSError:
                self.close_connection = True

        def _gzip_bomb(self, path: str, params: dict, count: int) -> None:
            self._send(200, gzip_bomb(), HTML, {"Content-Encoding": "gzip"})

        def _brotli_bomb(self, path: str, params: dict, count: int) -> None:
            self._send(200, brotli_bomb(), HTML, {"Content-Encoding": "br"})

        def _huge_table(self, path: str, params: dict, count: int) -> None:
            self._send(200, huge_table(), HTML)

        def _big_html(self, path: str, params: dict, count: int) -> None:
            self._send(200, big_html(params["size"], tuple(params.get("links", ()))), HTML)

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

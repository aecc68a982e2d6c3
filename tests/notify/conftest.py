"""Loopback receivers for real Apprise sends: a JSON webhook and an SMTP server."""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


def wait_for(condition: Callable[[], object], timeout: float = 30.0) -> object:
    """Poll `condition` until it is truthy (a generous deadline, never a fixed sleep)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.02)
    raise AssertionError("condition not met before the deadline")


@dataclass
class JsonReceiver:
    """Records every POSTed JSON body by path; paths in `failing` answer 500."""

    server: ThreadingHTTPServer | None = None
    received: list[tuple[str, dict]] = field(default_factory=list)
    failing: set[str] = field(default_factory=set)

    def url(self, path: str) -> str:
        host, port = self.server.server_address[:2]
        return f"json://{host}:{port}{path}"

    def bodies(self, path: str) -> list[dict]:
        return [body for p, body in self.received if p == path]


def _handler(receiver: JsonReceiver):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's naming
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length) or b"{}")
            if self.path in receiver.failing:
                self.send_response(500)
            else:
                receiver.received.append((self.path, body))
                self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    return Handler


@pytest.fixture
def json_receiver():
    receiver = JsonReceiver()
    receiver.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(receiver))
    receiver.server.daemon_threads = True
    threading.Thread(target=receiver.server.serve_forever, daemon=True).start()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


@dataclass
class Mailbox:
    port: int
    messages: list[email.message.EmailMessage] = field(default_factory=list)

    def url(self, to: str = "analyst@example.org") -> str:
        return f"mailto://127.0.0.1:{self.port}?to={to}&from=ris3watch@example.org"

    def texts(self) -> list[str]:
        """Each message's subject and text parts (the plain-text alternative or the body)."""
        out = []
        for message in self.messages:
            parts = [p.get_content() for p in message.walk() if p.get_content_maintype() == "text"]
            out.append(str(message["Subject"]) + "\n" + "\n".join(parts))
        return out


class _Handler:
    def __init__(self, mailbox: Mailbox) -> None:
        self.mailbox = mailbox

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's naming
        self.mailbox.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def mailbox():
    from aiosmtpd.controller import Controller

    box = Mailbox(_free_port())
    controller = Controller(_Handler(box), hostname="127.0.0.1", port=box.port)
    controller.start()
    yield box
    controller.stop()

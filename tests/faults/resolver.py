"""A stub DNS resolver for crawls in tests: no name ever reaches a real DNS server.

Use it with `--set TWISTED_DNS_RESOLVER=tests.faults.resolver.StubResolver` (the name that
replaced Scrapy's deprecated `DNS_RESOLVER`; both load the class the same way). The crawl
process reads its answers from the environment:

- `RIS3WATCH_STUB_DNS`: JSON object, host name -> IPv4 address, or `null` for "no such
  host". A key `*.example.test` matches every name ending in `.example.test`; exact names
  win over wildcards, longer wildcards over shorter ones.
- `RIS3WATCH_STUB_LOG`: a file the resolver appends one line per event to: `installed`,
  `resolved NAME ADDRESS`, `nxdomain NAME`, `unmapped NAME`, `blocked HOST:PORT`.

Names ending in `.invalid`, names mapped to `null` and names not in the map at all fail at
once with Twisted's `DNSLookupError` (what a real NXDOMAIN gives Scrapy). IP literals are
answered as they are.

It also guards the reactor: `connectTCP` to anything outside 127.0.0.0/8 is refused
(`ConnectionRefusedError`) and logged as `blocked`, so a crawl under test cannot open a
connection off loopback even when the code under test would try; tests assert the log has
no `blocked` line.
"""

from __future__ import annotations

import ipaddress
import json
import os
import threading
from collections.abc import Callable
from typing import Any

from twisted.internet import defer
from twisted.internet.error import ConnectionRefusedError, DNSLookupError
from twisted.internet.interfaces import IResolverSimple
from zope.interface import implementer

MAP_ENV = "RIS3WATCH_STUB_DNS"
LOG_ENV = "RIS3WATCH_STUB_LOG"
_LOG_LOCK = threading.Lock()


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host) in ipaddress.ip_network("127.0.0.0/8")
    except ValueError:
        return False


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


class _Log:
    def __init__(self, path: str | None) -> None:
        self.path = path

    def __call__(self, line: str) -> None:
        if not self.path:
            return
        with _LOG_LOCK, open(self.path, "a", encoding="utf-8") as log:
            log.write(line + "\n")


@implementer(IResolverSimple)
class StubResolver:
    """Answers from a fixed map; everything else is a DNS lookup error."""

    def __init__(
        self, reactor: Any, mapping: dict[str, str | None], log: Callable[[str], None]
    ) -> None:
        self.reactor = reactor
        self.mapping = {k.lower().rstrip("."): v for k, v in mapping.items()}
        self.log = log

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> StubResolver:
        mapping = json.loads(os.environ.get(MAP_ENV) or "{}")
        return cls(reactor, mapping, _Log(os.environ.get(LOG_ENV)))

    def install_on_reactor(self) -> None:
        self.reactor.installResolver(self)
        guard_connections(self.reactor, self.log)
        self.log("installed")

    def lookup(self, name: str) -> str | None:
        """The address for `name`, or None when it must not resolve."""
        name = name.lower().rstrip(".")
        if _is_ip(name):
            return name
        if name == "localhost":
            return "127.0.0.1"
        if name.endswith(".invalid") or name == "invalid":
            return None
        if name in self.mapping:
            return self.mapping[name]
        wildcards = sorted(
            (k for k in self.mapping if k.startswith("*.") and name.endswith(k[1:])),
            key=len,
            reverse=True,
        )
        if wildcards:
            return self.mapping[wildcards[0]]
        self.log(f"unmapped {name}")
        return None

    def getHostByName(self, name: str, timeout: Any = ()) -> defer.Deferred:  # noqa: N802
        address = self.lookup(name)
        if address is None:
            self.log(f"nxdomain {name}")
            return defer.fail(DNSLookupError(f"stub resolver: no such host {name!r}"))
        self.log(f"resolved {name} {address}")
        return defer.succeed(address)


def guard_connections(reactor: Any, log: Callable[[str], None]) -> None:
    """Make `reactor.connectTCP` refuse every address outside 127.0.0.0/8."""
    if getattr(reactor.connectTCP, "_loopback_guard", False):
        return
    original = reactor.connectTCP

    def connectTCP(host, port, factory, timeout=30, bindAddress=None):  # noqa: N802, N803
        if not is_loopback(host):
            log(f"blocked {host}:{port}")
            raise ConnectionRefusedError(string=f"test guard: {host}:{port} is outside 127.0.0.0/8")
        return original(host, port, factory, timeout, bindAddress)

    connectTCP._loopback_guard = True
    reactor.connectTCP = connectTCP

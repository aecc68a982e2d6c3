"""The stub resolver the fault crawls use: it must never need a DNS server, and its
guard must never let a connection leave 127.0.0.0/8."""

from __future__ import annotations

import pytest
from twisted.internet.error import ConnectionRefusedError, DNSLookupError
from twisted.internet.interfaces import IResolverSimple

from tests.faults.resolver import StubResolver, guard_connections


class FakeReactor:
    def __init__(self) -> None:
        self.resolver = None
        self.connected: list[tuple[str, int]] = []

    def installResolver(self, resolver):  # noqa: N802
        self.resolver = resolver

    def connectTCP(self, host, port, factory, timeout=30, bindAddress=None):  # noqa: N802
        self.connected.append((host, port))
        return "connector"


def answer(resolver: StubResolver, name: str):
    results = []
    resolver.getHostByName(name).addBoth(results.append)
    return results[0]


@pytest.fixture
def stub():
    log: list[str] = []
    mapping = {
        "intranet.test": "10.0.0.5",
        "*.loopback.test": "127.0.0.30",
        "*.dns.loopback.test": None,
        "offsite.loopback.test": "127.0.0.31",
    }
    return StubResolver(FakeReactor(), mapping, log.append), log


def test_answers_from_its_map_exact_before_wildcards(stub):
    resolver, log = stub
    assert IResolverSimple.providedBy(resolver)
    assert answer(resolver, "intranet.test") == "10.0.0.5"
    assert answer(resolver, "www.loopback.test") == "127.0.0.30"
    assert answer(resolver, "offsite.loopback.test") == "127.0.0.31"
    assert answer(resolver, "127.0.0.7") == "127.0.0.7"
    assert answer(resolver, "localhost") == "127.0.0.1"
    assert "resolved intranet.test 10.0.0.5" in log


@pytest.mark.parametrize(
    "name", ["nosuchhost.invalid", "www.dns.loopback.test", "example.com", "kymenlaakso.fi"]
)
def test_everything_else_is_a_dns_lookup_error_at_once(stub, name):
    resolver, log = stub
    failure = answer(resolver, name)
    assert failure.check(DNSLookupError), failure
    assert f"nxdomain {name}" in log


def test_installs_itself_and_guards_connections(stub):
    resolver, log = stub
    reactor = resolver.reactor
    resolver.install_on_reactor()
    assert reactor.resolver is resolver and "installed" in log
    assert reactor.connectTCP("127.0.0.30", 80, None) == "connector"
    for host in ("10.0.0.5", "169.254.169.254", "93.184.216.34", "example.com", "::1"):
        with pytest.raises(ConnectionRefusedError):
            reactor.connectTCP(host, 80, None)
    assert reactor.connected == [("127.0.0.30", 80)]
    assert "blocked 10.0.0.5:80" in log
    guard_connections(reactor, log.append)  # idempotent
    assert reactor.connectTCP("127.0.0.2", 81, None) == "connector"

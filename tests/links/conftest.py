"""Fixtures: loopback servers (plain, a second host, TLS with a throwaway CA)."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme
from linkserver import LinkServer, dns_lookups


@pytest.fixture(autouse=True)
def no_dns_queries() -> Iterator[None]:
    """No test here may ask a DNS server anything: only 127.0.0.0/8 is ever contacted.

    (Names under .invalid are answered by the checker itself and never looked up.)
    """
    dns_lookups()
    yield
    asked = dns_lookups()
    assert not asked, f"the test looked up host names: {sorted(set(asked))}"


@pytest.fixture
def server() -> Iterator[LinkServer]:
    running = LinkServer("127.0.0.1")
    yield running
    running.close()


@pytest.fixture
def other_server() -> Iterator[LinkServer]:
    """A second host: 127.0.0.2 (Linux routes all of 127.0.0.0/8 to the loopback)."""
    try:
        running = LinkServer("127.0.0.2")
    except OSError as exc:
        pytest.skip(f"cannot bind 127.0.0.2 on this system: {exc}")
    yield running
    running.close()


@pytest.fixture(scope="session")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def tls_server(ca: trustme.CA) -> Iterator[LinkServer]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    running = LinkServer("127.0.0.1", tls=context)
    yield running
    running.close()


@pytest.fixture
def ca_file(ca: trustme.CA, tmp_path: Path) -> Path:
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return path

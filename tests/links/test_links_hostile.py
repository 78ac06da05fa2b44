"""Hostile servers and odd addresses against the checker (issue 13): whatever a server sends,
it only ever decides its own URL's verdict, and no request outlives its bounds.

The servers are real, on 127.0.0.1; trickling ones write one byte at a time to the socket,
so every single read of the client returns in time and only a bound on the whole request
(or the whole URL) can end it.
"""

from __future__ import annotations

import errno
import os
import socket
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner
from linkserver import (
    Handler,
    LinkServer,
    RawServer,
    connections,
    fast_settings,
    redirect,
    respond,
    slow,
    trickle,
)

from exilebib.cli import main
from exilebib.links.check import LinkChecker, check_links, classify_error, offline_note
from exilebib.links.model import Citation, Link, NoteKind, Verdict
from exilebib.links.policy import (
    MAX_RETRY_AFTER,
    AddressPolicy,
    Failure,
    parse_content_length,
    parse_http_date,
    parse_retry_after,
)
from exilebib.model import Location


def link(url: str, key: str = "k") -> Link:
    return Link(url, (Citation(key, "url", Location("refs.bib", 1)),))


HEADERS_200 = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX-Pad: " + b"a" * 200 + b"\r\n\r\n"


# -- headers only ever decide their own URL ------------------------------------------------


@pytest.mark.parametrize("value", ["²", "１２", "٣", "1e3", "-5", "9" * 400, "Sun, 31 Feb 2030"])
def test_an_odd_retry_after_affects_only_its_own_url(server: LinkServer, value: str) -> None:
    odd = server.route("/odd", respond(503, {"Retry-After": value}))
    fine = server.route("/fine", respond(200))
    results = check_links([link(odd), link(fine)], fast_settings(retries=1))
    assert [r.verdict for r in results] == [Verdict.TRANSIENT, Verdict.OK]
    assert results[0].attempts == 2


def test_a_unicode_digit_retry_after_does_not_end_the_cli_run(
    server: LinkServer, runner: CliRunner, in_tmp: Path
) -> None:
    odd = server.route("/odd", respond(429, {"Retry-After": "²"}))
    gone = server.route("/gone", respond(404))
    bib = in_tmp / "refs.bib"
    bib.write_text(f"@online{{a, url = {{{odd}}}}}\n@online{{b, url = {{{gone}}}}}\n")
    result = runner.invoke(
        main, ["links", str(bib), "--allow-private", "--retries", "1", "--timeout", "1"]
    )
    assert result.exit_code == 1, result.output
    assert "internal error" not in result.output
    assert "transient (1)" in result.output
    assert "broken (1)" in result.output


def test_retry_after_reads_only_ascii_digits_and_http_dates() -> None:
    now = datetime(2030, 1, 1, tzinfo=UTC)
    assert parse_retry_after("²") is None
    assert parse_retry_after("１２") is None
    assert parse_retry_after(" 12 ") == 12.0
    assert parse_retry_after("9" * 400) == MAX_RETRY_AFTER
    assert parse_retry_after("Tue, 01 Jan 2030 00:00:30 GMT", now) == 30.0
    assert parse_retry_after("Tuesday, 01-Jan-30 00:01:00 GMT", now) == 60.0
    assert parse_retry_after("Tue Jan  1 00:00:10 2030", now) == 10.0
    assert parse_retry_after("Mon, 31 Dec 2029 00:00:00 GMT", now) == 0.0  # past: at once
    for junk in ("Tue, 31 Feb 2030 00:00:00 GMT", "Tue, 01 Jan 2030 00:00:30 CET", "soon"):
        assert parse_retry_after(junk, now) is None
    assert parse_http_date("Tue, 01 Jan 99999 00:00:00 GMT") is None


def test_content_length_reads_only_ascii_digits() -> None:
    assert parse_content_length("12") == 12
    assert parse_content_length("²") is None
    assert parse_content_length("9" * 400) is None
    assert parse_content_length(None) is None


# -- --timeout bounds the whole request, --deadline the whole URL --------------------------


def test_timeout_bounds_a_response_whose_headers_trickle(server: LinkServer) -> None:
    url = server.route("/drip", trickle(HEADERS_200, 0.05))  # 11 s to send them all
    started = time.monotonic()
    result = check_links([link(url)], fast_settings(timeout=0.5, timeout_retries=0))[0]
    assert result.verdict is Verdict.TRANSIENT
    assert "timed out" in result.detail
    assert time.monotonic() - started < 3.0
    assert server.trickled < len(HEADERS_200)  # type: ignore[attr-defined]


def test_timeout_bounds_reading_a_trickled_body(server: LinkServer) -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"
    url = server.route("/body", trickle(b"x" * 100, 0.05, head=head))  # 5 s for the body
    started = time.monotonic()
    result = check_links([link(url)], fast_settings(timeout=0.5, timeout_retries=0))[0]
    assert result.verdict is Verdict.OK  # the status came in time; the body is not needed
    assert time.monotonic() - started < 3.0
    time.sleep(0.2)
    assert server.trickled < 100  # type: ignore[attr-defined]


def test_deadline_ends_a_url_whose_every_attempt_trickles(server: LinkServer) -> None:
    url = server.route("/drip", trickle(HEADERS_200, 0.05))
    started = time.monotonic()
    result = check_links(
        [link(url)], fast_settings(timeout=0.4, deadline=1.0, retries=0, timeout_retries=10)
    )[0]
    assert result.verdict is Verdict.TRANSIENT
    assert time.monotonic() - started < 2.5
    assert 2 <= result.attempts <= 4


def test_cli_timeout_and_deadline_end_a_trickling_server(
    server: LinkServer, runner: CliRunner, in_tmp: Path
) -> None:
    """The issue's case, scaled down: --timeout 3 --deadline 8 --retries 0 ran 900 s."""
    url = server.route("/drip", trickle(HEADERS_200, 0.05))
    bib = in_tmp / "refs.bib"
    bib.write_text(f"@online{{drip, url = {{{url}}}}}\n")
    started = time.monotonic()
    result = runner.invoke(
        main,
        [
            *("links", str(bib), "--allow-private"),
            *("--timeout", "0.3", "--deadline", "0.8", "--retries", "0"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "transient (1)" in result.output
    assert "timed out" in result.output
    assert time.monotonic() - started < 3.0


def test_timeout_bounds_a_tls_response_whose_headers_trickle(
    tls_server: LinkServer, ca_file: Path
) -> None:
    url = tls_server.route("/drip", trickle(HEADERS_200, 0.05))
    started = time.monotonic()
    settings = fast_settings(timeout=0.5, timeout_retries=0, ca_bundle=str(ca_file))
    result = check_links([link(url)], settings)[0]
    assert result.verdict is Verdict.TRANSIENT
    assert "timed out" in result.detail
    assert time.monotonic() - started < 3.0


def test_timeout_bounds_a_trickled_tls_handshake() -> None:
    """The TLS layer has taken the TCP socket over while it shakes hands."""
    record = b"\x16\x03\x03\x40\x00" + b"\x02" * 200  # a 16 KB handshake record, slowly

    def behaviour(conn: socket.socket) -> None:
        conn.recv(4096)  # the ClientHello
        for byte in record:
            conn.sendall(bytes([byte]))
            server.sent += 1
            time.sleep(0.05)

    server = RawServer(behaviour)
    try:
        started = time.monotonic()
        url = f"https://127.0.0.1:{server.port}/"
        result = check_links([link(url)], fast_settings(timeout=0.5, timeout_retries=0))[0]
        assert result.verdict is Verdict.TRANSIENT
        assert "timed out" in result.detail
        assert time.monotonic() - started < 3.0
        time.sleep(0.2)
        assert server.sent < len(record)
    finally:
        server.close()


def test_timeout_bounds_a_request_on_a_reused_connection(server: LinkServer) -> None:
    fine = server.route("/fine", respond(200))
    drip = server.route("/drip", trickle(HEADERS_200, 0.05))
    started = time.monotonic()
    results = check_links(
        [link(fine), link(drip)],
        fast_settings(timeout=0.5, timeout_retries=0, concurrency=1, per_host=1),
    )
    assert [r.verdict for r in results] == [Verdict.OK, Verdict.TRANSIENT]
    assert time.monotonic() - started < 3.0


def test_a_trickled_redirect_chain_is_bounded_per_request(server: LinkServer) -> None:
    target = server.route("/end", respond(200))
    url = server.route("/start", redirect(302, target))
    # Fast requests are not cut short by the bound: the watch ends with each request.
    result = check_links([link(url)], fast_settings(timeout=0.5))[0]
    assert result.verdict is Verdict.REDIRECTED


# -- a redirect to a URL that is not one is broken -----------------------------------------


@pytest.mark.parametrize(
    "location", ["http://[::1", "http://[zz]/", "http://a]/", "http://127.0.0.1:99999/"]
)
def test_a_redirect_to_a_malformed_url_is_broken(server: LinkServer, location: str) -> None:
    url = server.route("/moved", redirect(302, location))
    with connections() as tried:
        result = check_links([link(url)], fast_settings(retries=2))[0]
    assert result.verdict is Verdict.BROKEN
    assert "invalid URL" in result.detail
    assert result.attempts == 1
    assert set(tried) == {"127.0.0.1"}


# -- addresses with an IPv4 address inside -----------------------------------------------


@pytest.mark.parametrize(
    ("address", "forbidden", "with_allow_private"),
    [
        ("::7f00:1", True, False),  # IPv4-compatible 127.0.0.1
        ("::127.0.0.1", True, False),
        ("64:ff9b::7f00:2", True, False),  # NAT64 of 127.0.0.2
        ("64:ff9b:1::a00:1", True, False),  # local-use NAT64 of 10.0.0.1
        ("2002:7f00:2::", True, False),  # 6to4 of 127.0.0.2
        ("2002:c0a8:101::1", True, False),  # 6to4 of 192.168.1.1
        ("2001:0:4136:e378:8000:63bf:80ff:fffe", True, False),  # Teredo, client 127.0.0.1
        ("64:ff9b::a9fe:a9fe", True, True),  # NAT64 of the metadata address
        ("2002:a9fe:a9fe::", True, True),  # 6to4 of the metadata address
        ("::a9fe:a9fe", True, True),
        ("64:ff9b::808:808", False, False),  # NAT64 of a public address: fine
        ("2002:808:808::1", False, False),
        ("::1", True, False),
        ("::", True, False),
    ],
)
def test_an_ipv4_address_inside_an_ipv6_one_decides(
    address: str, forbidden: bool, with_allow_private: bool
) -> None:
    assert AddressPolicy().forbids(address) is forbidden
    assert AddressPolicy(allow_private=True).forbids(address) is with_allow_private


def test_a_cited_ipv4_compatible_loopback_address_is_not_contacted() -> None:
    with connections() as tried:
        (result,) = LinkChecker(fast_settings(allow_private=False)).check(
            [link("http://[::7f00:1]:8080/x")]
        )
    assert result.verdict is Verdict.EXCLUDED
    assert "non-public" in result.detail
    assert tried == []


# -- no network is not "broken" ---------------------------------------------------------


def test_a_run_where_no_host_resolves_looks_offline_not_broken() -> None:
    urls = ["http://a.invalid/x", "http://b.invalid/y", "https://doi.invalid/10.1/z"]
    with connections() as tried:
        run = LinkChecker(fast_settings()).check_run([link(url) for url in urls])
    assert tried == []  # ".invalid" is answered without asking a DNS server
    assert [r.verdict for r in run.results] == [Verdict.TRANSIENT] * 3
    assert all("looks offline" in r.detail for r in run.results)
    (note,) = run.notes
    assert note.kind is NoteKind.OFFLINE
    assert "3 URL(s)" in note.message
    assert "3 host(s)" in note.message


def test_one_unresolvable_host_among_answering_ones_is_broken(server: LinkServer) -> None:
    fine = server.route("/ok", respond(200))
    run = LinkChecker(fast_settings()).check_run(
        [link("http://a.invalid/x"), link("http://b.invalid/y"), link(fine)]
    )
    assert [r.verdict for r in run.results] == [Verdict.BROKEN, Verdict.BROKEN, Verdict.OK]
    assert run.notes == ()


def test_a_single_unresolvable_url_is_broken() -> None:
    run = LinkChecker(fast_settings()).check_run([link("http://typo.invalid/x")])
    assert run.results[0].verdict is Verdict.BROKEN
    assert run.notes == ()


def test_no_route_to_the_host_is_unreachable_and_counts_towards_offline() -> None:
    for number in (errno.ENETUNREACH, errno.EHOSTUNREACH):
        wrapped = requests.exceptions.ConnectionError(OSError(number, os.strerror(number)))
        failure, detail = classify_error(wrapped)
        assert failure is Failure.UNREACHABLE
        assert detail.startswith("no route to the host")
    ended = [("http://a.example/", Failure.UNREACHABLE), ("http://b.example/", Failure.DNS)]
    note = offline_note(ended)
    assert note is not None
    assert note.kind is NoteKind.OFFLINE
    assert offline_note([*ended, ("http://c.example/", None)]) is None
    assert offline_note(ended[:1]) is None


def test_a_request_that_outlives_its_deadline_gets_a_verdict_without_waiting(
    server: LinkServer,
) -> None:
    """The scheduler's safety net for what the watchdog cannot cut short (a DNS lookup).
    Here the checker's clock jumps 100 s ahead once /stuck is asked, so that request has
    outlived its URL's deadline when /fine answers: /stuck gets its verdict then, and its
    worker's late answer is dropped."""
    offset = [0.0]

    def jump_then_hang(handler: Handler) -> None:
        offset[0] += 100.0
        slow(2.5)(handler)

    stuck = server.route("/stuck", jump_then_hang)
    fine = server.route("/fine", slow(0.3))
    settings = fast_settings(timeout=5.0, deadline=2.0, concurrency=2, timeout_retries=0)
    checker = LinkChecker(settings, clock=lambda: time.monotonic() + offset[0])
    results = checker.check([link(stuck), link(fine)])
    assert results[0].verdict is Verdict.TRANSIENT
    # Only the scheduler's safety net writes this detail: the worker's own answer, 2.5 s
    # later, would have been "ok".
    assert results[0].detail == "no answer within the deadline of 2 s"
    # /fine was in flight when the clock jumped too: on a loaded machine the scheduler can
    # wake before its answer arrives and find it past its deadline as well, which is right.
    assert results[1].verdict in {Verdict.OK, Verdict.TRANSIENT}

"""The checker against real servers on 127.0.0.1: every verdict and every policy."""

from __future__ import annotations

import time
from email.utils import formatdate
from pathlib import Path

import pytest
from linkserver import (
    LinkServer,
    by_method,
    connections,
    endless_body,
    fast_settings,
    free_port,
    header_flood,
    redirect,
    reset,
    respond,
    sequence,
    slow,
)

from exilebib.links.check import LinkChecker, check_links
from exilebib.links.model import Citation, Link, LinkResult, Verdict
from exilebib.links.policy import AddressPolicy, parse_retry_after
from exilebib.links.settings import DEFAULT_USER_AGENT, PROJECT_URL, LinkSettings
from exilebib.model import Location


def link(url: str, key: str = "k", line: int = 1) -> Link:
    return Link(url, (Citation(key, "url", Location("refs.bib", line)),))


def check_one(url: str, **settings: object) -> LinkResult:
    (result,) = check_links([link(url)], fast_settings(**settings))
    return result


# -- verdicts from statuses --------------------------------------------------------------


def test_ok_sends_the_descriptive_user_agent(server: LinkServer) -> None:
    result = check_one(server.route("/ok", respond(200)))
    assert result.verdict is Verdict.OK
    assert (result.http_status, result.attempts, result.detail) == (200, 1, "200 OK")
    (seen,) = server.hits("/ok")
    assert seen.method == "GET"
    assert seen.headers["User-Agent"] == DEFAULT_USER_AGENT
    assert PROJECT_URL in DEFAULT_USER_AGENT


@pytest.mark.parametrize("status", [404, 410, 400, 451])
def test_permanent_client_errors_are_broken_without_retry(server: LinkServer, status: int) -> None:
    result = check_one(server.route("/gone", respond(status)))
    assert result.verdict is Verdict.BROKEN
    assert result.http_status == status
    assert len(server.hits("/gone")) == 1


@pytest.mark.parametrize("status", [401, 403])
def test_auth_and_forbidden_are_blocked(server: LinkServer, status: int) -> None:
    result = check_one(server.route("/wall", respond(status)))
    assert result.verdict is Verdict.BLOCKED
    assert "browser" in result.detail


def test_bot_challenge_is_blocked_at_once(server: LinkServer) -> None:
    url = server.route("/cf", respond(503, {"cf-mitigated": "challenge"}))
    assert check_one(url).verdict is Verdict.BLOCKED
    assert len(server.hits("/cf")) == 1  # a challenge does not go away by retrying


def test_5xx_retried_then_transient(server: LinkServer) -> None:
    result = check_one(server.route("/down", respond(500)), retries=2)
    assert result.verdict is Verdict.TRANSIENT
    assert result.attempts == 3
    assert len(server.hits("/down")) == 3
    assert "3 attempts" in result.detail


@pytest.mark.parametrize("status", [502, 503, 504, 408, 429])
def test_transient_status_then_ok(server: LinkServer, status: int) -> None:
    url = server.route("/flaky", sequence(respond(status), respond(200)))
    result = check_one(url)
    assert (result.verdict, result.attempts) == (Verdict.OK, 2)


def test_429_after_retries_is_transient_not_broken(server: LinkServer) -> None:
    result = check_one(server.route("/busy", respond(429)), retries=1)
    assert (result.verdict, result.http_status) == (Verdict.TRANSIENT, 429)


# -- Retry-After ---------------------------------------------------------------------------


def test_retry_after_seconds_is_honoured(server: LinkServer) -> None:
    url = server.route("/ra", sequence(respond(429, {"Retry-After": "1"}), respond(200)))
    result = check_one(url)
    assert result.verdict is Verdict.OK
    first, second = server.hits("/ra")
    assert 0.95 <= second.at - first.at < 2.0


def test_retry_after_http_date_is_honoured(server: LinkServer) -> None:
    def later(handler: object) -> None:
        respond(503, {"Retry-After": formatdate(time.time() + 2, usegmt=True)})(handler)  # type: ignore[arg-type]

    url = server.route("/date", sequence(later, respond(200)))
    result = check_one(url)
    assert result.verdict is Verdict.OK
    first, second = server.hits("/date")
    assert 0.9 <= second.at - first.at < 3.0  # HTTP dates have whole seconds


def test_retry_after_is_capped(server: LinkServer) -> None:
    url = server.route("/long", sequence(respond(429, {"Retry-After": "3600"}), respond(200)))
    started = time.monotonic()
    result = check_one(url, retry_after_cap=0.2)
    assert result.verdict is Verdict.OK
    assert time.monotonic() - started < 2.0


def test_parse_retry_after_forms() -> None:
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    past = parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT")
    assert past == 0.0


def test_a_rate_limited_host_slows_only_itself(
    server: LinkServer, other_server: LinkServer
) -> None:
    busy = [
        server.route(f"/busy{n}", sequence(respond(429, {"Retry-After": "1"}), respond(200)))
        for n in range(4)
    ]
    calm = [other_server.route(f"/calm{n}", slow(0.05)) for n in range(12)]
    finished: dict[str, float] = {}
    started = time.monotonic()
    checker = LinkChecker(fast_settings(per_host=2))
    results = checker.check(
        [link(url) for url in busy + calm],
        lambda r: finished.setdefault(r.url, time.monotonic() - started),
    )
    assert {r.verdict for r in results} == {Verdict.OK}
    assert max(finished[url] for url in calm) < 0.8
    assert min(finished[url] for url in busy) >= 0.95
    # The whole host waited: no busy URL was asked again before its second was up.
    first = min(s.at for s in server.log)
    retries = sorted(s.at for s in server.log)[len(busy) :]
    assert all(at - first >= 0.95 for at in retries)


# -- limits ------------------------------------------------------------------------------


def test_per_host_and_global_limits_hold(server: LinkServer, other_server: LinkServer) -> None:
    urls = [server.route(f"/s{n}", slow(0.1)) for n in range(12)]
    urls += [other_server.route(f"/t{n}", slow(0.1)) for n in range(12)]
    results = check_links([link(url) for url in urls], fast_settings(per_host=3, concurrency=4))
    assert {r.verdict for r in results} == {Verdict.OK}
    assert server.peak <= 3
    assert other_server.peak <= 3
    assert server.peak + other_server.peak >= 4  # both hosts were busy at once


def test_global_limit_alone(server: LinkServer) -> None:
    urls = [server.route(f"/g{n}", slow(0.1)) for n in range(10)]
    check_links([link(url) for url in urls], fast_settings(per_host=10, concurrency=2))
    assert server.peak == 2


# -- HEAD-first --------------------------------------------------------------------------


@pytest.mark.parametrize("head_status", [405, 403, 404, 500])
def test_head_first_falls_back_to_get(server: LinkServer, head_status: int) -> None:
    url = server.route("/h", by_method(HEAD=respond(head_status), GET=respond(200)))
    result = check_one(url, head_first=True)
    assert result.verdict is Verdict.OK
    assert [s.method for s in server.hits("/h")] == ["HEAD", "GET"]


def test_head_first_stops_at_a_good_head(server: LinkServer) -> None:
    url = server.route("/h", respond(200))
    assert check_one(url, head_first=True).verdict is Verdict.OK
    assert [s.method for s in server.hits("/h")] == ["HEAD"]


def test_get_only_by_default(server: LinkServer) -> None:
    url = server.route("/h", by_method(HEAD=respond(405), GET=respond(200)))
    assert check_one(url).verdict is Verdict.OK
    assert [s.method for s in server.hits("/h")] == ["GET"]


# -- redirects ---------------------------------------------------------------------------


def test_permanent_redirect_chain_names_the_new_url(server: LinkServer) -> None:
    server.route("/old", redirect(301, "/newer"))
    server.route("/newer", redirect(308, server.url("/newest")))
    server.route("/newest", redirect(302, "/session?id=1"))
    server.route("/session", respond(200))
    result = check_one(server.url("/old"))
    assert result.verdict is Verdict.REDIRECTED
    assert [h.status for h in result.redirects] == [301, 308, 302]
    assert result.new_url == server.url("/newest")
    assert result.final_url == server.url("/session?id=1")
    assert "permanently" in result.detail


def test_temporary_redirect_has_no_new_url(server: LinkServer) -> None:
    server.route("/tmp", redirect(307, "/there"))
    server.route("/there", respond(200))
    result = check_one(server.url("/tmp"))
    assert (result.verdict, result.new_url) == (Verdict.REDIRECTED, None)


def test_redirect_to_a_missing_page_is_broken(server: LinkServer) -> None:
    server.route("/moved", redirect(301, "/nowhere"))
    result = check_one(server.url("/moved"))
    assert (result.verdict, result.http_status) == (Verdict.BROKEN, 404)
    assert "after redirect" in result.detail


def test_redirect_loop_is_broken(server: LinkServer) -> None:
    server.route("/a", redirect(302, "/b"))
    server.route("/b", redirect(302, "/a#again"))
    result = check_one(server.url("/a"))
    assert result.verdict is Verdict.BROKEN
    assert "redirect loop" in result.detail
    assert len(server.log) == 2


def test_too_many_redirects_is_broken(server: LinkServer) -> None:
    for n in range(6):
        server.route(f"/r{n}", redirect(302, f"/r{n + 1}"))
    result = check_one(server.url("/r0"), max_redirects=3)
    assert result.verdict is Verdict.BROKEN
    assert "more than 3 redirects" in result.detail
    assert len(server.log) == 4


def test_redirect_without_location_is_broken(server: LinkServer) -> None:
    assert check_one(server.route("/nol", respond(302))).verdict is Verdict.BROKEN


# -- slow, reset, huge -------------------------------------------------------------------


def test_slow_response_times_out_and_is_retried_once(server: LinkServer) -> None:
    url = server.route("/slow", slow(2.0))
    started = time.monotonic()
    result = check_one(url, timeout=0.3, timeout_retries=1)
    assert result.verdict is Verdict.TRANSIENT
    assert "timed out" in result.detail
    assert result.attempts == 2
    assert time.monotonic() - started < 1.5


def test_slow_then_fast_is_ok(server: LinkServer) -> None:
    url = server.route("/once", sequence(slow(1.0), respond(200)))
    assert check_one(url, timeout=0.3).verdict is Verdict.OK


def test_deadline_bounds_one_url(server: LinkServer) -> None:
    url = server.route("/busy", respond(503))
    started = time.monotonic()
    result = check_one(url, retries=50, backoff=0.2, backoff_max=0.2, deadline=0.8)
    assert result.verdict is Verdict.TRANSIENT
    assert time.monotonic() - started < 1.5
    assert 2 <= result.attempts < 10


def test_run_time_limit_bounds_the_run(server: LinkServer) -> None:
    fast = server.route("/fast", respond(200))
    hanging = server.route("/hang", slow(3.0))
    started = time.monotonic()
    results = check_links([link(fast), link(hanging)], fast_settings(timeout=5, max_run_time=0.5))
    assert time.monotonic() - started < 1.5
    assert [r.verdict for r in results] == [Verdict.OK, Verdict.TRANSIENT]
    assert "run time limit" in results[1].detail


def test_connection_reset_is_retried_then_transient(server: LinkServer) -> None:
    result = check_one(server.route("/rst", reset()), retries=1)
    assert result.verdict is Verdict.TRANSIENT
    assert result.attempts == 2
    assert "reset" in result.detail or "closed" in result.detail


def test_reset_then_ok(server: LinkServer) -> None:
    assert check_one(server.route("/rst", sequence(reset(), respond(200)))).verdict is Verdict.OK


def test_huge_body_is_not_downloaded(server: LinkServer) -> None:
    url = server.route("/huge", endless_body())
    started = time.monotonic()
    result = check_one(url)
    assert result.verdict is Verdict.OK
    assert time.monotonic() - started < 2.0
    time.sleep(0.2)
    assert server.body_sent < 64 * 1024 * 1024  # type: ignore[attr-defined]


def test_header_flood_is_broken(server: LinkServer) -> None:
    result = check_one(server.route("/flood", header_flood()), retries=0)
    assert result.verdict is Verdict.BROKEN
    assert "headers too large" in result.detail


# -- connection failures and bad URLs ------------------------------------------------------


def test_refused_connection_is_broken() -> None:
    result = check_one(f"http://127.0.0.1:{free_port()}/x")
    assert (result.verdict, result.detail, result.attempts) == (
        Verdict.BROKEN,
        "connection refused",
        1,
    )


def test_unresolvable_host_is_broken() -> None:
    result = check_one("http://no-such-host.invalid/page")
    assert result.verdict in (Verdict.BROKEN, Verdict.TRANSIENT)  # a resolver may be down
    assert "resolve" in result.detail or "DNS" in result.detail


@pytest.mark.parametrize(
    "url", ["not a url", "http://", "http://exa mple.org/", "https://x.org:99999/"]
)
def test_invalid_urls_are_broken_without_requests(url: str) -> None:
    result = check_one(url)
    assert result.verdict is Verdict.BROKEN
    assert result.attempts == 0


def test_other_schemes_are_excluded() -> None:
    result = check_one("ftp://ftp.example.org/file")
    assert result.verdict is Verdict.EXCLUDED
    assert "only http and https" in result.detail


def test_exclude_patterns(server: LinkServer) -> None:
    url = server.route("/skip", respond(200))
    result = check_one(url, exclude=(r"/sk[i]p$",))
    assert result.verdict is Verdict.EXCLUDED
    assert server.log == []


# -- safety ------------------------------------------------------------------------------


def test_loopback_is_refused_by_default(server: LinkServer) -> None:
    url = server.route("/ok", respond(200))
    (result,) = check_links([link(url)], LinkSettings(timeout=1))
    assert result.verdict is Verdict.EXCLUDED
    assert "127.0.0.1: a non-public address" in result.detail
    assert "--allow-private" in result.detail
    assert server.log == []


def test_redirect_to_a_private_address_is_refused(
    server: LinkServer, other_server: LinkServer
) -> None:
    target = other_server.route("/inside", respond(200))
    server.route("/out", redirect(302, target))
    result = check_one(server.url("/out"), allow_private=False, allow_networks=("127.0.0.1/32",))
    assert result.verdict is Verdict.BROKEN
    assert "127.0.0.2: a non-public address" in result.detail
    assert other_server.log == []


def test_redirect_to_the_metadata_address_is_refused_without_connecting(
    server: LinkServer,
) -> None:
    server.route("/meta", redirect(301, "http://169.254.169.254/latest/meta-data/"))
    started = time.monotonic()
    result = check_one(server.url("/meta"), allow_private=False, allow_networks=("127.0.0.1/32",))
    assert result.verdict is Verdict.BROKEN
    assert "169.254.169.254" in result.detail
    assert time.monotonic() - started < 0.5


@pytest.mark.parametrize(
    ("address", "forbidden", "with_allow_private"),
    [
        ("127.0.0.1", True, False),
        ("10.1.2.3", True, False),
        ("192.168.0.1", True, False),
        ("169.254.169.254", True, True),
        ("169.254.1.1", True, True),
        ("::ffff:169.254.169.254", True, True),
        ("100.64.0.1", True, False),
        ("100.100.100.200", True, True),
        ("::1", True, False),
        ("::ffff:127.0.0.1", True, False),
        ("fd00:ec2::254", True, True),
        ("fd00:ec2::253", True, False),
        ("fe80::1%eth0", True, True),
        ("0.0.0.0", True, False),
        ("93.184.215.14", False, False),
        ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", False, False),
    ],
)
def test_address_policy(address: str, forbidden: bool, with_allow_private: bool) -> None:
    assert AddressPolicy().forbids(address) is forbidden
    assert AddressPolicy(allow_private=True).forbids(address) is with_allow_private


@pytest.mark.parametrize(
    ("networks", "forbidden"),
    [
        (("169.254.169.254/32",), False),
        (("169.254.0.0/16",), False),
        (("169.254.169.0/24",), False),
        (("169.254.1.0/24",), True),  # names link-local, but not this address
        (("0.0.0.0/0",), True),  # contains it without naming it
        (("169.0.0.0/8",), True),
        (("::/0", "0.0.0.0/0"), True),
    ],
)
def test_only_an_allowed_network_inside_link_local_opens_the_metadata_address(
    networks: tuple[str, ...], forbidden: bool
) -> None:
    for allow_private in (False, True):
        policy = AddressPolicy.from_settings(allow_private, networks)
        assert policy.forbids("169.254.169.254") is forbidden


def test_allowed_ipv6_link_local_and_metadata_networks() -> None:
    policy = AddressPolicy.from_settings(True, ("fe80::/64", "fd00:ec2::254/128"))
    assert not policy.forbids("fe80::1%eth0")
    assert not policy.forbids("fd00:ec2::254")
    assert AddressPolicy.from_settings(True, ("::/0",)).forbids("fd00:ec2::254")


def test_metadata_redirect_is_refused_with_allow_private_before_connecting(
    server: LinkServer,
) -> None:
    """--allow-private opens loopback, not the metadata address: no connection is tried."""
    server.route("/meta", redirect(302, "http://169.254.169.254/latest/meta-data/iam/"))
    server.route("/meta6", redirect(302, "http://[fd00:ec2::254]/latest/meta-data/"))
    server.route("/near", redirect(301, "http://169.254.10.20:8080/x"))
    with connections() as tried:
        results = check_links(
            [link(server.url(path)) for path in ("/meta", "/meta6", "/near")],
            fast_settings(allow_private=True),
        )
    assert [r.verdict for r in results] == [Verdict.BROKEN] * 3
    assert tried  # the recorder works: the loopback server was connected to
    assert set(tried) == {"127.0.0.1"}
    meta = results[0]
    assert "redirects to 169.254.169.254: a link-local address" in meta.detail
    assert "refused even with --allow-private" in meta.detail
    assert "--allow-network CIDR" in meta.detail
    assert "inside 169.254.0.0/16" in meta.detail
    assert "pass --allow-private" not in meta.detail
    assert "cloud metadata address (AWS, IPv6)" in results[1].detail


def test_a_cited_metadata_address_is_excluded_with_allow_private_without_connecting() -> None:
    with connections() as tried:
        result = check_one("http://169.254.169.254/latest/meta-data/", allow_private=True)
    assert result.verdict is Verdict.EXCLUDED
    assert "--allow-network CIDR" in result.detail
    assert tried == []


def test_credentials_do_not_follow_a_redirect_to_another_host(
    server: LinkServer, other_server: LinkServer
) -> None:
    server.route("/private", redirect(302, other_server.url("/landing")))
    other_server.route("/landing", respond(200))
    url = server.url("/private").replace("http://", "http://reader:secret@")
    result = check_one(url)
    assert result.verdict is Verdict.REDIRECTED
    (first,) = server.hits("/private")
    (second,) = other_server.hits("/landing")
    assert first.headers.get("Authorization", "").startswith("Basic ")
    assert "Authorization" not in second.headers
    assert "secret" not in (result.final_url or "")


def test_cookies_stay_with_their_host(server: LinkServer, other_server: LinkServer) -> None:
    server.route("/set", respond(302, {"Set-Cookie": "session=abc; Path=/", "Location": "/again"}))
    server.route("/again", redirect(302, other_server.url("/away")))
    other_server.route("/away", respond(200))
    assert check_one(server.url("/set")).verdict is Verdict.REDIRECTED
    assert server.hits("/again")[0].headers.get("Cookie") == "session=abc"
    assert "Cookie" not in other_server.hits("/away")[0].headers


# -- TLS ---------------------------------------------------------------------------------


def test_tls_with_a_trusted_ca(tls_server: LinkServer, ca_file: Path) -> None:
    url = tls_server.route("/secure", respond(200))
    assert url.startswith("https://")
    assert check_one(url, ca_bundle=str(ca_file)).verdict is Verdict.OK


def test_tls_with_an_unknown_ca_is_broken(tls_server: LinkServer) -> None:
    result = check_one(tls_server.route("/secure", respond(200)))
    assert result.verdict is Verdict.BROKEN
    assert "TLS" in result.detail


def test_results_keep_input_order_and_each_url_is_fetched_once(server: LinkServer) -> None:
    urls = [server.route(f"/o{n}", slow(0.01 * (10 - n))) for n in range(10)]
    results = check_links([link(u) for u in urls], fast_settings())
    assert [r.url for r in results] == urls
    assert len(server.log) == 10

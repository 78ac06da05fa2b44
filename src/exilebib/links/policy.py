"""What a response or an error means, as data: verdict tables, retry rules, address rules.

The checker asks these functions; they hold no state and do no I/O (except
:func:`resolve_forbidden`, which resolves a host name), so each rule is testable alone.
"""

from __future__ import annotations

import enum
import ipaddress
import random
import re
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from exilebib.links.model import Verdict

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

ALLOWED_SCHEMES: frozenset[str] = frozenset({"http", "https"})

#: Statuses after which another attempt may succeed (the server said "not now").
RETRYABLE_STATUSES: frozenset[int] = frozenset({408, 429, *range(500, 600)})

#: Statuses that say who is asking matters, not whether the page exists.
BLOCKED_STATUSES: frozenset[int] = frozenset({401, 403, 407, 999})

#: Statuses that pause the whole host (its ``Retry-After``, else the backoff): a 429 is about
#: our rate at that host. A 503's ``Retry-After`` is honoured for its own URL only, since it
#: is often one resource that is down (as Sphinx's linkcheck does).
HOST_WIDE_STATUSES: frozenset[int] = frozenset({429})

#: Redirect statuses we follow.
REDIRECT_STATUSES: frozenset[int] = frozenset({301, 302, 303, 307, 308})


def status_verdict(status: int, headers: Mapping[str, str], redirected: bool) -> Verdict:
    """The verdict for a final status (after redirects and retries)."""
    if 200 <= status < 300:
        return Verdict.REDIRECTED if redirected else Verdict.OK
    if is_bot_wall(status, headers) or status in BLOCKED_STATUSES:
        return Verdict.BLOCKED
    if status in RETRYABLE_STATUSES:
        return Verdict.TRANSIENT
    return Verdict.BROKEN


def is_bot_wall(status: int, headers: Mapping[str, str]) -> bool:
    """A challenge page (Cloudflare and alike): a person may see the page, we cannot."""
    if headers.get("cf-mitigated", "").lower() == "challenge":
        return True
    return (
        status in (403, 503)
        and headers.get("server", "").lower() == "cloudflare"
        and ("cf-ray" in {name.lower() for name in headers})
    )


def is_retryable_status(status: int, headers: Mapping[str, str]) -> bool:
    return status in RETRYABLE_STATUSES and not is_bot_wall(status, headers)


#: A ``Retry-After`` longer than this (a year) is read as this: the cap applies anyway, and
#: a 400-digit number must not overflow anything.
MAX_RETRY_AFTER = 365 * 86400.0

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = "(?P<month>" + "|".join(_MONTHS) + ")"
_TIME = r"(?P<hour>[0-9]{2}):(?P<minute>[0-9]{2}):(?P<second>[0-9]{2})"
_DAY_NAME = r"(?:mon|tue|wed|thu|fri|sat|sun)"
_LONG_DAY_NAME = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
#: The three HTTP-date forms of RFC 9110 section 5.6.7, ASCII only (a recipient must accept
#: all three): IMF-fixdate, the obsolete RFC 850 form (two-digit year) and asctime.
HTTP_DATE_FORMS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(pattern, re.IGNORECASE | re.ASCII)
    for pattern in (
        rf"{_DAY_NAME}, (?P<day>[0-9]{{2}}) {_MONTH} (?P<year>[0-9]{{4}}) {_TIME} GMT",
        rf"{_LONG_DAY_NAME}, (?P<day>[0-9]{{2}})-{_MONTH}-(?P<year>[0-9]{{2}}) {_TIME} GMT",
        rf"{_DAY_NAME} {_MONTH} (?P<day>[0-9 ][0-9]) {_TIME} (?P<year>[0-9]{{4}})",
    )
)
_DELTA_SECONDS = re.compile(r"[0-9]+", re.ASCII)


def parse_http_date(text: str, now: datetime | None = None) -> datetime | None:
    """An HTTP-date (RFC 9110 section 5.6.7) as an aware UTC datetime, or ``None``."""
    for form in HTTP_DATE_FORMS:
        match = form.fullmatch(text)
        if match is None:
            continue
        year = int(match["year"])
        if len(match["year"]) == 2:
            # RFC 9110: a two-digit year more than 50 years ahead is in the past century.
            current = (now or datetime.now(UTC)).year
            year += current - current % 100
            if year > current + 50:
                year -= 100
        try:
            return datetime(
                year,
                _MONTHS.index(match["month"].lower()) + 1,
                int(match["day"]),
                int(match["hour"]),
                int(match["minute"]),
                min(int(match["second"]), 59),  # a leap second is the second before
                tzinfo=UTC,
            )
        except ValueError:  # 31 February and alike
            return None
    return None


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delta-seconds or an HTTP-date), or
    ``None`` when it is absent or not one of those (then it is ignored).

    Only ASCII digits count (``"²".isdigit()`` is true, and a header is the server's to
    choose), and no value can overflow: a header only ever affects its own URL's verdict.
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    if _DELTA_SECONDS.fullmatch(text):
        return MAX_RETRY_AFTER if len(text) > 9 else min(float(text), MAX_RETRY_AFTER)
    when = parse_http_date(text, now)
    if when is None:
        return None
    seconds = (when - (now or datetime.now(UTC))).total_seconds()
    return min(max(0.0, seconds), MAX_RETRY_AFTER)


def parse_content_length(value: str | None) -> int | None:
    """The ``Content-Length`` as a number of bytes when it is plain ASCII digits."""
    if value is None or not _DELTA_SECONDS.fullmatch(text := value.strip()):
        return None
    return int(text) if len(text) <= 18 else None


def backoff_delay(retry: int, base: float, cap: float, rng: random.Random | None = None) -> float:
    """Wait before retry number ``retry`` (1-based): doubling from ``base``, plus jitter.

    The jitter (up to half the delay) keeps many URLs that failed together from coming
    back together.
    """
    delay = min(cap, base * 2.0 ** (retry - 1))
    return delay * (1.0 + 0.5 * (rng or random).random())


#: Networks refused even with ``--allow-private``: the link-local ranges and the cloud
#: metadata addresses outside them. A link there is never a citation, and a redirect there is
#: how a page gets a checker to fetch the machine's cloud credentials. Only an allowed
#: network that lies inside one of these (names it, or part of it) opens it.
GUARDED_NETWORKS: Mapping[IPNetwork, str] = {
    ipaddress.ip_network("169.254.0.0/16"): "link-local address (cloud metadata lives at "
    "169.254.169.254)",
    ipaddress.ip_network("fe80::/10"): "IPv6 link-local address",
    ipaddress.ip_network("fd00:ec2::254/128"): "cloud metadata address (AWS, IPv6)",
    ipaddress.ip_network("100.100.100.200/32"): "cloud metadata address (Alibaba Cloud)",
}


def _last_32_bits(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address:
    return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)


def _sixtofour(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address:
    return ipaddress.IPv4Address((int(ip) >> 80) & 0xFFFFFFFF)


def _teredo_client(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address:
    return ipaddress.IPv4Address(~int(ip) & 0xFFFFFFFF)  # stored inverted (RFC 4380)


#: IPv6 forms that carry an IPv4 address the packets really go to (or come from): the policy
#: is applied to that IPv4 address, or ``::7f00:1`` would be a "public" way to 127.0.0.1.
#: The first network that holds an address decides; ``::/127`` (unspecified, loopback) is
#: left alone so that ``::1`` stays itself.
Unwrap = Callable[[ipaddress.IPv6Address], IPAddress]
EMBEDDED_IPV4: tuple[tuple[ipaddress.IPv6Network, Unwrap], ...] = (
    (ipaddress.IPv6Network("::/127"), lambda ip: ip),
    (ipaddress.IPv6Network("::ffff:0:0/96"), _last_32_bits),  # IPv4-mapped (RFC 4291)
    (ipaddress.IPv6Network("::/96"), _last_32_bits),  # IPv4-compatible, deprecated (RFC 4291)
    (ipaddress.IPv6Network("64:ff9b::/96"), _last_32_bits),  # NAT64 well-known (RFC 6052)
    (ipaddress.IPv6Network("64:ff9b:1::/48"), _last_32_bits),  # NAT64 local use (RFC 8215)
    (ipaddress.IPv6Network("2002::/16"), _sixtofour),  # 6to4 (RFC 3056)
    (ipaddress.IPv6Network("2001::/32"), _teredo_client),  # Teredo (RFC 4380)
)


def _parse_address(address: str) -> IPAddress | None:
    """The address the policy judges: ``address`` itself, or the IPv4 address inside it."""
    try:
        ip: IPAddress = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address):
        for network, inner in EMBEDDED_IPV4:
            if ip in network:
                unwrapped: IPAddress = inner(ip)
                return unwrapped
    return ip


#: the signature of the default policy: public addresses only
PUBLIC_POLICY = "public"


@dataclass(frozen=True, slots=True)
class AddressPolicy:
    """Which addresses may be connected to: public ones, plus what the user allowed.

    ``allow_private`` opens every non-public address except :data:`GUARDED_NETWORKS`;
    ``allowed`` networks open what they contain, and a guarded address only when the allowed
    network lies inside the guarded one (``0.0.0.0/0`` does not open 169.254.169.254).
    """

    allow_private: bool = False
    allowed: tuple[IPNetwork, ...] = ()

    @classmethod
    def from_settings(cls, allow_private: bool, networks: tuple[str, ...]) -> AddressPolicy:
        allowed = tuple(ipaddress.ip_network(net, strict=False) for net in networks)
        return cls(allow_private, allowed)

    @property
    def signature(self) -> str:
        """What this policy opens beyond public addresses, as text ("public" for nothing):
        a cached result is only reused under the policy it was learnt under, or learnt
        under the public one (a loopback URL checked with --allow-private is not "cached"
        for a run without it)."""
        opened = (["private"] if self.allow_private else []) + sorted(map(str, self.allowed))
        return " ".join(opened) or PUBLIC_POLICY

    def forbids(self, address: str) -> bool:
        """True for private, loopback, link-local (incl. cloud metadata) and other
        non-global addresses that the user did not allow."""
        ip = _parse_address(address)
        if ip is None:
            return True
        guarded = guarded_network(ip)
        if guarded is not None:
            return not any(
                ip in network and network.subnet_of(guarded)  # type: ignore[arg-type]
                for network in self.allowed
            )
        if self.allow_private or any(ip in network for network in self.allowed):
            return False
        return not ip.is_global

    def resolve_forbidden(self, host: str, port: int) -> str | None:
        """The first forbidden address ``host`` resolves to, or ``None`` if all are allowed.

        Resolution errors are left to the connection attempt, which reports them.
        """
        if never_resolves(host):
            return None  # the request reports it, without asking a DNS server
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError):
            return None
        for info in infos:
            address = str(info[4][0])
            if self.forbids(address):
                return address
        return None


def guarded_network(address: IPAddress | str) -> IPNetwork | None:
    """The entry of :data:`GUARDED_NETWORKS` that holds ``address``, if one does."""
    ip = _parse_address(address) if isinstance(address, str) else address
    if ip is None:
        return None
    return next((network for network in GUARDED_NETWORKS if ip in network), None)


def check_networks(networks: tuple[str, ...]) -> str | None:
    """An error message for the first entry of ``networks`` that is not a CIDR block."""
    for network in networks:
        try:
            ipaddress.ip_network(network, strict=False)
        except ValueError:
            return f"{network!r} is not an address or network (write e.g. 10.0.0.0/8)"
    return None


class Failure(enum.Enum):
    """Why an attempt got no usable HTTP status."""

    TIMEOUT = "timeout"
    RESET = "reset"  #: connection reset or closed mid-answer
    DNS = "dns"  #: the name does not resolve
    DNS_TEMPORARY = "dns-temporary"  #: the resolver failed for now
    REFUSED = "refused"
    UNREACHABLE = "unreachable"  #: no route to the network or host (often: no network at all)
    TLS = "tls"  #: handshake or certificate failure
    LOOP = "loop"  #: a redirect came back to a URL already visited
    TOO_MANY_REDIRECTS = "too-many-redirects"
    NO_LOCATION = "no-location"  #: a redirect status without a Location header
    INVALID_URL = "invalid-url"
    SCHEME = "scheme"  #: not http or https
    PRIVATE = "private"  #: a private/loopback/link-local address, refused
    BAD_RESPONSE = "bad-response"  #: headers too long or too many, not HTTP
    INTERNAL = "internal"  #: a bug in exilebib; reported, never hidden


@dataclass(frozen=True, slots=True)
class FailureRule:
    verdict: Verdict
    retry: bool = False
    is_timeout: bool = False  #: retried from its own (smaller) budget: each costs a timeout


#: What each failure means and whether another attempt may help.
FAILURE_RULES: Mapping[Failure, FailureRule] = {
    Failure.TIMEOUT: FailureRule(Verdict.TRANSIENT, retry=True, is_timeout=True),
    Failure.RESET: FailureRule(Verdict.TRANSIENT, retry=True),
    Failure.DNS: FailureRule(Verdict.BROKEN),
    Failure.DNS_TEMPORARY: FailureRule(Verdict.TRANSIENT, retry=True),
    Failure.REFUSED: FailureRule(Verdict.BROKEN),
    Failure.UNREACHABLE: FailureRule(Verdict.TRANSIENT, retry=True),
    Failure.TLS: FailureRule(Verdict.BROKEN),
    Failure.LOOP: FailureRule(Verdict.BROKEN),
    Failure.TOO_MANY_REDIRECTS: FailureRule(Verdict.BROKEN),
    Failure.NO_LOCATION: FailureRule(Verdict.BROKEN),
    Failure.INVALID_URL: FailureRule(Verdict.BROKEN),
    Failure.SCHEME: FailureRule(Verdict.BROKEN),
    Failure.PRIVATE: FailureRule(Verdict.BROKEN),
    Failure.BAD_RESPONSE: FailureRule(Verdict.BROKEN),
    Failure.INTERNAL: FailureRule(Verdict.TRANSIENT),
}

#: After HEAD, these failures make a GET pointless (the same thing would happen).
NO_GET_FALLBACK: frozenset[Failure] = frozenset(
    {
        Failure.TIMEOUT,
        Failure.DNS,
        Failure.DNS_TEMPORARY,
        Failure.REFUSED,
        Failure.UNREACHABLE,
        Failure.TLS,
        Failure.INVALID_URL,
        Failure.SCHEME,
        Failure.PRIVATE,
    }
)


#: Top-level domains that never resolve (RFC 6761 section 6.4: "invalid" names get an
#: immediate negative answer, without asking a DNS server).
UNRESOLVABLE_TLDS: frozenset[str] = frozenset({"invalid"})


def never_resolves(host: str) -> bool:
    return host.rstrip(".").rsplit(".", 1)[-1].lower() in UNRESOLVABLE_TLDS


#: Failures that say the network is missing rather than the page: when every URL a run
#: requested ends in one of these, the machine looks offline (see
#: :func:`exilebib.links.check.offline_note`).
OFFLINE_FAILURES: frozenset[Failure] = frozenset(
    {Failure.DNS, Failure.DNS_TEMPORARY, Failure.UNREACHABLE}
)
#: URLs requested (at least) before all of them failing that way means "offline": one URL on
#: a mistyped host is just broken.
OFFLINE_MIN_URLS = 2

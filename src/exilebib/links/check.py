"""Check links with ``requests``: a pool of worker threads driven by one scheduler.

Workers only run single attempts (one request chain, redirects followed by hand). The
scheduler, in the calling thread, decides what runs next: it keeps the global and per-host
limits, holds back a host that asked to wait (``Retry-After``) while other hosts go on, and
turns attempts into verdicts with the rules in :mod:`exilebib.links.policy`. A URL waiting
for its retry holds no thread, so one rate-limited host slows only itself.

Workers are daemon threads: when the run time limit passes or the user presses Ctrl-C, the
scheduler returns what it has and a request still hanging cannot keep the process alive.
"""

from __future__ import annotations

import dataclasses
import errno
import heapq
import http.client
import itertools
import queue
import random
import re
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from requests.cookies import RequestsCookieJar, extract_cookies_to_jar
from requests.structures import CaseInsensitiveDict
from requests.utils import requote_uri
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from exilebib.links.cache import CacheEntry, LinkCache
from exilebib.links.model import CheckRun, Hop, Link, LinkResult, NoteKind, RunNote, Verdict
from exilebib.links.policy import (
    ALLOWED_SCHEMES,
    FAILURE_RULES,
    GUARDED_NETWORKS,
    HOST_WIDE_STATUSES,
    NO_GET_FALLBACK,
    OFFLINE_FAILURES,
    OFFLINE_MIN_URLS,
    REDIRECT_STATUSES,
    AddressPolicy,
    Failure,
    backoff_delay,
    guarded_network,
    is_retryable_status,
    never_resolves,
    parse_content_length,
    parse_retry_after,
    status_verdict,
)
from exilebib.links.settings import LinkSettings
from exilebib.links.watchdog import Watch, Watchdog

#: Host pools kept open at once (least recently used ones are closed beyond this).
MAX_HOST_POOLS = 256
#: Seconds past a URL's deadline before the scheduler gives it its verdict without waiting
#: for the request (which the watchdog should have ended by then: this is the safety net for
#: what it cannot cut short, such as a DNS lookup or a trickled TLS handshake).
DEADLINE_GRACE = 1.0
#: errno values that mean "no route": the network (or the whole machine) is not connected.
UNREACHABLE_ERRNOS: frozenset[int] = frozenset({errno.ENETUNREACH, errno.EHOSTUNREACH})

Clock = Callable[[], float]
SocketHook = Callable[[socket.socket], None]


class ForbiddenAddressError(Exception):
    """Raised at connect time when the peer is an address the policy forbids.

    Deliberately not an ``OSError``: urllib3 would wrap and maybe retry those; this one must
    stop the request as it is.
    """

    def __init__(self, host: str, address: str) -> None:
        super().__init__(f"{host} is at the non-public address {address}")
        self.host = host
        self.address = address


def _guarded(
    base: type[HTTPConnection], policy: AddressPolicy, on_socket: SocketHook | None
) -> type[HTTPConnection]:
    """A connection class that checks the address it actually connected to, and hands each
    socket it reads from to ``on_socket`` (the watchdog of the request in this thread).

    Checking after connecting (not only before, by resolving) closes the gap where a name
    resolves to a public address for the check and to a private one for the connection.
    """

    class Guarded(base):  # type: ignore[valid-type,misc]
        def _new_conn(self) -> socket.socket:
            sock: socket.socket = super()._new_conn()
            address = str(sock.getpeername()[0])
            if policy.forbids(address):
                sock.close()
                raise ForbiddenAddressError(str(self.host), address)
            if on_socket is not None:
                on_socket(sock)  # a new connection, before any TLS handshake reads from it
            return sock

        def request(self, *args: Any, **kwargs: Any) -> None:
            if on_socket is not None and self.sock is not None:
                on_socket(self.sock)  # a connection reused from the pool
            super().request(*args, **kwargs)

    return Guarded


def make_adapter(
    settings: LinkSettings, policy: AddressPolicy, on_socket: SocketHook | None = None
) -> HTTPAdapter:
    """One shared, thread-safe connection pool: per-host keep-alive up to the host limit."""
    adapter = HTTPAdapter(
        pool_connections=MAX_HOST_POOLS,
        pool_maxsize=settings.per_host,
        max_retries=0,  # retries are the scheduler's business
    )

    # Always, also with --allow-private: link-local and metadata addresses stay refused.
    class GuardedHTTPPool(HTTPConnectionPool):
        ConnectionCls = _guarded(HTTPConnection, policy, on_socket)

    class GuardedHTTPSPool(HTTPSConnectionPool):
        ConnectionCls = _guarded(HTTPSConnection, policy, on_socket)  # type: ignore[assignment]

    adapter.poolmanager.pool_classes_by_scheme = {
        "http": GuardedHTTPPool,
        "https": GuardedHTTPSPool,
    }
    return adapter


@dataclass(frozen=True, slots=True)
class Attempt:
    """What one attempt got: a final status (after redirects) or a failure."""

    status: int | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    final_url: str | None = None
    redirects: tuple[Hop, ...] = ()
    failure: Failure | None = None
    detail: str = ""
    first_hop_private: bool = False  #: the cited URL itself is private: excluded, not broken


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or {"http": 80, "https": 443}.get(scheme)
    return scheme, (parts.hostname or "").lower(), port


def _without_fragment(url: str) -> str:
    return urlunsplit(urlsplit(url)._replace(fragment=""))


def _without_userinfo(url: str) -> str:
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and everything it wraps (causes, contexts, urllib3 reasons, args)."""
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        linked: list[object] = [current.__cause__, current.__context__]
        linked.append(getattr(current, "reason", None))
        linked.extend(current.args)
        todo.extend(item for item in linked if isinstance(item, BaseException))


def classify_error(exc: BaseException) -> tuple[Failure, str]:
    """The :class:`Failure` behind an exception from a request, and a one-line detail."""
    causes = list(_causes(exc))
    for cause in causes:
        if isinstance(cause, ForbiddenAddressError):
            return Failure.PRIVATE, f"refused: {cause}"
    for cause in causes:
        if isinstance(cause, socket.gaierror):
            if cause.errno == socket.EAI_AGAIN:
                return Failure.DNS_TEMPORARY, f"DNS lookup failed for now: {cause.strerror}"
            return Failure.DNS, f"host name does not resolve: {cause.strerror}"
    for cause in causes:
        if isinstance(cause, ConnectionRefusedError):
            return Failure.REFUSED, "connection refused"
        if isinstance(cause, OSError) and cause.errno in UNREACHABLE_ERRNOS:
            return Failure.UNREACHABLE, f"no route to the host: {cause.strerror}"
    if any(isinstance(cause, requests.exceptions.Timeout) for cause in causes) or any(
        # Not urllib3's TimeoutError: its NewConnectionError (refused, unreachable) is one.
        isinstance(cause, urllib3.exceptions.ReadTimeoutError | TimeoutError)
        for cause in causes
    ):
        return Failure.TIMEOUT, "timed out"
    if any(isinstance(cause, requests.exceptions.SSLError) for cause in causes):
        inner = next((c for c in causes if type(c).__module__ == "ssl"), exc)
        return Failure.TLS, f"TLS error: {_short(inner)}"
    for cause in causes:
        if isinstance(cause, http.client.LineTooLong) or (
            isinstance(cause, http.client.HTTPException) and "more than" in str(cause)
        ):
            return Failure.BAD_RESPONSE, f"response headers too large: {_short(cause)}"
    if isinstance(exc, requests.exceptions.InvalidURL | requests.exceptions.MissingSchema):
        return Failure.INVALID_URL, f"invalid URL: {_short(exc)}"
    if isinstance(exc, requests.exceptions.InvalidSchema):
        return Failure.SCHEME, f"unsupported scheme: {_short(exc)}"
    for cause in causes:
        if isinstance(cause, ConnectionResetError | BrokenPipeError):
            return Failure.RESET, "connection reset"
        if isinstance(cause, http.client.RemoteDisconnected):
            return Failure.RESET, "connection closed without a response"
    if isinstance(exc, requests.exceptions.RequestException | OSError | http.client.HTTPException):
        return Failure.RESET, f"connection failed: {_short(exc)}"
    return Failure.INTERNAL, f"internal error: {exc!r}"


def _short(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."


def _phrase(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def url_problem(url: str) -> tuple[Failure, str] | None:
    """Why ``url`` cannot be requested at all, or ``None``."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError as exc:
        return Failure.INVALID_URL, f"invalid URL: {exc}"
    if not parts.scheme:
        return Failure.INVALID_URL, "invalid URL: no scheme (write https://...)"
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        return Failure.SCHEME, f"{parts.scheme}: URL not checked: only http and https are checked"
    if not parts.hostname:
        return Failure.INVALID_URL, "invalid URL: no host"
    if any(char.isspace() for char in url):
        return Failure.INVALID_URL, "invalid URL: contains white space"
    return None


class _Requester:
    """Runs one attempt for a URL; shared by all worker threads (the request a thread is
    running is known only to that thread, for the watchdog)."""

    def __init__(self, settings: LinkSettings, policy: AddressPolicy, clock: Clock) -> None:
        self.settings = settings
        self.policy = policy
        self.clock = clock
        self.watchdog = Watchdog()
        self._local = threading.local()
        self.adapter = make_adapter(settings, policy, self._watch_socket)
        self.verify: bool | str = settings.ca_bundle or True
        self.headers = {
            "User-Agent": settings.user_agent,
            "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "Accept-Encoding": "identity",  # we never read bodies; don't ask to compress
        }

    def close(self) -> None:
        self.watchdog.close()
        self.adapter.close()

    def _watch_socket(self, sock: socket.socket) -> None:
        watch: Watch | None = getattr(self._local, "watch", None)
        if watch is not None:
            watch.add(sock)

    def attempt(self, url: str, deadline: float) -> Attempt:
        if self.settings.head_first:
            head = self.follow(url, "HEAD", deadline)
            if head.failure is None and head.status is not None and 200 <= head.status < 300:
                return head
            if head.failure in NO_GET_FALLBACK:
                return head
        return self.follow(url, "GET", deadline)

    def follow(self, url: str, method: str, deadline: float) -> Attempt:
        """One request chain: redirects followed by hand, each target checked first."""
        jar = RequestsCookieJar()  # cookies live for one chain; the jar scopes them by domain
        current = url
        visited = {_without_fragment(url)}
        hops: list[Hop] = []
        for _ in range(self.settings.max_redirects + 1):
            problem = url_problem(current)
            if problem is not None:
                failure, detail = problem
                if hops:
                    detail = f"redirects to {current}: {detail}"
                return Attempt(failure=failure, detail=detail, redirects=tuple(hops))
            _scheme, host, port = _origin(current)
            if never_resolves(host):
                detail = f"host name does not resolve: .{host.rsplit('.', 1)[-1]} names never do"
                if hops:
                    detail = f"after redirect to {current}: {detail}"
                return Attempt(failure=Failure.DNS, detail=detail, redirects=tuple(hops))
            forbidden = self.policy.resolve_forbidden(host, port or 0)
            if forbidden is not None:
                return self._private(host, forbidden, hops)
            remaining = deadline - self.clock()
            if remaining <= 0:
                return Attempt(
                    failure=Failure.TIMEOUT,
                    detail="per-URL deadline reached",
                    redirects=tuple(hops),
                )
            wait = min(self.settings.timeout, remaining)
            watch = self.watchdog.start(wait)
            self._local.watch = watch
            try:
                outcome = self._request(method, current, url, jar, hops, visited, watch)
            finally:
                watch.finish()
                self._local.watch = None
            if isinstance(outcome, Attempt):
                return outcome
            current = outcome
        return Attempt(
            failure=Failure.TOO_MANY_REDIRECTS,
            detail=f"more than {self.settings.max_redirects} redirects",
            redirects=tuple(hops),
            final_url=current,
        )

    def _request(
        self,
        method: str,
        current: str,
        url: str,
        jar: RequestsCookieJar,
        hops: list[Hop],
        visited: set[str],
        watch: Watch,
    ) -> Attempt | str:
        """One request of a chain, bounded by ``watch``: the attempt's end, or the URL a
        redirect points to next (``hops`` and ``visited`` updated)."""
        scheme, host, port = _origin(current)
        try:
            request = requests.Request(method, current, headers=self.headers, cookies=jar).prepare()
            response = self.adapter.send(
                request,
                stream=True,
                timeout=(watch.seconds, watch.seconds),
                verify=self.verify,
                proxies={},
            )
        except Exception as exc:  # every request error becomes a classified Failure
            if watch.expired:
                failure, detail = Failure.TIMEOUT, _timed_out(watch)
            else:
                failure, detail = classify_error(exc)
            if failure is Failure.PRIVATE:
                return self._private(host, str(getattr(exc, "address", "")), hops)
            if hops:
                detail = f"after redirect to {current}: {detail}"
            return Attempt(failure=failure, detail=detail, redirects=tuple(hops))
        try:
            extract_cookies_to_jar(jar, request, response.raw)  # type: ignore[no-untyped-call]
            status = response.status_code
            headers: Mapping[str, str] = CaseInsensitiveDict(response.headers)
            if status not in REDIRECT_STATUSES:
                return Attempt(status, headers, current, tuple(hops))
            location = response.headers.get("Location")
            if not location:
                return Attempt(
                    status,
                    headers,
                    current,
                    tuple(hops),
                    failure=Failure.NO_LOCATION,
                    detail=f"{_phrase(status)} without a Location header",
                )
            try:
                target = requote_uri(urljoin(current, location.strip()))
                if _origin(target) != (scheme, host, port):
                    # Credentials in the URL belong to the host they were written for.
                    target = _without_userinfo(target)
            except ValueError as exc:  # "http://[::1", port 99999: the server's mistake
                hops.append(Hop(status, location.strip()))
                return Attempt(
                    status,
                    headers,
                    current,
                    tuple(hops),
                    failure=Failure.INVALID_URL,
                    detail=f"redirects to {location.strip()!r}: invalid URL: {_short(exc)}",
                )
            hops.append(Hop(status, target))
            key = _without_fragment(target)
            if key in visited:
                chain = " -> ".join([url, *(hop.url for hop in hops)])
                return Attempt(
                    status,
                    headers,
                    target,
                    tuple(hops),
                    failure=Failure.LOOP,
                    detail=f"redirect loop: {chain}",
                )
            visited.add(key)
            return target
        finally:
            self._finish(response, method, watch)

    @staticmethod
    def _private(host: str, address: str, hops: list[Hop]) -> Attempt:
        target = host if host.strip("[]") == address else f"{host} ({address})"
        where = f"redirects to {target}" if hops else target
        guarded = guarded_network(address)
        if guarded is None:
            detail = f"refused: {where}: a non-public address (pass --allow-private to check it)"
        else:
            # No easy way out: a redirect there is more often an attack than a citation.
            detail = (
                f"refused: {where}: a {GUARDED_NETWORKS[guarded]}, refused even with "
                f"--allow-private (only --allow-network CIDR with a network inside {guarded} "
                "would check it)"
            )
        return Attempt(
            failure=Failure.PRIVATE,
            detail=detail,
            redirects=tuple(hops),
            first_hop_private=not hops,
        )

    def _finish(self, response: requests.Response, method: str, watch: Watch) -> None:
        """Hand the connection back for reuse if the body is small; else drop it unread.

        Reading a small body is bounded by the request's watch like the rest of it; a
        connection the watch cut short is closed, not reused.
        """
        raw: Any = response.raw
        length = parse_content_length(response.headers.get("Content-Length"))
        small = length is not None and length <= self.settings.max_body
        try:
            if method == "HEAD" or small:
                raw.drain_conn()
                # Done before the connection goes back to the pool, where another request
                # may take it: this watch must never cut that one short.
                watch.finish()
                if watch.expired:
                    response.close()
                else:
                    raw.release_conn()
            else:
                response.close()
        except Exception:  # a connection we cannot reuse is simply dropped
            response.close()


def _timed_out(watch: Watch) -> str:
    return f"timed out: no complete answer within {watch.seconds:g} s"


@dataclass
class _Job:
    index: int
    link: Link
    host: str
    started: float = 0.0
    attempts: int = 0
    retries: int = 0
    timeout_retries: int = 0
    last: Attempt | None = None


@dataclass
class _Host:
    active: int = 0
    ready_at: float = 0.0
    pending: deque[_Job] = field(default_factory=deque)


def _host_key(url: str) -> str:
    _scheme, host, port = _origin(url)
    return f"{host}:{port}" if host else url


def _new_url(hops: Sequence[Hop]) -> str | None:
    """Where the leading permanent redirects point: the URL to cite instead."""
    target = None
    for hop in hops:
        if not hop.permanent:
            break
        target = hop.url
    return target


def _from_cache(link: Link, entry: CacheEntry) -> LinkResult:
    """A result from the cache. An ``ok`` becomes ``cached``; a redirect stays ``redirected``
    (with its new URL and chain), since what it asks of the citation has not changed."""
    cached: dict[str, Any] = {
        "http_status": entry.http_status,
        "final_url": entry.final_url,
        "new_url": entry.new_url,
        "redirects": entry.redirects,
        "cached": True,
    }
    age = entry.age_text()
    if entry.verdict is not Verdict.REDIRECTED:
        return LinkResult(
            link, Verdict.CACHED, f"{entry.verdict.value} when checked {age} ago", **cached
        )
    detail = entry.detail
    if not detail:  # a cache file written before details were kept
        if entry.new_url:
            detail = f"moved permanently to {entry.new_url} (cite {entry.new_url})"
        else:
            detail = f"moved temporarily to {entry.final_url}"
    return LinkResult(
        link, Verdict.REDIRECTED, f"{detail}; from the cache, checked {age} ago", **cached
    )


class LinkChecker:
    """Checks links under one :class:`LinkSettings`; reusable, one run at a time."""

    def __init__(
        self,
        settings: LinkSettings,
        *,
        cache: LinkCache | None = None,
        clock: Clock = time.monotonic,
        rng: random.Random | None = None,
    ) -> None:
        self.settings = settings
        self.cache = cache
        self.clock = clock
        self.rng = rng or random.Random()
        self.policy = AddressPolicy.from_settings(settings.allow_private, settings.allow_networks)
        self.excludes = [re.compile(pattern) for pattern in settings.exclude]

    # -- before any request -------------------------------------------------------------

    def _without_request(self, link: Link) -> LinkResult | None:
        for pattern in self.excludes:
            if pattern.search(link.url):
                detail = f"excluded by pattern {pattern.pattern!r}"
                return LinkResult(link, Verdict.EXCLUDED, detail)
        problem = url_problem(link.url)
        if problem is not None:
            failure, detail = problem
            if failure is Failure.SCHEME:
                return LinkResult(link, Verdict.EXCLUDED, detail)
            return LinkResult(link, FAILURE_RULES[failure].verdict, detail)
        if self.cache is not None:
            entry = self.cache.get(link.url, self.policy.signature)
            if entry is not None:
                return _from_cache(link, entry)
        return None

    # -- the run -------------------------------------------------------------------------

    def check(
        self,
        links: Sequence[Link],
        on_result: Callable[[LinkResult], None] | None = None,
    ) -> tuple[LinkResult, ...]:
        """Check ``links``; results in the order of ``links`` (see :meth:`check_run`)."""
        return self.check_run(links, on_result).results

    def check_run(
        self,
        links: Sequence[Link],
        on_result: Callable[[LinkResult], None] | None = None,
    ) -> CheckRun:
        """Check ``links``: results in the order of ``links``, and run-level notes.

        ``on_result`` is called in this thread as each verdict is reached (for progress
        bars and for keeping what was learnt when interrupted). When the machine looks
        offline (:func:`offline_note`), the URLs that failed for want of a network are
        ``transient`` in the results, whatever ``on_result`` saw.
        """
        results: list[LinkResult | None] = [None] * len(links)
        failures: dict[int, Failure | None] = {}  # by index: how each requested URL ended

        def finish(index: int, result: LinkResult) -> None:
            results[index] = result
            if self.cache is not None:
                self.cache.record(result, self.policy.signature)
            if on_result is not None:
                on_result(result)

        jobs: list[_Job] = []
        for index, link in enumerate(links):
            try:
                early = self._without_request(link)
                job = _Job(index, link, _host_key(link.url)) if early is None else None
            except Exception as exc:  # the per-URL boundary: a surprise is this URL's verdict
                attempt = _internal(exc)
                early = LinkResult(link, FAILURE_RULES[Failure.INTERNAL].verdict, attempt.detail)
                job = None
            if job is not None:
                jobs.append(job)
            else:
                assert early is not None
                finish(index, early)
        if jobs:
            self._run(jobs, finish)
            failures = {job.index: job.last.failure if job.last else None for job in jobs}
        done = [result for result in results if result is not None]
        note = offline_note([(job.link.url, failures[job.index]) for job in jobs])
        if note is None:
            return CheckRun(tuple(done))
        marked = [
            _offline(result) if failures.get(index) in OFFLINE_FAILURES else result
            for index, result in enumerate(results)
            if result is not None
        ]
        return CheckRun(tuple(marked), (note,))

    def _run(self, jobs: list[_Job], finish: Callable[[int, LinkResult], None]) -> None:
        settings = self.settings
        clock = self.clock
        requester = _Requester(settings, self.policy, clock)
        inbox: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        outbox: queue.SimpleQueue[tuple[_Job, Attempt]] = queue.SimpleQueue()

        def work() -> None:
            while (job := inbox.get()) is not None:
                deadline = job.started + settings.deadline
                try:
                    attempt = requester.attempt(job.link.url, deadline)
                except Exception as exc:  # a bug must end as a verdict, not a hung run
                    attempt = _internal(exc)
                outbox.put((job, attempt))

        workers = [
            threading.Thread(target=work, name=f"exilebib-links-{n}", daemon=True)
            for n in range(min(settings.concurrency, len(jobs)))
        ]
        for worker in workers:
            worker.start()

        hosts: dict[str, _Host] = {}
        runnable: deque[str] = deque()
        queued: set[str] = set()
        timers: list[tuple[float, int, str, _Job | None]] = []  # (when, seq, host, job)
        sequence = itertools.count()
        unfinished = len(jobs)
        in_flight = 0
        running: dict[int, _Job] = {}  # by index: sent to a worker, not back yet
        abandoned: set[int] = set()  # running, but given a verdict at its deadline
        run_end = clock() + settings.max_run_time

        def poke(name: str) -> None:
            if name not in queued and hosts[name].pending:
                queued.add(name)
                runnable.append(name)

        for job in jobs:
            hosts.setdefault(job.host, _Host()).pending.append(job)
        for name in hosts:
            poke(name)

        def dispatch(now: float) -> int:
            sent = 0
            while in_flight + sent < settings.concurrency and runnable:
                name = runnable.popleft()
                queued.discard(name)
                host = hosts[name]
                if not host.pending:
                    continue
                if host.ready_at > now:
                    heapq.heappush(timers, (host.ready_at, next(sequence), name, None))
                    continue
                if host.active >= settings.per_host:
                    continue  # poked again when one of its requests ends
                job = host.pending.popleft()
                if job.attempts == 0:
                    job.started = now
                host.active += 1
                sent += 1
                running[job.index] = job
                inbox.put(job)
                poke(name)  # to the back of the line: hosts take turns
            return sent

        def settle(job: _Job, attempt: Attempt, now: float) -> None:
            nonlocal unfinished
            job.attempts += 1
            job.last = attempt
            # The per-URL boundary: whatever a server sent, a surprise here is this URL's
            # verdict, never the end of the run.
            try:
                delay = self._retry_delay(job, attempt, now)
                result = self._result(job, attempt, now) if delay is None else None
            except Exception as exc:
                job.last = attempt = _internal(exc)
                delay, result = None, self._result(job, attempt, now)
            if result is not None:
                finish(job.index, result)
                unfinished -= 1
                return
            assert delay is not None
            host = hosts[job.host]
            if attempt.status in HOST_WIDE_STATUSES:
                # The host is busy: everything queued for it waits, other hosts go on.
                host.ready_at = max(host.ready_at, now + delay)
            heapq.heappush(timers, (now + delay, next(sequence), job.host, job))

        def overdue(now: float) -> float:
            """Give a verdict to each request past its deadline (and grace) that the
            watchdog could not end; the next moment one will be overdue."""
            nonlocal unfinished
            wake = run_end
            for job in running.values():
                if job.index in abandoned:
                    continue
                limit = job.started + settings.deadline + DEADLINE_GRACE
                if now < limit:
                    wake = min(wake, limit)
                    continue
                # Its worker is still stuck; it stays counted as in flight until it returns.
                abandoned.add(job.index)
                why = f"no answer within the deadline of {settings.deadline:g} s"
                finish(job.index, self._unfinished(job, why, now))
                unfinished -= 1
            return wake

        try:
            while unfinished:
                now = clock()
                if now >= run_end:
                    break
                while timers and timers[0][0] <= now:
                    _, _, name, waiting = heapq.heappop(timers)
                    if waiting is not None:
                        hosts[name].pending.appendleft(waiting)
                    poke(name)
                in_flight += dispatch(now)
                wake = overdue(now)
                if not unfinished:
                    break
                if timers:
                    wake = min(wake, timers[0][0])
                try:
                    done = [outbox.get(timeout=max(0.0, wake - clock()))]
                except queue.Empty:
                    continue
                while True:
                    try:
                        done.append(outbox.get_nowait())
                    except queue.Empty:
                        break
                now = clock()
                for job, attempt in done:
                    del running[job.index]
                    in_flight -= 1
                    hosts[job.host].active -= 1
                    poke(job.host)
                    if job.index in abandoned:
                        abandoned.discard(job.index)  # its verdict is given already
                    else:
                        settle(job, attempt, now)
            else:
                return
            # The run time limit passed: whatever has no verdict yet is reported as such.
            now = clock()
            limit = f"not finished within the run time limit of {settings.max_run_time:g} s"
            for host in hosts.values():
                for job in host.pending:
                    finish(job.index, self._unfinished(job, limit, now))
            for _, _, _, later in timers:
                if later is not None:
                    finish(later.index, self._unfinished(later, limit, now))
            while True:  # in flight: take what has come back, give up on the rest
                try:
                    back, attempt = outbox.get_nowait()
                except queue.Empty:
                    break
                del running[back.index]
                if back.index in abandoned:
                    continue
                back.attempts += 1
                back.last = attempt
                finish(back.index, self._safe_result(back, attempt, now))
            for stuck in running.values():
                if stuck.index not in abandoned:
                    finish(stuck.index, self._unfinished(stuck, limit, now))
        finally:
            for _ in workers:
                inbox.put(None)
            requester.close()

    # -- verdicts ------------------------------------------------------------------------

    def _retry_delay(self, job: _Job, attempt: Attempt, now: float) -> float | None:
        """Seconds until the next attempt, or ``None`` when this attempt is final."""
        settings = self.settings
        retry_after: float | None = None
        if attempt.failure is not None:
            rule = FAILURE_RULES[attempt.failure]
            if not rule.retry:
                return None
            if rule.is_timeout:
                if job.timeout_retries >= settings.timeout_retries:
                    return None
                job.timeout_retries += 1
            elif job.retries >= settings.retries:
                return None
            else:
                job.retries += 1
            retry_count = job.retries + job.timeout_retries
        else:
            assert attempt.status is not None
            if not is_retryable_status(attempt.status, attempt.headers):
                return None
            if job.retries >= settings.retries:
                return None
            job.retries += 1
            retry_count = job.retries
            retry_after = parse_retry_after(attempt.headers.get("Retry-After"))
        if retry_after is not None:
            # A little jitter past the server's moment, so a crowd does not arrive at once.
            delay = min(retry_after, settings.retry_after_cap) + 0.05 * self.rng.random()
        elif attempt.failure is Failure.TIMEOUT:
            delay = 0.0  # the attempt itself already waited a whole timeout
        else:
            delay = backoff_delay(retry_count, settings.backoff, settings.backoff_max, self.rng)
        if now + delay >= job.started + settings.deadline:
            return None
        return delay

    def _result(self, job: _Job, attempt: Attempt, now: float) -> LinkResult:
        hops = attempt.redirects
        common: dict[str, Any] = {
            "http_status": attempt.status,
            "final_url": attempt.final_url,
            "redirects": hops,
            "attempts": job.attempts,
            "elapsed": round(now - job.started, 3),
        }
        if attempt.failure is not None:
            if attempt.failure is Failure.PRIVATE and attempt.first_hop_private:
                return LinkResult(job.link, Verdict.EXCLUDED, attempt.detail, **common)
            verdict = FAILURE_RULES[attempt.failure].verdict
            detail = attempt.detail
            if verdict is Verdict.TRANSIENT and job.attempts > 1:
                detail += f" ({job.attempts} attempts)"
            return LinkResult(job.link, verdict, detail, **common)
        assert attempt.status is not None
        verdict = status_verdict(attempt.status, attempt.headers, bool(hops))
        detail = _phrase(attempt.status)
        new_url = None
        if verdict is Verdict.REDIRECTED:
            new_url = _new_url(hops)
            kind = "permanently" if new_url else "temporarily"
            detail = f"{detail} after {len(hops)} redirect(s); moved {kind} to {hops[-1].url}"
            if new_url:
                detail += f" (cite {new_url})"
        elif verdict is Verdict.TRANSIENT and job.attempts > 1:
            detail += f" after {job.attempts} attempts"
        elif verdict is Verdict.BLOCKED:
            detail += ": the page may open in a browser; check it by hand"
        if hops and verdict is not Verdict.REDIRECTED:
            detail += f" (after redirect to {hops[-1].url})"
        return LinkResult(job.link, verdict, detail, new_url=new_url, **common)

    def _safe_result(self, job: _Job, attempt: Attempt, now: float) -> LinkResult:
        try:
            return self._result(job, attempt, now)
        except Exception as exc:  # the per-URL boundary, as in ``settle``
            job.last = _internal(exc)
            return self._result(job, job.last, now)

    def _unfinished(self, job: _Job, why: str, now: float) -> LinkResult:
        if job.last is not None:
            result = self._safe_result(job, job.last, now)
            if result.verdict is Verdict.TRANSIENT:
                return result
        return LinkResult(job.link, Verdict.TRANSIENT, why, attempts=job.attempts)


def _internal(exc: BaseException) -> Attempt:
    """A bug (or a surprise nobody planned for) as one URL's failure, reported as such."""
    return Attempt(failure=Failure.INTERNAL, detail=f"internal error: {_short(exc)!r}")


def offline_note(ended: Sequence[tuple[str, Failure | None]]) -> RunNote | None:
    """A note that the machine looks offline, when every URL this run requested (at least
    :data:`OFFLINE_MIN_URLS` of them) failed to resolve or found no route to its host.

    ``ended`` holds each requested URL with the failure it ended in (``None``: an answer).
    """
    if len(ended) < OFFLINE_MIN_URLS:
        return None
    if not all(failure in OFFLINE_FAILURES for _, failure in ended):
        return None
    hosts = {_origin(url)[1] for url, _ in ended}
    return RunNote(
        NoteKind.OFFLINE,
        f"the machine looks offline: none of the {len(ended)} URL(s) requested "
        f"({len(hosts)} host(s)) resolved or could be reached, so they are reported "
        "transient, not broken",
        "check the network connection and the DNS settings, then run again",
    )


def _offline(result: LinkResult) -> LinkResult:
    """``result`` of a URL that failed for want of a network, when the machine looks offline."""
    return dataclasses.replace(
        result,
        verdict=Verdict.TRANSIENT,
        detail=f"{result.detail} (the machine looks offline)",
    )


def check_links(
    links: Sequence[Link],
    settings: LinkSettings | None = None,
    *,
    cache: LinkCache | None = None,
    on_result: Callable[[LinkResult], None] | None = None,
) -> tuple[LinkResult, ...]:
    """Check ``links`` under ``settings`` (defaults if ``None``); see :class:`LinkChecker`."""
    checker = LinkChecker(settings or LinkSettings(), cache=cache)
    return checker.check(links, on_result)

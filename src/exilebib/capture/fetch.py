"""HTTP for ``add``: the link checker's connection rules, plus reading the answer's body.

Every request goes through :func:`exilebib.links.check.make_adapter` (its connections check
the address they reached against the :class:`~exilebib.links.policy.AddressPolicy`) after
the same pre-checks the checker makes (scheme, host, the addresses a name resolves to), with
redirects followed by hand so each hop is checked. Retries follow the checker's rules:
408, 429 and 5xx and connection resets are retried, waiting the server's ``Retry-After``
(capped) or the backoff, within the per-URL deadline; user agent and timeouts are the
``[tool.exilebib.links]`` settings, and the checker's watchdog bounds each request, body
included, by the wall clock. A body is read up to a size limit, so a 50 MB answer costs at
most that much.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from urllib.parse import urljoin, urlsplit

import requests
from requests.structures import CaseInsensitiveDict
from requests.utils import requote_uri

from exilebib.links.check import classify_error, make_adapter, url_problem
from exilebib.links.model import PERMANENT_REDIRECTS
from exilebib.links.policy import (
    FAILURE_RULES,
    GUARDED_NETWORKS,
    REDIRECT_STATUSES,
    AddressPolicy,
    Failure,
    backoff_delay,
    guarded_network,
    is_retryable_status,
    parse_retry_after,
)
from exilebib.links.settings import LinkSettings
from exilebib.links.watchdog import Watch, Watchdog

#: Bytes read from the network at a time.
CHUNK = 64 * 1024


class FetchError(Exception):
    """A request that got no usable answer; the message says why in a few words."""


@dataclass(frozen=True, slots=True)
class Response:
    """A final (non-redirect) answer: its URL after redirects, status, headers and body."""

    url: str
    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    truncated: bool = False  #: the body was cut at the size limit
    redirects: tuple[int, ...] = ()  #: the statuses of the redirects followed, in order

    @property
    def moved(self) -> bool:
        """Every redirect was permanent (301/308): ``url`` is the address to cite."""
        return bool(self.redirects) and all(s in PERMANENT_REDIRECTS for s in self.redirects)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def text(self) -> str:
        """The body decoded with the charset the server named (UTF-8 if none)."""
        content_type = self.headers.get("Content-Type", "")
        charset = "utf-8"
        for part in content_type.split(";")[1:]:
            name, _, value = part.strip().partition("=")
            if name.lower() == "charset" and value:
                charset = value.strip("\"'")
        try:
            return self.body.decode(charset, errors="replace")
        except LookupError:
            return self.body.decode("utf-8", errors="replace")


def phrase(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


@dataclass
class _Try:
    response: Response | None = None
    failure_retry: bool = False
    detail: str = ""
    is_timeout: bool = False


class Fetcher:
    """GETs URLs one at a time under ``settings`` (one connection pool for the run)."""

    def __init__(
        self,
        settings: LinkSettings,
        max_document: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self.max_document = max_document
        self.policy = AddressPolicy.from_settings(settings.allow_private, settings.allow_networks)
        self.watchdog = Watchdog()
        self._watch: Watch | None = None
        self.adapter = make_adapter(settings, self.policy, self._watch_socket)
        self.clock = clock
        self.sleep = sleep

    def close(self) -> None:
        self.watchdog.close()
        self.adapter.close()

    def _watch_socket(self, sock: socket.socket) -> None:
        if self._watch is not None:
            self._watch.add(sock)

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def get(self, url: str, accept: str, *, partial_ok: bool = False) -> Response:
        """The final answer for ``url`` (any status), retried as the checker retries.

        ``partial_ok``: a body over the size limit is cut there (an HTML page's metadata is
        in its head); otherwise it is a :class:`FetchError`.
        """
        settings = self.settings
        started = self.clock()
        deadline = started + settings.deadline
        retries = timeout_retries = 0
        while True:
            attempt = self._follow(url, accept, deadline, partial_ok)
            delay: float | None = None
            if attempt.response is not None:
                response = attempt.response
                if not is_retryable_status(response.status, response.headers):
                    return response
                if retries < settings.retries:
                    retries += 1
                    wait = parse_retry_after(response.headers.get("Retry-After"))
                    delay = (
                        min(wait, settings.retry_after_cap)
                        if wait is not None
                        else backoff_delay(retries, settings.backoff, settings.backoff_max)
                    )
                if delay is None or self.clock() + delay >= deadline:
                    return response
            else:
                if attempt.is_timeout and timeout_retries < settings.timeout_retries:
                    timeout_retries += 1
                    delay = 0.0
                elif (
                    attempt.failure_retry and not attempt.is_timeout and retries < settings.retries
                ):
                    retries += 1
                    delay = backoff_delay(retries, settings.backoff, settings.backoff_max)
                if delay is None or self.clock() + delay >= deadline:
                    raise FetchError(attempt.detail)
            self.sleep(delay)

    def _follow(self, url: str, accept: str, deadline: float, partial_ok: bool) -> _Try:
        headers = {
            "User-Agent": self.settings.user_agent,
            "Accept": accept,
            # identity: a compressed body could expand past the size limit in one chunk
            "Accept-Encoding": "identity",
        }
        current = url
        seen = {url}
        statuses: list[int] = []
        for _ in range(self.settings.max_redirects + 1):
            problem = url_problem(current)
            if problem is not None:
                return _Try(detail=problem[1])
            parsed = urlsplit(current)
            host = parsed.hostname or ""
            port = parsed.port or (443 if parsed.scheme.lower() == "https" else 80)
            forbidden = self.policy.resolve_forbidden(host, port)
            if forbidden is not None:
                return _Try(detail=_refusal(host, forbidden))
            remaining = deadline - self.clock()
            if remaining <= 0:
                return _Try(detail="timed out", is_timeout=True)
            # the links watchdog bounds the whole request, body included, by the wall clock:
            # a server trickling a byte a second cannot hold it past the timeout
            watch = self.watchdog.start(min(self.settings.timeout, remaining))
            self._watch = watch
            try:
                outcome = self._request(current, headers, host, partial_ok, watch, statuses)
            finally:
                watch.finish()
                self._watch = None
            if isinstance(outcome, _Try):
                return outcome
            if outcome in seen:
                return _Try(detail=f"redirect loop at {outcome}")
            seen.add(outcome)
            current = outcome
        return _Try(detail=f"more than {self.settings.max_redirects} redirects")

    def _request(
        self,
        current: str,
        headers: Mapping[str, str],
        host: str,
        partial_ok: bool,
        watch: Watch,
        statuses: list[int],
    ) -> _Try | str:
        """One GET: the final answer (or why there is none), or where a redirect points."""
        try:
            request = requests.Request("GET", current, headers=dict(headers)).prepare()
            answer = self.adapter.send(
                request,
                stream=True,
                timeout=(watch.seconds, watch.seconds),
                verify=self.settings.ca_bundle or True,
                proxies={},
            )
        except Exception as exc:  # every request error becomes a one-line reason
            return self._failure(exc, watch, host)
        try:
            status = answer.status_code
            if status in REDIRECT_STATUSES:
                location = answer.headers.get("Location")
                if not location:
                    return _Try(detail=f"{phrase(status)} without a Location header")
                statuses.append(status)
                return str(requote_uri(urljoin(current, location.strip())))
            body, truncated = self._body(answer, partial_ok)
            answered = CaseInsensitiveDict(answer.headers)
            return _Try(Response(current, status, answered, body, truncated, tuple(statuses)))
        except FetchError as exc:
            return _Try(detail=str(exc))
        except Exception as exc:  # a connection that breaks while the body is read
            return self._failure(exc, watch, host)
        finally:
            answer.close()

    @staticmethod
    def _failure(exc: Exception, watch: Watch, host: str) -> _Try:
        if watch.expired:
            return _Try(detail="timed out", failure_retry=True, is_timeout=True)
        failure, detail = classify_error(exc)
        rule = FAILURE_RULES[failure]
        if failure is Failure.PRIVATE:
            detail = _refusal(host, str(getattr(exc, "address", "")) or host)
        return _Try(detail=detail, failure_retry=rule.retry, is_timeout=rule.is_timeout)

    def _body(self, answer: requests.Response, partial_ok: bool) -> tuple[bytes, bool]:
        limit = self.max_document
        length = answer.headers.get("Content-Length", "")
        too_big = f"the answer is larger than {limit:,} bytes"
        if length.isdigit() and int(length) > limit and not partial_ok:
            raise FetchError(too_big)
        chunks: list[bytes] = []
        size = 0
        for chunk in answer.iter_content(CHUNK):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                if not partial_ok:
                    raise FetchError(too_big)
                return b"".join(chunks)[:limit], True
        return b"".join(chunks), False


def _refusal(host: str, address: str) -> str:
    where = host if host.strip("[]") == address else f"{host} ({address})"
    guarded = guarded_network(address)
    if guarded is not None:  # --allow-private does not open these (see links' policy)
        return f"refused: {where} is a {GUARDED_NETWORKS[guarded]}"
    return f"refused: {where} is a non-public address (pass --allow-private to allow it)"

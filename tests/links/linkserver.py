"""Real HTTP(S) servers on loopback addresses for the link-checker tests (helpers).

Each :class:`LinkServer` is a threaded stdlib server on port 0 whose behaviour is set per
path by the test (``server.route("/x", respond(404))``); it logs every request and counts
how many were in flight at once. Nothing here reaches beyond 127.0.0.0/8.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import ssl
import struct
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from exilebib.links.settings import LinkSettings


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    at: float


Behaviour = Callable[["Handler"], None]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def _dispatch(self) -> None:
        owner = self.server.owner
        path = self.path.split("?", 1)[0]
        owner.record(Seen(self.command, self.path, dict(self.headers.items()), time.monotonic()))
        behaviour = owner.routes.get(path, respond(404))
        owner.enter()
        try:
            behaviour(self)
        finally:
            owner.leave()

    do_GET = _dispatch
    do_HEAD = _dispatch

    def send(self, status: int, headers: dict[str, str] | None = None, body: bytes = b"") -> None:
        self.send_response(status)
        extra = dict(headers or {})
        extra.setdefault("Content-Length", str(len(body)))
        for name, value in extra.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD" and body:
            self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    owner: LinkServer

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # resets and clients hanging up are what some tests are about


class LinkServer:
    """A loopback HTTP(S) server whose behaviour is set per path."""

    def __init__(self, host: str = "127.0.0.1", tls: ssl.SSLContext | None = None) -> None:
        self.routes: dict[str, Behaviour] = {}
        self.log: list[Seen] = []
        self.lock = threading.Lock()
        self.active = 0
        self.peak = 0
        self.httpd = _Server((host, 0), Handler)
        self.httpd.owner = self
        if tls is not None:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
        self.scheme = "https" if tls else "http"
        self.host = host
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str, host: str | None = None) -> str:
        return f"{self.scheme}://{host or self.host}:{self.port}{path}"

    def route(self, path: str, behaviour: Behaviour) -> str:
        self.routes[path] = behaviour
        return self.url(path)

    def record(self, seen: Seen) -> None:
        with self.lock:
            self.log.append(seen)

    def enter(self) -> None:
        with self.lock:
            self.active += 1
            self.peak = max(self.peak, self.active)

    def leave(self) -> None:
        with self.lock:
            self.active -= 1

    def hits(self, path: str, method: str | None = None) -> list[Seen]:
        return [
            s
            for s in self.log
            if s.path.split("?", 1)[0] == path and (method is None or s.method == method)
        ]


# -- behaviours -------------------------------------------------------------------------


def respond(status: int, headers: dict[str, str] | None = None, body: bytes = b"") -> Behaviour:
    def behave(handler: Handler) -> None:
        handler.send(status, headers, body)

    return behave


def redirect(status: int, location: str) -> Behaviour:
    return respond(status, {"Location": location})


def sequence(*steps: Behaviour) -> Behaviour:
    """The n-th request gets the n-th behaviour; the last one repeats."""
    count = [0]
    lock = threading.Lock()

    def behave(handler: Handler) -> None:
        with lock:
            step = steps[min(count[0], len(steps) - 1)]
            count[0] += 1
        step(handler)

    return behave


def by_method(**steps: Behaviour) -> Behaviour:
    def behave(handler: Handler) -> None:
        steps[handler.command](handler)

    return behave


def slow(seconds: float, then: Behaviour | None = None) -> Behaviour:
    def behave(handler: Handler) -> None:
        time.sleep(seconds)
        (then or respond(200))(handler)

    return behave


def reset() -> Behaviour:
    """Close the connection with a TCP RST instead of answering."""

    def behave(handler: Handler) -> None:
        handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        handler.connection.close()
        handler.close_connection = True
        handler.wfile = open("/dev/null", "wb")  # noqa: SIM115 - the handler flushes it once

    return behave


def endless_body(chunk: int = 64 * 1024) -> Behaviour:
    """200 with a huge Content-Length, streaming until the client hangs up."""

    def behave(handler: Handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", str(10**12))
        handler.end_headers()
        if handler.command == "HEAD":
            return
        block = b"x" * chunk
        handler.server.owner.body_sent = 0  # type: ignore[attr-defined]
        with contextlib.suppress(OSError):
            for _ in range(100_000):
                handler.wfile.write(block)
                handler.server.owner.body_sent += chunk  # type: ignore[attr-defined]
        handler.close_connection = True

    return behave


def trickle(raw: bytes, interval: float, head: bytes = b"", then: bytes = b"") -> Behaviour:
    """Write ``head`` at once, then ``raw`` straight to the socket one byte every ``interval``
    seconds (each read of the client returns in time, so only a bound on the whole request
    ends it), then ``then``; ``server.trickled`` counts the bytes of ``raw`` sent before the
    client hung up."""

    def behave(handler: Handler) -> None:
        owner = handler.server.owner
        owner.trickled = 0  # type: ignore[attr-defined]
        handler.close_connection = True
        with contextlib.suppress(OSError):
            handler.connection.sendall(head)
            for byte in raw:
                handler.connection.sendall(bytes([byte]))
                owner.trickled += 1  # type: ignore[attr-defined]
                time.sleep(interval)
            handler.connection.sendall(then)

    return behave


def header_flood(count: int = 200) -> Behaviour:
    def behave(handler: Handler) -> None:
        handler.send_response(200)
        for n in range(count):
            handler.send_header(f"X-Flood-{n}", "x")
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return behave


class RawServer:
    """A TCP server on a loopback address that hands each connection to ``behaviour``
    (in a thread of its own): for what no HTTP server would send, e.g. a trickled TLS
    handshake."""

    def __init__(self, behaviour: Callable[[socket.socket], None], host: str = "127.0.0.1"):
        self.behaviour = behaviour
        self.listener = socket.create_server((host, 0))
        self.host = host
        self.port = int(self.listener.getsockname()[1])
        self.sent = 0  #: bytes the behaviours counted as sent
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        with contextlib.suppress(OSError):
            while True:
                conn, _ = self.listener.accept()
                threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):
            self.behaviour(conn)

    def close(self) -> None:
        self.listener.close()


# -- settings and ports ---------------------------------------------------------------


def fast_settings(**changes: object) -> LinkSettings:
    """Settings for loopback tests: loopback allowed, short timeouts and waits."""
    values: dict[str, object] = {
        "allow_private": True,
        "timeout": 1.0,
        "deadline": 10.0,
        "backoff": 0.01,
        "backoff_max": 0.05,
        "retry_after_cap": 3.0,
    }
    values.update(changes)
    return LinkSettings(**values)  # type: ignore[arg-type]


def free_port() -> int:
    """A port nobody listens on (bound, then closed)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# -- connections the process attempts --------------------------------------------------

_recorders: list[list[str]] = []


_lookups: list[str] = []  #: host names given to getaddrinfo that a DNS server could be asked


def _needs_dns(host: object) -> bool:
    if host is None:
        return False
    name = host.decode() if isinstance(host, bytes) else str(host)
    name = name.strip("[]").split("%", 1)[0].rstrip(".").lower()
    if name in ("", "localhost") or name.endswith(".localhost"):
        return False
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return True
    return False


def _on_audit(event: str, args: tuple[object, ...]) -> None:
    if event == "socket.connect" and _recorders:
        address = args[1]
        host = str(address[0]) if isinstance(address, tuple) and address else str(address)
        for recorder in _recorders:
            recorder.append(host)
    elif event == "socket.getaddrinfo" and _needs_dns(args[0]):
        _lookups.append(str(args[0]))


def dns_lookups() -> list[str]:
    """Host names looked up (any thread) that could have made a DNS query, and forget them:
    the tests of this folder must ask none (see conftest.py)."""
    found = list(_lookups)
    _lookups.clear()
    return found


sys.addaudithook(_on_audit)  # process-wide and permanent; records only inside ``connections()``


@contextlib.contextmanager
def connections() -> Iterator[list[str]]:
    """The host address of every socket ``connect`` attempted (any thread) while open.

    Python's audit events see a connection before it is made, so a test can prove that an
    address was refused without ever having been contacted.
    """
    recorded: list[str] = []
    _recorders.append(recorded)
    try:
        yield recorded
    finally:
        _recorders.remove(recorded)

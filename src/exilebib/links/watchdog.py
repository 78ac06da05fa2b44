"""Wall-clock bounds on requests: a watchdog thread that ends a request past its bound by
shutting its sockets down, whatever the server trickles (per-read timeouts reset on every byte).

Used by the link checker and by capture (``exilebib add``), which share one request path.
"""

from __future__ import annotations

import contextlib
import heapq
import socket
import threading
import time


class Watch:
    """One request's wall-clock bound. Its sockets are shut down when the bound passes, so a
    server sending a byte a second (which resets every per-read timeout) cannot hold the
    request: the blocked read returns at once and the request fails as timed out.

    It keeps a duplicate of each socket's descriptor, not the socket object: shutting that
    down ends the connection under every descriptor (also while the TLS handshake has taken
    over the TCP socket), and ours cannot be closed and reused for another connection
    under our feet.
    """

    def __init__(self, until: float, seconds: float) -> None:
        self.until = until
        self.seconds = seconds
        self.expired = False
        self.done = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    def add(self, sock: socket.socket) -> None:
        with self._lock:
            if self.done:
                return
            try:
                duplicate = socket.fromfd(sock.fileno(), sock.family, sock.type)
            except (OSError, ValueError):  # already closed: nothing to watch
                return
            self._sockets.append(duplicate)
            if self.expired:
                _shut(duplicate)

    def expire(self) -> None:
        with self._lock:
            if self.done:
                return
            self.expired = True
            for sock in self._sockets:
                _shut(sock)

    def finish(self) -> None:
        """End the watch (again: harmless); it shuts nothing down from then on."""
        with self._lock:
            self.done = True
            for sock in self._sockets:
                sock.close()
            self._sockets.clear()

    def __lt__(self, other: Watch) -> bool:
        return self.until < other.until


def _shut(sock: socket.socket) -> None:
    """End the connection under a thread blocked reading it (its read returns the end)."""
    with contextlib.suppress(OSError):  # the peer is gone already: nothing to cut short
        sock.shutdown(socket.SHUT_RDWR)


class Watchdog:
    """One thread that ends requests past their bound (see :class:`Watch`); it runs on the
    real monotonic clock, since it waits for real."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._heap: list[Watch] = []
        self._thread: threading.Thread | None = None
        self._closed = False

    def start(self, seconds: float) -> Watch:
        watch = Watch(time.monotonic() + seconds, seconds)
        with self._cond:
            heapq.heappush(self._heap, watch)
            if self._thread is None and not self._closed:
                self._thread = threading.Thread(
                    target=self._loop, name="exilebib-links-watchdog", daemon=True
                )
                self._thread.start()
            if self._heap[0] is watch:  # else the watchdog wakes for an earlier one first
                self._cond.notify()
        return watch

    def _loop(self) -> None:
        with self._cond:
            while not self._closed:
                while self._heap and self._heap[0].done:
                    heapq.heappop(self._heap)
                if not self._heap:
                    self._cond.wait()
                    continue
                wait = self._heap[0].until - time.monotonic()
                if wait > 0:
                    self._cond.wait(wait)
                    continue
                heapq.heappop(self._heap).expire()

    def close(self) -> None:
        """Stop, ending the requests still running (a run that is over waits for none)."""
        with self._cond:
            self._closed = True
            for watch in self._heap:
                watch.expire()
            self._heap.clear()
            self._cond.notify()

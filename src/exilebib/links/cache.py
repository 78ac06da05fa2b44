"""A cache of successful link checks between runs.

Only successes are kept (a failure is always checked again), each with the time it was
learnt and what a report needs of it (a redirect keeps its chain, new URL and detail, so a
permanent redirect read from the cache still asks for the new URL); entries older than the
maximum age are ignored and dropped on save. The file is JSON, written atomically (a
temporary file in the same directory, then ``os.replace``), so an interrupted run never
leaves half a file. A cache that cannot be read is a warning and an empty cache, and an
entry this program would not have written (any field of the wrong type or out of range, a
time in the future) is a warning and dropped: never a crash, never junk in a report.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from exilebib.links.model import SUCCESSES, Hop, LinkResult, Verdict
from exilebib.links.policy import PUBLIC_POLICY

CACHE_FORMAT = 1

WallClock = Callable[[], float]


@dataclass(frozen=True, slots=True)
class CacheEntry:
    verdict: Verdict
    checked_at: float  #: seconds since the epoch
    http_status: int | None
    final_url: str | None
    new_url: str | None
    now: float = 0.0  #: when it was read, for :meth:`age_text`
    detail: str | None = None  #: the detail of the check (absent in older cache files)
    redirects: tuple[Hop, ...] = ()

    def age_text(self) -> str:
        age = max(0.0, self.now - self.checked_at)
        for unit, seconds in (("d", 86400), ("h", 3600), ("min", 60)):
            if age >= seconds:
                return f"{age / seconds:.0f} {unit}"
        return f"{age:.0f} s"


class LinkCache:
    """Successes by URL. Load with :meth:`load`, update with :meth:`record`, :meth:`save`."""

    def __init__(self, path: Path, max_age: float, *, clock: WallClock = time.time) -> None:
        self.path = path
        self.max_age = max_age
        self.clock = clock
        self._entries: dict[str, dict[str, object]] = {}
        self.warning: str | None = None  #: why the file could not be used, if it could not
        self.changed = False

    @classmethod
    def load(cls, path: Path, max_age: float, *, clock: WallClock = time.time) -> LinkCache:
        cache = cls(path, max_age, clock=clock)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cache
        except (OSError, UnicodeDecodeError) as exc:
            cache.warning = f"{path}: cannot read the link cache ({exc}); checking everything"
            return cache
        try:
            data = json.loads(text)
            if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT:
                raise ValueError(f"not a format-{CACHE_FORMAT} link cache")
            entries = data["entries"]
            if not isinstance(entries, dict):
                raise ValueError("'entries' is not an object")
        except (ValueError, KeyError, RecursionError) as exc:
            reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
            cache.warning = (
                f"{path}: the link cache is corrupt ({reason}); checking everything "
                "and writing a new one"
            )
            return cache
        now = clock()
        dropped: list[str] = []
        for url, entry in entries.items():
            problem = entry_problem(entry, now)
            if problem is not None:
                dropped.append(f"{url}: {problem}")
            elif now - float(entry["checked_at"]) <= max_age:
                cache._entries[str(url)] = entry
            if problem is not None or str(url) not in cache._entries:
                cache.changed = True  # expired or malformed entries are dropped on save
        if dropped:
            cache.warning = (
                f"{path}: dropped {len(dropped)} malformed link cache entr"
                f"{'y' if len(dropped) == 1 else 'ies'} (first: {dropped[0]}); "
                "those URLs are checked again"
            )
        return cache

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, url: str, policy: str = PUBLIC_POLICY) -> CacheEntry | None:
        """The success recorded for ``url`` if it is younger than the maximum age and was
        learnt under the public address policy or under ``policy`` (the run's)."""
        entry = self._entries.get(url)
        if entry is None or entry.get("policy", PUBLIC_POLICY) not in (PUBLIC_POLICY, policy):
            return None
        now = self.clock()
        checked_at = float(entry["checked_at"])  # type: ignore[arg-type]
        if now - checked_at > self.max_age:
            return None
        return CacheEntry(
            Verdict(entry["verdict"]),
            checked_at,
            entry.get("http_status"),  # type: ignore[arg-type]
            entry.get("final_url"),  # type: ignore[arg-type]
            entry.get("new_url"),  # type: ignore[arg-type]
            now,
            detail if isinstance(detail := entry.get("detail"), str) else None,
            _hops(entry.get("redirects")) or (),
        )

    def record(self, result: LinkResult, policy: str = PUBLIC_POLICY) -> None:
        """Keep a success; forget a URL that failed (it must be checked again).

        A result that came from the cache changes nothing: its entry keeps the time it was
        learnt, so it still expires.
        """
        if result.cached:
            return
        if result.verdict in SUCCESSES:
            self._entries[result.url] = {
                "verdict": result.verdict.value,
                "checked_at": self.clock(),
                "http_status": result.http_status,
                "final_url": result.final_url,
                "new_url": result.new_url,
                "redirects": [{"status": hop.status, "url": hop.url} for hop in result.redirects],
                "detail": result.detail,
                "policy": policy,
            }
            self.changed = True
        elif result.verdict in (Verdict.BROKEN, Verdict.TRANSIENT, Verdict.BLOCKED) and (
            self._entries.pop(result.url, None) is not None
        ):
            self.changed = True

    def save(self) -> None:
        """Write the cache atomically; raises ``OSError`` if the directory is not writable."""
        now = self.clock()
        kept = {
            url: entry
            for url, entry in sorted(self._entries.items())
            if now - float(entry["checked_at"]) <= self.max_age  # type: ignore[arg-type]
        }
        text = json.dumps({"format": CACHE_FORMAT, "entries": kept}, indent=1, sort_keys=True)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, then renamed
            "w",
            encoding="utf-8",
            dir=self.path.parent,
            prefix=f".{self.path.name}.",
            suffix=".tmp",
            delete=False,
        )
        try:
            with handle:
                handle.write(text + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(handle.name, self.path)
        except BaseException:
            Path(handle.name).unlink(missing_ok=True)
            raise
        self.changed = False


#: How far in the future a ``checked_at`` may lie (clocks of machines sharing a cache
#: differ a little); further is not a time this program wrote, and would never expire.
FUTURE_SLACK = 3600.0

#: Optional text fields of an entry: absent, null or a string.
_TEXT_FIELDS = ("final_url", "new_url", "detail", "policy")


def entry_problem(entry: object, now: float) -> str | None:
    """Why a cache entry read from the file is not one this program would have written,
    or ``None``. Every field is checked, since each one ends up in a report."""
    if not isinstance(entry, dict):
        return "not an object"
    verdict = entry.get("verdict")
    if not isinstance(verdict, str) or verdict not in {success.value for success in SUCCESSES}:
        return f"verdict {_shown(verdict)} is not one the cache keeps"
    checked_at = entry.get("checked_at")
    if isinstance(checked_at, bool) or not isinstance(checked_at, int | float):
        return "checked_at is not a number"
    if isinstance(checked_at, int) and abs(checked_at) > 2**53:
        return "checked_at is out of range"
    if not math.isfinite(checked_at) or not 0 <= checked_at <= now + FUTURE_SLACK:
        return f"checked_at {_shown(checked_at)} is not a time in the past"
    status = entry.get("http_status")
    if status is not None and (
        isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599
    ):
        return f"http_status {_shown(status)} is not an HTTP status"
    for name in _TEXT_FIELDS:
        if not isinstance(entry.get(name), str | None):
            return f"{name} is not text"
    redirects = entry.get("redirects")
    if redirects is not None and _hops(redirects) is None:
        return "redirects is not a list of {status, url} redirects"
    return None


def _shown(value: object) -> str:
    if not isinstance(value, str | int | float | None):
        return type(value).__name__
    text = json.dumps(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _hops(data: object) -> tuple[Hop, ...] | None:
    """The redirect chain of an entry, or ``None`` when it is malformed."""
    if not isinstance(data, list):
        return None
    hops: list[Hop] = []
    for item in data:
        if not isinstance(item, dict):
            return None
        status, url = item.get("status"), item.get("url")
        if isinstance(status, bool) or not isinstance(status, int) or not isinstance(url, str):
            return None
        if not 300 <= status <= 399:
            return None
        hops.append(Hop(status, url))
    return tuple(hops)

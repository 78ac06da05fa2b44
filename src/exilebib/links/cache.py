"""A cache of successful link checks between runs.

Only successes are kept (a failure is always checked again), each with the time it was
learnt and what a report needs of it (a redirect keeps its chain, new URL and detail, so a
permanent redirect read from the cache still asks for the new URL); entries older than the
maximum age are ignored and dropped on save. The file is
JSON, written atomically (a temporary file in the same directory, then ``os.replace``), so
an interrupted run never leaves half a file. A cache that cannot be read is a warning and
an empty cache, never a crash.
"""

from __future__ import annotations

import json
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
        except (ValueError, KeyError) as exc:
            cache.warning = (
                f"{path}: the link cache is corrupt ({exc}); checking everything "
                "and writing a new one"
            )
            return cache
        now = clock()
        for url, entry in entries.items():
            if _valid(entry) and now - float(entry["checked_at"]) <= max_age:
                cache._entries[str(url)] = entry
            else:
                cache.changed = True  # expired or malformed entries are dropped on save
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
            _hops(entry.get("redirects")),
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


def _valid(entry: object) -> bool:
    if not isinstance(entry, dict):
        return False
    try:
        float(entry["checked_at"])
        return Verdict(entry["verdict"]) in SUCCESSES
    except (KeyError, TypeError, ValueError):
        return False


def _hops(data: object) -> tuple[Hop, ...]:
    """The redirect chain of an entry; a malformed one is left out (it is only shown)."""
    if not isinstance(data, list):
        return ()
    hops: list[Hop] = []
    for item in data:
        if not isinstance(item, dict):
            return ()
        status, url = item.get("status"), item.get("url")
        if not isinstance(status, int) or not isinstance(url, str):
            return ()
        hops.append(Hop(status, url))
    return tuple(hops)

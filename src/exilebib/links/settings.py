"""Link-checking settings: named defaults shared by the library and the CLI.

``[tool.exilebib.links]`` in ``pyproject.toml`` (read by :mod:`exilebib.config`, turned into
:class:`LinkSettings` by :func:`settings_from_mapping`) overrides the defaults, and
command-line options override both.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from exilebib import __version__
from exilebib.errors import UsageError
from exilebib.links.model import Verdict

PROJECT_URL = "https://github.com/exilebib/exilebib"

#: Wikimedia (and others) answer 403 to generic agents; theirs asks for a name and a contact.
DEFAULT_USER_AGENT = f"exilebib/{__version__} (+{PROJECT_URL}; bibliography link checker)"
DEFAULT_CONCURRENCY = 64  #: requests in flight at once, over all hosts
DEFAULT_PER_HOST = 8  #: requests in flight at once to one host
DEFAULT_TIMEOUT = 20.0  #: seconds one request may take, wall clock: connecting and reading
DEFAULT_DEADLINE = 90.0  #: seconds one URL may take, retries and waits included
DEFAULT_MAX_REDIRECTS = 10
DEFAULT_RETRIES = 3  #: further attempts after 408, 429, 5xx and connection resets
DEFAULT_TIMEOUT_RETRIES = 1  #: further attempts after a timeout (each costs a full timeout)
DEFAULT_BACKOFF = 0.5  #: seconds before the first retry; doubles, plus up to 50 % jitter
DEFAULT_BACKOFF_MAX = 10.0
DEFAULT_RETRY_AFTER_CAP = 60.0  #: a longer Retry-After is cut to this
DEFAULT_MAX_BODY = 64 * 1024  #: bytes read from a body (to reuse the connection), then drop it
DEFAULT_MAX_RUN_TIME = 15 * 60.0  #: seconds for the whole run; what is left is "transient"
DEFAULT_CACHE_PATH = Path(".exilebib-cache/links.json")
DEFAULT_CACHE_MAX_AGE = 24 * 3600.0
DEFAULT_ARCHIVE_URL = "https://archive.org/wayback/available"
DEFAULT_FAIL_ON: tuple[Verdict, ...] = (Verdict.BROKEN,)


@dataclass(frozen=True, slots=True)
class LinkSettings:
    """How to check links. Every field has a named default above."""

    concurrency: int = DEFAULT_CONCURRENCY
    per_host: int = DEFAULT_PER_HOST
    timeout: float = DEFAULT_TIMEOUT
    deadline: float = DEFAULT_DEADLINE
    max_redirects: int = DEFAULT_MAX_REDIRECTS
    retries: int = DEFAULT_RETRIES
    timeout_retries: int = DEFAULT_TIMEOUT_RETRIES
    backoff: float = DEFAULT_BACKOFF
    backoff_max: float = DEFAULT_BACKOFF_MAX
    retry_after_cap: float = DEFAULT_RETRY_AFTER_CAP
    max_body: int = DEFAULT_MAX_BODY
    max_run_time: float = DEFAULT_MAX_RUN_TIME
    head_first: bool = False
    user_agent: str = DEFAULT_USER_AGENT
    exclude: tuple[str, ...] = ()  #: regular expressions searched in each URL
    allow_private: bool = False  #: check private and loopback addresses too (not link-local)
    allow_networks: tuple[str, ...] = ()  #: CIDR blocks allowed although not public
    ca_bundle: str | None = None  #: a PEM file of CAs to trust instead of certifi's
    cache: bool = False
    cache_path: Path = DEFAULT_CACHE_PATH
    cache_max_age: float = DEFAULT_CACHE_MAX_AGE
    suggest_archive: bool = False
    archive_url: str = DEFAULT_ARCHIVE_URL
    fail_on: tuple[Verdict, ...] = DEFAULT_FAIL_ON

    def __post_init__(self) -> None:
        for name in ("concurrency", "per_host"):
            if getattr(self, name) < 1:
                raise UsageError(f"links setting '{name}' must be at least 1")
        for name in ("timeout", "deadline", "max_run_time"):
            if not 0 < getattr(self, name) < math.inf:  # also false for NaN
                raise UsageError(f"links setting '{name}' must be a positive number of seconds")
        for name in ("max_redirects", "retries", "timeout_retries", "max_body"):
            if getattr(self, name) < 0:
                raise UsageError(f"links setting '{name}' must not be negative")
        for name in ("backoff", "backoff_max", "retry_after_cap"):
            if not 0 <= getattr(self, name) < math.inf:
                raise UsageError(f"links setting '{name}' must be a number of seconds, >= 0")
        if not self.cache_max_age >= 0:
            raise UsageError("links setting 'cache_max_age' must not be negative")
        for pattern in self.exclude:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise UsageError(
                    f"links exclude pattern {pattern!r} is not a regular expression: {exc}"
                ) from None


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_UNIT_SECONDS = {"": 1.0, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


def parse_duration(text: str | float | int) -> float:
    """Seconds from ``90``, ``"90s"``, ``"30m"``, ``"6h"`` or ``"1d"``."""
    if isinstance(text, int | float) and not isinstance(text, bool):
        return float(text)
    match = _DURATION.match(str(text))
    if not match:
        raise UsageError(f"{text!r} is not a duration (write e.g. 90, 90s, 30m, 6h or 1d)")
    return float(match.group(1)) * _UNIT_SECONDS[match.group(2)]


def parse_verdicts(text: str | list[str] | tuple[str, ...]) -> tuple[Verdict, ...]:
    """Verdicts from ``"broken,transient"`` or a list of names."""
    names = text.split(",") if isinstance(text, str) else list(text)
    known = {verdict.value: verdict for verdict in Verdict}
    found: list[Verdict] = []
    for name in (str(item).strip().lower() for item in names):
        if not name:
            continue
        if name not in known:
            raise UsageError(f"unknown verdict {name!r} (choose from {', '.join(known)})")
        found.append(known[name])
    return tuple(dict.fromkeys(found))


# Config key -> how to read its value. Durations accept "30s", "6h", "1d" as well as numbers.
_READERS = {
    "concurrency": int,
    "per_host": int,
    "timeout": parse_duration,
    "deadline": parse_duration,
    "max_redirects": int,
    "retries": int,
    "timeout_retries": int,
    "backoff": parse_duration,
    "backoff_max": parse_duration,
    "retry_after_cap": parse_duration,
    "max_body": int,
    "max_run_time": parse_duration,
    "head_first": bool,
    "user_agent": str,
    "exclude": lambda value: tuple(str(item) for item in value),
    "allow_private": bool,
    "allow_networks": lambda value: tuple(str(item) for item in value),
    "ca_bundle": str,
    "cache": bool,
    "cache_path": Path,
    "cache_max_age": parse_duration,
    "suggest_archive": bool,
    "archive_url": str,
    "fail_on": parse_verdicts,
}


def settings_from_mapping(
    table: Mapping[str, object], origin: str, name: str = "[tool.exilebib.links]"
) -> LinkSettings:
    """:class:`LinkSettings` from a ``[tool.exilebib.links]`` table (keys may use ``-``);
    errors name the file (``origin``) and the table as written there (``name``)."""
    values: dict[str, object] = {}
    for raw_key, raw_value in table.items():
        key = raw_key.replace("-", "_")
        reader = _READERS.get(key)
        if reader is None:
            raise UsageError(
                f"{origin}: unknown key {raw_key!r} in {name} "
                f"(known: {', '.join(sorted(_READERS))})"
            )
        if key in ("exclude", "allow_networks") and not isinstance(raw_value, list):
            raise UsageError(f"{origin}: {name} {raw_key} must be a list")
        try:
            values[key] = reader(raw_value)  # type: ignore[operator]
        except (TypeError, ValueError):
            raise UsageError(f"{origin}: {name} {raw_key} = {raw_value!r} is not valid") from None
        except UsageError as exc:
            raise UsageError(f"{origin}: {name} {raw_key}: {exc}") from None
    try:
        return LinkSettings(**values)  # type: ignore[arg-type]
    except UsageError as exc:
        raise UsageError(f"{origin}: {name}: {exc}") from None


def replace(settings: LinkSettings, **changes: object) -> LinkSettings:
    """A copy of ``settings`` with ``changes`` (``None`` values are ignored)."""
    kept = {name: value for name, value in changes.items() if value is not None}
    return dataclasses.replace(settings, **kept)  # type: ignore[arg-type]

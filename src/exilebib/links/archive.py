"""Ask the Wayback Machine's availability API for a snapshot of each broken link.

The API answers ``{"archived_snapshots": {"closest": {"available": true, "url": ...}}}``
(an empty ``archived_snapshots`` when there is none). The base URL is a setting, so tests
and mirrors can point it elsewhere; it is the operator's own endpoint, so the private
address rule for cited URLs does not apply to it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import requests

from exilebib.links.model import CheckRun, LinkResult, NoteKind, RunNote, Verdict
from exilebib.links.settings import LinkSettings

#: Lookups in flight at once (the API is one shared service; be gentle).
ARCHIVE_CONCURRENCY = 4
#: Verdicts worth a snapshot suggestion.
SUGGEST_FOR: frozenset[Verdict] = frozenset({Verdict.BROKEN})


@dataclass(frozen=True, slots=True)
class Lookup:
    """What asking the archive about one URL gave: a snapshot, none, or why it failed."""

    snapshot: str | None = None
    problem: str | None = None  #: the archive did not answer usably (unreachable, not JSON)


def lookup_snapshot(session: requests.Session, url: str, settings: LinkSettings) -> Lookup:
    """The closest available snapshot of ``url``; none; or why the archive gave no answer."""
    try:
        response = session.get(
            settings.archive_url,
            params={"url": url},
            headers={"User-Agent": settings.user_agent},
            timeout=settings.timeout,
            verify=settings.ca_bundle or True,
        )
    except requests.RequestException as exc:
        return Lookup(problem=f"cannot reach the archive: {_reason(exc)}")
    if response.status_code != 200:
        return Lookup(problem=f"the archive answered {response.status_code}")
    try:
        data = response.json()
    except ValueError:
        return Lookup(problem="the archive's answer is not JSON")
    snapshots = data.get("archived_snapshots") if isinstance(data, dict) else None
    closest = snapshots.get("closest") if isinstance(snapshots, dict) else None
    if not isinstance(closest, dict) or not closest.get("available"):
        return Lookup()
    snapshot = closest.get("url")
    return Lookup(snapshot if isinstance(snapshot, str) else None)


def _reason(exc: requests.RequestException) -> str:
    if isinstance(exc, requests.Timeout):
        return "timed out"
    if isinstance(exc, requests.ConnectionError):
        return "connection failed"
    return type(exc).__name__


def suggest_archives(results: Sequence[LinkResult], settings: LinkSettings) -> CheckRun:
    """``results`` with ``archive_url`` filled in for broken links that have a snapshot,
    ``archive_note`` for those the archive could not be asked about, and a run note when
    it could not be asked at all."""
    wanted = [index for index, result in enumerate(results) if result.verdict in SUGGEST_FOR]
    if not wanted:
        return CheckRun(tuple(results))
    updated = list(results)
    problems: list[str] = []
    with requests.Session() as session, ThreadPoolExecutor(ARCHIVE_CONCURRENCY) as pool:
        session.trust_env = False
        found = pool.map(lambda i: lookup_snapshot(session, results[i].url, settings), wanted)
        for index, lookup in zip(wanted, found, strict=True):
            if lookup.snapshot is not None:
                updated[index] = dataclasses.replace(results[index], archive_url=lookup.snapshot)
            elif lookup.problem is not None:
                problems.append(lookup.problem)
                updated[index] = dataclasses.replace(
                    results[index], archive_note=f"no archived copy looked up: {lookup.problem}"
                )
    if not problems:
        return CheckRun(tuple(updated))
    note = RunNote(
        NoteKind.ARCHIVE_UNREACHABLE,
        f"--suggest-archive: {len(problems)} of {len(wanted)} lookup(s) at "
        f"{settings.archive_url} failed ({problems[0]})",
        "run again when the archive answers, or point --archive-url at a working endpoint",
    )
    return CheckRun(tuple(updated), (note,))

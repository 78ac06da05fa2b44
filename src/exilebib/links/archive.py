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

import requests

from exilebib.links.model import LinkResult, Verdict
from exilebib.links.settings import LinkSettings

#: Lookups in flight at once (the API is one shared service; be gentle).
ARCHIVE_CONCURRENCY = 4
#: Verdicts worth a snapshot suggestion.
SUGGEST_FOR: frozenset[Verdict] = frozenset({Verdict.BROKEN})


def lookup_snapshot(session: requests.Session, url: str, settings: LinkSettings) -> str | None:
    """The closest available snapshot of ``url``, or ``None`` (none, or the API failed)."""
    try:
        response = session.get(
            settings.archive_url,
            params={"url": url},
            headers={"User-Agent": settings.user_agent},
            timeout=settings.timeout,
            verify=settings.ca_bundle or True,
        )
        if response.status_code != 200:
            return None
        data = response.json()
    except (requests.RequestException, ValueError):
        return None
    snapshots = data.get("archived_snapshots") if isinstance(data, dict) else None
    closest = snapshots.get("closest") if isinstance(snapshots, dict) else None
    if not isinstance(closest, dict) or not closest.get("available"):
        return None
    snapshot = closest.get("url")
    return snapshot if isinstance(snapshot, str) else None


def suggest_archives(
    results: Sequence[LinkResult], settings: LinkSettings
) -> tuple[LinkResult, ...]:
    """``results`` with ``archive_url`` filled in for broken links that have a snapshot."""
    wanted = [index for index, result in enumerate(results) if result.verdict in SUGGEST_FOR]
    if not wanted:
        return tuple(results)
    updated = list(results)
    with requests.Session() as session, ThreadPoolExecutor(ARCHIVE_CONCURRENCY) as pool:
        session.trust_env = False
        found = pool.map(lambda i: lookup_snapshot(session, results[i].url, settings), wanted)
        for index, snapshot in zip(wanted, found, strict=True):
            if snapshot is not None:
                updated[index] = dataclasses.replace(results[index], archive_url=snapshot)
    return tuple(updated)

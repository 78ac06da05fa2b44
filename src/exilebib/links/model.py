"""Records for link checking: what was cited where, and what checking it found.

Everything is frozen and carries its locations, so every report (text, JSON, JUnit, GitHub
annotations, Markdown) can point at the ``.bib`` line that cites a URL.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from exilebib.model import Location


class Verdict(enum.Enum):
    """The closed set of outcomes of checking one URL."""

    OK = "ok"  #: answered 2xx without redirects
    REDIRECTED = "redirected"  #: answered 2xx after redirects (permanent ones carry a new URL)
    BROKEN = "broken"  #: 404, 410, other permanent 4xx, DNS failure, refused, loop, invalid URL
    TRANSIENT = "transient"  #: still failing after retries: 5xx, 429, timeouts, resets
    BLOCKED = "blocked"  #: 401/403/bot walls: the page may be fine for a person
    EXCLUDED = "excluded"  #: not checked on purpose (pattern, scheme, private address)
    #: a recent ``ok`` from the cache; not requested this run. A redirect from the cache keeps
    #: its verdict ``redirected`` (and its new URL), flagged by :attr:`LinkResult.cached`.
    CACHED = "cached"


#: The order reports list verdicts in: what needs attention first.
VERDICT_ORDER: tuple[Verdict, ...] = (
    Verdict.BROKEN,
    Verdict.TRANSIENT,
    Verdict.BLOCKED,
    Verdict.REDIRECTED,
    Verdict.OK,
    Verdict.CACHED,
    Verdict.EXCLUDED,
)

#: Verdicts that mean the URL answered (and may be cached).
SUCCESSES: frozenset[Verdict] = frozenset({Verdict.OK, Verdict.REDIRECTED})


@dataclass(frozen=True, slots=True)
class Citation:
    """One place that cites a URL: the entry key, the field, and the field's ``file:line``."""

    key: str
    field: str
    location: Location


@dataclass(frozen=True, slots=True)
class Link:
    """One distinct URL and every place that cites it, in file order."""

    url: str
    citations: tuple[Citation, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        """The citing entry keys, each once, in file order."""
        return tuple(dict.fromkeys(citation.key for citation in self.citations))


@dataclass(frozen=True, slots=True)
class Hop:
    """One redirect followed: the status that sent us on and where it pointed."""

    status: int
    url: str  #: the target (absolute) of the ``Location`` header

    @property
    def permanent(self) -> bool:
        return self.status in PERMANENT_REDIRECTS


#: Redirect statuses that ask the citing document to change its URL.
PERMANENT_REDIRECTS: frozenset[int] = frozenset({301, 308})


@dataclass(frozen=True, slots=True)
class LinkResult:
    """What checking one :class:`Link` found.

    ``http_status`` is the last status seen (``None`` when no response came back);
    ``final_url`` is where the redirects ended; ``new_url`` is set when the chain starts with
    permanent redirects, as the URL the citation should use instead; ``attempts`` counts
    attempts (a retry is a new attempt, a redirect is not); ``detail`` says why in one line;
    ``cached`` is true when the result comes from the cache and no request was sent.
    """

    link: Link
    verdict: Verdict
    detail: str
    http_status: int | None = None
    final_url: str | None = None
    redirects: tuple[Hop, ...] = ()
    new_url: str | None = None
    attempts: int = 0
    elapsed: float = 0.0
    archive_url: str | None = None  #: a Wayback snapshot, with ``--suggest-archive``
    #: why no snapshot could be looked up (the archive did not answer), with ``--suggest-archive``
    archive_note: str | None = None
    cached: bool = False  #: from the cache: learnt in an earlier run, not requested now

    @property
    def url(self) -> str:
        return self.link.url


class NoteKind(enum.Enum):
    """Run-level findings: about the machine or a service, not about one cited URL."""

    OFFLINE = "offline"  #: no host of the run resolved or could be reached
    ARCHIVE_UNREACHABLE = "archive-unreachable"  #: --suggest-archive could not ask the archive


@dataclass(frozen=True, slots=True)
class RunNote:
    """One run-level finding: what happened, and a hint on what to do."""

    kind: NoteKind
    message: str
    hint: str


@dataclass(frozen=True, slots=True)
class CheckRun:
    """What a run found: a result per link (in input order) and run-level notes."""

    results: tuple[LinkResult, ...]
    notes: tuple[RunNote, ...] = ()

"""Turn identifiers into entries for one sources file: fetch, map, name, check duplicates.

Returns one :class:`Outcome` per identifier and the text to append; it never writes or
prints (the CLI does both).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from exilebib.capture.append import Existing
from exilebib.capture.entry import NewEntry, UnwritableEntry, build_entry
from exilebib.capture.fetch import Fetcher, FetchError, phrase
from exilebib.capture.identifiers import Identifier, Kind, commons_page_url, normalise_doi
from exilebib.capture.settings import CaptureSettings
from exilebib.capture.sources import CaptureError, from_commons, from_doi, from_isbn
from exilebib.capture.webpage import decode_page, page_metadata, require_metadata
from exilebib.csl import CslItem
from exilebib.fmt import FmtSettings

#: What a web page is asked for: HTML first, as a browser asks.
HTML_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"
HTML_TYPES: tuple[str, ...] = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one identifier: ``entry`` when added, else ``duplicate_of`` (the
    key of the entry that has it already) or ``reason`` (why it could not be made)."""

    identifier: Identifier
    entry: NewEntry | None = None
    text: str = ""  #: the entry as written to the file
    duplicate_of: str | None = None
    duplicate_by: str = ""  #: DOI, ISBN or URL
    reason: str = ""

    @property
    def added(self) -> bool:
        return self.entry is not None


def resolve(identifier: Identifier, fetcher: Fetcher, settings: CaptureSettings) -> CslItem:
    """The CSL-JSON item behind ``identifier``; :class:`CaptureError` says why not."""
    if identifier.kind is Kind.DOI:
        return from_doi(identifier.value, fetcher, settings)
    if identifier.kind is Kind.ISBN:
        return from_isbn(identifier.value, fetcher, settings)
    if identifier.kind is Kind.COMMONS:
        return from_commons(identifier.value, fetcher, settings)
    return from_page(identifier.value, fetcher, settings)


def from_page(url: str, fetcher: Fetcher, settings: CaptureSettings) -> CslItem:
    try:
        response = fetcher.get(url, HTML_ACCEPT, partial_ok=True)
    except FetchError as exc:
        raise CaptureError(str(exc)) from None
    if response.status in (404, 410):
        raise CaptureError(f"the page does not exist ({phrase(response.status)})")
    if not response.ok:
        raise CaptureError(f"the page answered {phrase(response.status)}")
    kind = response.headers.get("Content-Type", "text/html").split(";")[0].strip().lower()
    if kind and kind not in HTML_TYPES:
        raise CaptureError(f"not an HTML page ({kind}); nothing to read metadata from")
    item, named = page_metadata(
        decode_page(response.body, response.headers.get("Content-Type", ""))
    )
    # only a DOI goes to the resolver: a page's citation_doi is whatever the page says
    doi = normalise_doi(named) if named else None
    if doi:
        try:
            return from_doi(doi, fetcher, settings)
        except CaptureError:
            if not item:
                raise
    item = dict(require_metadata(item))
    # a page that moved for good is cited at its new address (what links --fix would do)
    item.setdefault("URL", response.url if response.moved else url)
    return item


def _identity(identifier: Identifier) -> tuple[str | None, str | None, str | None]:
    """(DOI, ISBN, URL) the identifier itself names."""
    if identifier.kind is Kind.DOI:
        return identifier.value, None, None
    if identifier.kind is Kind.ISBN:
        return None, identifier.value, None
    if identifier.kind is Kind.COMMONS:
        return None, None, commons_page_url(identifier.value)
    return None, None, identifier.value


def _item_identity(item: CslItem) -> tuple[str | None, str | None, str | None]:
    def first(value: object) -> str | None:
        if isinstance(value, list):
            value = value[0] if value else None
        return value if isinstance(value, str) and value.strip() else None

    return first(item.get("DOI")), first(item.get("ISBN")), first(item.get("URL"))


def add_identifiers(
    identifiers: Sequence[Identifier],
    known: Existing,
    fetcher: Fetcher,
    settings: CaptureSettings,
    *,
    today: dt.date,
    keywords: Sequence[str] = (),
    key: str | None = None,
    layout: FmtSettings | None = None,
) -> tuple[Outcome, ...]:
    """One outcome per identifier, in order; ``known`` grows with each entry added, so an
    identifier given twice is added once."""
    outcomes: list[Outcome] = []
    for identifier in identifiers:
        duplicate = known.find(*_identity(identifier))
        if duplicate is not None:
            outcomes.append(
                Outcome(identifier, duplicate_of=duplicate[0], duplicate_by=duplicate[1])
            )
            continue
        try:
            item = resolve(identifier, fetcher, settings)
        except CaptureError as exc:
            outcomes.append(Outcome(identifier, reason=str(exc)))
            continue
        identity = _item_identity(item)
        duplicate = known.find(*identity)
        if duplicate is not None:
            outcomes.append(
                Outcome(identifier, duplicate_of=duplicate[0], duplicate_by=duplicate[1])
            )
            continue
        try:
            entry = build_entry(
                item,
                today=today,
                pattern=settings.key_pattern,
                taken=known.keys,
                key=key,
                keywords=keywords,
            )
            text = entry.text(layout)
        except UnwritableEntry as exc:
            outcomes.append(Outcome(identifier, reason=str(exc)))
            continue
        known = known.with_entry(entry.key, *identity)
        outcomes.append(Outcome(identifier, entry=entry, text=text))
    return tuple(outcomes)

"""Collect the URLs a bibliography cites: ``url``, ``doi`` and URLs inside free-text fields.

Each distinct URL becomes one :class:`Link` that remembers every citing entry key and the
1-based line of the field, so one request answers for all of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from exilebib.identifiers import doi_url, unescape, url_of
from exilebib.links.model import Citation, Link
from exilebib.model import Library, Location, Source

#: Fields whose whole value is one URL.
URL_FIELDS: tuple[str, ...] = ("url",)
#: Fields whose value is a DOI, checked through the resolver.
DOI_FIELDS: tuple[str, ...] = ("doi",)
#: Free-text fields that may mention URLs (``\url{...}``, ``\href{...}{...}`` or bare).
TEXT_FIELDS: tuple[str, ...] = ("howpublished", "note")

_BARE_URL = re.compile(r"https?://[^\s{}\\<>\"]+", re.IGNORECASE)
_MACRO_URL = re.compile(r"\\(?:url|href)\s*\{([^{}]*)\}")
# Sentence punctuation that ends a bare URL in prose rather than belonging to it.
_TRAILING = ".,;:!?'"


def _trim_prose(url: str) -> str:
    """Drop sentence punctuation and an unbalanced closing parenthesis after a bare URL."""
    while url and url[-1] in _TRAILING:
        url = url[:-1]
    while url.endswith(")") and url.count(")") > url.count("("):
        url = url[:-1]
    return url


def urls_in_text(text: str) -> list[str]:
    """URLs mentioned in free text, in order: macro arguments first claim their span."""
    found: list[str] = []
    rest = text
    for match in _MACRO_URL.finditer(text):
        candidate = unescape(match.group(1))
        if candidate.lower().startswith(("http://", "https://")):
            found.append(candidate)
        rest = rest.replace(match.group(0), " ")
    found.extend(_trim_prose(unescape(match.group(0))) for match in _BARE_URL.finditer(rest))
    return [url for url in found if url]


def _source_urls(source: Source) -> Iterable[tuple[str, str, Location]]:
    """(url, field name, location) for every URL one entry cites."""
    if source.csl is not None:  # CSL-JSON items carry no field lines; use the entry's
        for name, make in (("URL", unescape), ("DOI", doi_url)):
            value = source.csl.get(name)
            if isinstance(value, str) and value.strip():
                yield make(value), name.lower(), source.location
        return
    for field in source.fields:
        if not field.value.strip():
            continue
        if field.name in URL_FIELDS:
            yield url_of(field.value), field.name, field.location
        elif field.name in DOI_FIELDS:
            yield doi_url(field.value), field.name, field.location
        elif field.name in TEXT_FIELDS:
            for url in urls_in_text(field.value):
                yield url, field.name, field.location


def collect_links(libraries: Iterable[Library]) -> tuple[Link, ...]:
    """Every distinct URL cited by ``libraries``, in order of first citation."""
    cited: dict[str, list[Citation]] = {}
    for library in libraries:
        for source in library.sources:
            for url, field, location in _source_urls(source):
                citations = cited.setdefault(url, [])
                citation = Citation(source.key, field, location)
                if citation not in citations:
                    citations.append(citation)
    return tuple(Link(url, tuple(citations)) for url, citations in cited.items())

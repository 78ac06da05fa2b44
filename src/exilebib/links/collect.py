"""Collect the URLs a bibliography cites: ``url``, ``doi`` and URLs inside free-text fields.

Each distinct URL becomes one :class:`Link` that remembers every citing entry key and the
1-based line of the field, so one request answers for all of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote

from exilebib.links.model import Citation, Link
from exilebib.model import Library, Location, Source

DOI_RESOLVER = "https://doi.org/"

#: Fields whose whole value is one URL.
URL_FIELDS: tuple[str, ...] = ("url",)
#: Fields whose value is a DOI, checked through the resolver.
DOI_FIELDS: tuple[str, ...] = ("doi",)
#: Free-text fields that may mention URLs (``\url{...}``, ``\href{...}{...}`` or bare).
TEXT_FIELDS: tuple[str, ...] = ("howpublished", "note")

# The prefixes people write in front of a DOI, longest first.
_DOI_PREFIXES = (
    "https://doi.org/",
    "http://doi.org/",
    "https://dx.doi.org/",
    "http://dx.doi.org/",
    "doi.org/",
    "doi:",
)
# In BibTeX a URL may escape these for LaTeX; the reader leaves the backslash in place.
_LATEX_ESCAPE = re.compile(r"\\([%_&#$~])")
_BARE_URL = re.compile(r"https?://[^\s{}\\<>\"]+", re.IGNORECASE)
_MACRO_URL = re.compile(r"\\(?:url|href)\s*\{([^{}]*)\}")
# Sentence punctuation that ends a bare URL in prose rather than belonging to it.
_TRAILING = ".,;:!?'"


def _clean(url: str) -> str:
    return _LATEX_ESCAPE.sub(r"\1", url.strip())


def doi_url(doi: str) -> str:
    """The resolver URL of a DOI written bare, as ``doi:...`` or as a doi.org URL."""
    text = _clean(doi)
    lowered = text.lower()
    for prefix in _DOI_PREFIXES:
        if lowered.startswith(prefix):
            text = text[len(prefix) :]
            break
    return DOI_RESOLVER + quote(text.strip(), safe="/:;()")


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
        candidate = _clean(match.group(1))
        if candidate.lower().startswith(("http://", "https://")):
            found.append(candidate)
        rest = rest.replace(match.group(0), " ")
    found.extend(_trim_prose(_clean(match.group(0))) for match in _BARE_URL.finditer(rest))
    return [url for url in found if url]


def _source_urls(source: Source) -> Iterable[tuple[str, str, Location]]:
    """(url, field name, location) for every URL one entry cites."""
    if source.csl is not None:  # CSL-JSON items carry no field lines; use the entry's
        for name, make in (("URL", _clean), ("DOI", doi_url)):
            value = source.csl.get(name)
            if isinstance(value, str) and value.strip():
                yield make(value), name.lower(), source.location
        return
    for field in source.fields:
        if not field.value.strip():
            continue
        if field.name in URL_FIELDS:
            yield _clean(field.value), field.name, field.location
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

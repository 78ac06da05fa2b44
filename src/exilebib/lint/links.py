"""URLs and DOIs: well-formed, and not the same resource under two keys."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import unquote, urlsplit

from exilebib.bibtex import RawField, ValueKind
from exilebib.errors import Severity
from exilebib.identifiers import DOI_FORM, DOI_PREFIX
from exilebib.lint.context import EntryView, LintContext
from exilebib.lint.rules import Finding, check, rule

URL_FORMAT = rule(
    "url-format",
    Severity.ERROR,
    "links",
    "url without http(s) scheme or host, with spaces, \\url{}, LaTeX escapes or bad %-escapes",
)
DOI_FORMAT = rule(
    "doi-format", Severity.ERROR, "links", "doi not of the form 10.NNNN/suffix (or given as a URL)"
)
DUPLICATE_URL = rule(
    "duplicate-url", Severity.WARNING, "links", "two entries with the same url after normalisation"
)
DUPLICATE_DOI = rule(
    "duplicate-doi",
    Severity.WARNING,
    "links",
    "two entries with the same DOI (any case, any prefix)",
)

# the reader's DOI patterns, so lint accepts what render and links read
_DOI = DOI_FORM
_DOI_PREFIX = DOI_PREFIX
_LATEX_ESCAPE = re.compile(r"\\[_%&#~$]")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_SCHEMES = ("http", "https", "ftp")
_DEFAULT_PORTS = {"http": 80, "https": 443, "ftp": 21}
_MEDIAWIKI_HOSTS = ("wikipedia.org", "wikimedia.org", "wikisource.org", "wiktionary.org")


def _value_offset(item: RawField) -> int:
    part = item.parts[0]
    return part.start + (1 if part.kind in (ValueKind.BRACED, ValueKind.QUOTED) else 0)


def url_problem(url: str) -> tuple[str, int] | None:
    """Why ``url`` is malformed and where (index into ``url``), or ``None``."""
    if url.startswith("\\url{"):
        return "it is wrapped in \\url{...}, which a url field must not be", 0
    space = re.search(r"\s", url)
    if space:
        return "it contains a space (write %20)", space.start()
    escape = _LATEX_ESCAPE.search(url)
    if escape:
        return (
            f"it contains the LaTeX escape '{escape.group()}'; url fields are verbatim, "
            f"write '{escape.group()[1]}'",
            escape.start(),
        )
    percent = _BAD_PERCENT.search(url)
    if percent:
        return "a '%' is not followed by two hex digits", percent.start()
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not one
    except ValueError as exc:  # "http://[::1", "http://[zz]/", "http://a]/", port 99999
        return f"it is not a valid URL ({exc})", 0
    if parts.scheme.lower() not in _SCHEMES:
        return "it does not start with http:// or https://", 0
    if not parts.netloc or not parts.hostname:
        return "it names no host", 0
    if url[-1] in ".,;:" or (url[-1] == ")" and url.count("(") < url.count(")")):
        return f"it ends with '{url[-1]}', probably the sentence's punctuation", len(url) - 1
    return None


def normalise_url(url: str) -> str:
    """A comparison form: scheme http/https, host case, ``www.``, default port, ``%xx``,
    trailing slash and (on MediaWiki sites) ``_`` versus space are not told apart.

    A URL that does not parse (``url_problem`` reports it) is compared as it is written.
    """
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    scheme = parts.scheme.lower()
    scheme = "http" if scheme == "https" else scheme
    host = (parts.hostname or "").lower().removeprefix("www.")
    try:
        port = parts.port
    except ValueError:
        port = None
    if port is not None and port != _DEFAULT_PORTS.get(parts.scheme.lower()):
        host += f":{port}"
    path = unquote(parts.path).rstrip("/")
    if host.endswith(_MEDIAWIKI_HOSTS):
        path = path.replace("_", " ")
        name, colon, rest = path.rpartition(":")
        if colon and rest:  # MediaWiki titles are case-insensitive in their first letter
            path = f"{name}:{rest[0].upper()}{rest[1:]}"
    query = f"?{unquote(parts.query)}" if parts.query else ""
    fragment = f"#{unquote(parts.fragment)}" if parts.fragment else ""
    return f"{scheme}://{host}{path}{query}{fragment}"


def normalise_doi(doi: str) -> str:
    """A DOI without resolver prefix, lower-cased (DOIs are case-insensitive)."""
    return unquote(_DOI_PREFIX.sub("", doi.strip())).lower()


def _entry_links(entry: EntryView) -> Iterator[Finding]:
    key = entry.key or None
    url = entry.get("url")
    item = entry.by_name.get("url")
    if url is not None and item is not None:
        problem = url_problem(url.strip()) if url.strip() else ("it is empty", 0)
        if problem is not None:
            yield Finding(
                URL_FORMAT,
                f"{entry.label}: the url is malformed: {problem[0]}",
                "give the full address as the browser shows it, without LaTeX markup",
                key=key,
                offset=_value_offset(item) + problem[1],
                entry=entry,
            )
    doi = entry.get("doi")
    item = entry.by_name.get("doi")
    if doi is not None and item is not None:
        text = doi.strip()
        bare = _DOI_PREFIX.sub("", text)
        if bare != text and _DOI.fullmatch(bare):
            yield Finding(
                DOI_FORMAT,
                f"{entry.label}: the doi field holds '{text}'; styles add the "
                "https://doi.org/ prefix themselves",
                f"write doi = {{{bare}}}",
                key=key,
                offset=_value_offset(item),
                entry=entry,
            )
        elif not _DOI.fullmatch(bare):
            yield Finding(
                DOI_FORMAT,
                f"{entry.label}: doi '{text}' is not a DOI (10.NNNN/suffix)",
                "copy the DOI from the publisher's page, e.g. doi = {10.1000/xyz123}",
                key=key,
                offset=_value_offset(item),
                entry=entry,
            )


@check
def links(context: LintContext) -> Iterator[Finding]:
    """Per-entry URL/DOI syntax, then duplicates across the file."""
    urls: dict[str, tuple[str, int, EntryView]] = {}
    dois: dict[str, tuple[str, int, EntryView]] = {}
    for entry in context.entries:
        yield from _entry_links(entry)
        key = entry.key or None
        seen_here: set[str] = set()
        for name in ("doi", "url"):
            value = entry.get(name)
            item = entry.by_name.get(name)
            if not value or not value.strip() or item is None:
                continue
            line = context.position(item.name_start)[0]
            doi = normalise_doi(value)
            if (name == "doi" or doi != value.strip().lower()) and _DOI.fullmatch(doi):
                if doi in seen_here:
                    continue
                seen_here.add(doi)
                first = dois.setdefault(doi, (entry.key, line, entry))
                if first[2] is not entry:
                    yield Finding(
                        DUPLICATE_DOI,
                        f"{entry.label} has the DOI {doi} of entry '{first[0]}' (line {first[1]})",
                        "merge the two entries, or correct the DOI of one of them",
                        key=key,
                        offset=_value_offset(item),
                        entry=entry,
                    )
                continue
            if name == "url":
                normal = normalise_url(value)
                first = urls.setdefault(normal, (entry.key, line, entry))
                if first[2] is not entry:
                    yield Finding(
                        DUPLICATE_URL,
                        f"{entry.label} has the url of entry '{first[0]}' (line "
                        f"{first[1]}), after normalisation",
                        "merge the two entries, or point one of them at its own page",
                        key=key,
                        offset=_value_offset(item),
                        entry=entry,
                    )

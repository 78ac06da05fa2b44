"""What the user typed, read as a DOI, an ISBN, a Commons file or a web page (no I/O).

A malformed identifier (an ISBN whose check digit is wrong, ``doi:`` before something that
is no DOI) is a :class:`~exilebib.errors.UsageError`, raised before any request is sent.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, unquote, urlsplit, urlunsplit

from exilebib.errors import UsageError
from exilebib.lint.identifiers import isbn_problem


class Kind(enum.Enum):
    DOI = "doi"
    ISBN = "isbn"
    COMMONS = "commons"  #: a Wikimedia Commons file page
    WEB = "web"  #: any other http(s) URL


@dataclass(frozen=True, slots=True)
class Identifier:
    """``text`` as typed; ``value`` normalised: a DOI without prefix, an ISBN-13's digits,
    a Commons title (``File:Name.jpg``) or an absolute URL."""

    text: str
    kind: Kind
    value: str


#: A DOI as Crossref recommends matching it: the directory indicator 10, a registrant code
#: of digits (with dot-separated subdivisions) and any suffix without white space.
DOI_PATTERN = re.compile(r"10\.\d{4,9}(?:\.\d+)*/\S+")
#: How people write a DOI in front of the number, compared case-insensitively.
DOI_PREFIXES: tuple[str, ...] = (
    "https://doi.org/",
    "http://doi.org/",
    "https://dx.doi.org/",
    "http://dx.doi.org/",
    "https://www.doi.org/",
    "http://www.doi.org/",
    "doi.org/",
    "doi:",
)
#: BibTeX escapes people write in ``doi`` and ``url`` values (``10.1000/a\_b``).
_BIBTEX_ESCAPE = re.compile(r"\\([%_&#$~])")
#: Ports a URL names without changing where it points (http and https are compared alike).
DEFAULT_PORTS: frozenset[int] = frozenset({80, 443})
ISBN_PREFIX = "isbn:"
#: Hosts of Wikimedia Commons file pages (desktop and mobile).
COMMONS_HOSTS: frozenset[str] = frozenset({"commons.wikimedia.org", "commons.m.wikimedia.org"})
#: The namespace of file pages; ``Image:`` is its old alias, still redirected by MediaWiki.
FILE_NAMESPACES: tuple[str, ...] = ("File:", "Image:")

_ISBN_CHARS = re.compile(r"[\dXx][\d\s-]*[\dXx]")


def normalise_doi(text: str) -> str | None:
    """The DOI in ``text`` (prefix dropped, lower-cased: DOIs are case-insensitive)."""
    value = _BIBTEX_ESCAPE.sub(r"\1", text.strip())
    lowered = value.lower()
    for prefix in DOI_PREFIXES:
        if lowered.startswith(prefix):
            value = unquote(value[len(prefix) :]).strip()
            break
    return value.lower() if DOI_PATTERN.fullmatch(value) else None


def isbn13(text: str) -> str | None:
    """The ISBN-13 digits of a valid ISBN-10 or ISBN-13, else ``None``."""
    digits = re.sub(r"[\s-]", "", text).upper()
    if isbn_problem(digits) is not None:
        return None
    if len(digits) == 13:
        return digits
    body = "978" + digits[:9]
    check = (10 - sum((1 if i % 2 == 0 else 3) * int(c) for i, c in enumerate(body)) % 10) % 10
    return body + str(check)


def commons_title(text: str) -> str | None:
    """``File:Name.jpg`` from a Commons file page URL or a bare ``File:`` title."""
    value = text.strip()
    if value.startswith(FILE_NAMESPACES):
        name = value.split(":", 1)[1]
    else:
        parts = urlsplit(value)
        if parts.scheme.lower() not in ("http", "https"):
            return None
        if (parts.hostname or "").lower() not in COMMONS_HOSTS:
            return None
        path = unquote(parts.path)
        if path == "/w/index.php":  # the page's edit/history form: ?title=File:...
            path = "/wiki/" + next(iter(parse_qs(parts.query).get("title", [])), "")
        prefix = next(
            (f"/wiki/{ns}" for ns in FILE_NAMESPACES if path.startswith(f"/wiki/{ns}")), None
        )
        if prefix is None:
            return None
        name = path[len(prefix) :]
    name = name.replace("_", " ").strip()
    return f"File:{name}" if name else None


def commons_page_url(title: str) -> str:
    """The file page URL of a Commons title, written as MediaWiki writes its links."""
    return "https://commons.wikimedia.org/wiki/" + quote(title.replace(" ", "_"), safe=":/(),'!*@;")


def normalise_url(url: str) -> str:
    """A URL in the form duplicates are compared in: http and https alike, host without
    ``www.`` or a default port, path percent-decoded (so the essay's encoded Commons URLs
    match), BibTeX escapes (``\\_``) read, Commons
    titles with ``_`` for spaces, no fragment, no trailing slash."""
    text = url.strip()
    text = _BIBTEX_ESCAPE.sub(r"\1", text)
    try:
        parts = urlsplit(text)
    except ValueError:
        return text
    host = (parts.hostname or "").lower().removeprefix("www.")
    number = _port(parts)
    port = f":{number}" if number and number not in DEFAULT_PORTS else ""
    path = unquote(parts.path)
    if host in COMMONS_HOSTS:
        host = "commons.wikimedia.org"
        path = path.replace(" ", "_").replace("/wiki/Image:", "/wiki/File:")
    path = path.rstrip("/")
    return urlunsplit(("http", host + port, path, parts.query, ""))


def _port(parts: object) -> int | None:
    try:
        return getattr(parts, "port", None)
    except ValueError:
        return None


def parse_identifier(text: str) -> Identifier:
    """Read one identifier; raise :class:`UsageError` when it is malformed."""
    value = text.strip()
    lowered = value.lower()
    if not value:
        raise UsageError("an empty identifier: give a DOI, an ISBN or a URL")
    if lowered.startswith(ISBN_PREFIX):
        digits = value[len(ISBN_PREFIX) :].strip()
        found = isbn13(digits)
        if found is None:
            problem = isbn_problem(digits) or "not an ISBN"
            raise UsageError(f"{text}: not a valid ISBN: {problem}")
        return Identifier(text, Kind.ISBN, found)
    if lowered.startswith(("doi:", "10.")) or any(lowered.startswith(p) for p in DOI_PREFIXES):
        doi = normalise_doi(value)
        if doi is None:
            raise UsageError(
                f"{text}: not a DOI (a DOI looks like 10.1000/xyz123: '10.', a registrant "
                "number, '/', a suffix)"
            )
        return Identifier(text, Kind.DOI, doi)
    if _ISBN_CHARS.fullmatch(value):
        digits = re.sub(r"[\s-]", "", value)
        if len(digits) in (10, 13):
            found = isbn13(digits)
            if found is None:
                raise UsageError(f"{text}: not a valid ISBN: {isbn_problem(digits)}")
            return Identifier(text, Kind.ISBN, found)
        raise UsageError(f"{text}: not an identifier: an ISBN has 10 or 13 digits")
    title = commons_title(value)
    if title is not None:
        return Identifier(text, Kind.COMMONS, title)
    parts = urlsplit(value)
    if parts.scheme.lower() in ("http", "https") and parts.hostname and " " not in value:
        return Identifier(text, Kind.WEB, value)
    raise UsageError(
        f"{text}: not an identifier exilebib can add: give a DOI (10.1000/xyz), an ISBN "
        "(isbn:978...), a Commons file (File:Name.jpg) or an http(s) URL"
    )

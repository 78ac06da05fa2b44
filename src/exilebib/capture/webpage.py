"""A web page's own metadata as a CSL-JSON item.

Four vocabularies, read in this order (the first one that gives a title is the base; later
ones fill what it lacks, as Zotero's embedded-metadata translator merges them):

1. Highwire Press ``citation_*`` meta tags (what Google Scholar reads; journals and
   repositories write them). A ``citation_doi`` sends the page through the DOI path instead.
2. JSON-LD (``<script type="application/ld+json">``) objects of the types in
   :data:`JSONLD_TYPES`, at the top level, in a list or in an ``@graph``.
3. Dublin Core (``DC.*``/``DCTERMS.*`` meta tags).
4. OpenGraph (``og:*`` and ``article:*`` properties).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from html.parser import HTMLParser
from typing import Any

from exilebib.capture.sources import CaptureError, html_text
from exilebib.csl import CslItem

#: JSON-LD types read, and the CSL type each gives.
JSONLD_TYPES: Mapping[str, str] = {
    "ScholarlyArticle": "article-journal",
    "Article": "webpage",
    "NewsArticle": "article-newspaper",
    "BlogPosting": "webpage",
    "WebPage": "webpage",
    "Book": "book",
}

#: Highwire tags that name the kind of work → (CSL type, the CSL variable the tag fills).
HIGHWIRE_KINDS: tuple[tuple[str, str, str], ...] = (
    ("citation_journal_title", "article-journal", "container-title"),
    ("citation_conference_title", "paper-conference", "container-title"),
    ("citation_inbook_title", "chapter", "container-title"),
    ("citation_book_title", "chapter", "container-title"),
    ("citation_dissertation_institution", "thesis", "publisher"),
    ("citation_technical_report_institution", "report", "publisher"),
)
#: Highwire tags copied to one CSL variable each.
HIGHWIRE_FIELDS: Mapping[str, str] = {
    "citation_volume": "volume",
    "citation_issue": "issue",
    "citation_publisher": "publisher",
    "citation_isbn": "ISBN",
    "citation_issn": "ISSN",
    "citation_technical_report_number": "number",
}
HIGHWIRE_DATES: tuple[str, ...] = (
    "citation_publication_date",
    "citation_date",
    "citation_cover_date",
    "citation_online_date",
)
DC_PREFIXES: tuple[str, ...] = ("dc.", "dcterms.", "dc:", "dcterms:")

_DATE = re.compile(r"^\s*(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?(?:[T\s].*)?$")


class _Collector(HTMLParser):
    """Meta tags (name or property → contents, in order) and JSON-LD scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, list[str]] = {}
        self.scripts: list[str] = []
        self._in_jsonld = False
        self._buffer: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name.lower(): value or "" for name, value in attrs}
        if tag == "meta":
            name = (found.get("name") or found.get("property") or "").strip().lower()
            content = found.get("content", "").strip()
            if name and content:
                self.meta.setdefault(name, []).append(content)
        elif tag == "script" and found.get("type", "").strip().lower() == "application/ld+json":
            self._in_jsonld = True
            self._buffer = []

    def handle_data(self, data: str) -> None:
        if self._in_jsonld:
            self._buffer.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._in_jsonld:
            self._in_jsonld = False
            self.scripts.append("".join(self._buffer))


def parse_date(text: str) -> dict[str, Any] | None:
    match = _DATE.match(text)
    if not match:
        return None
    parts = [int(part) for part in match.groups() if part]
    if (len(parts) > 1 and not 1 <= parts[1] <= 12) or (len(parts) > 2 and not 1 <= parts[2] <= 31):
        return None
    return {"date-parts": [parts]}


def _name(text: str) -> dict[str, str]:
    text = " ".join(text.split())
    if "," in text:
        family, _, given = text.partition(",")
        return {"family": family.strip(), "given": given.strip()}
    words = text.split()
    if len(words) < 2:
        return {"literal": text}
    return {"family": words[-1], "given": " ".join(words[:-1])}


def _first(meta: Mapping[str, list[str]], *names: str) -> str | None:
    for name in names:
        values = meta.get(name)
        if values:
            return values[0]
    return None


def highwire(meta: Mapping[str, list[str]]) -> CslItem:
    title = _first(meta, "citation_title")
    if not title:
        return {}
    item: CslItem = {"type": "webpage", "title": title}
    for tag, kind, variable in HIGHWIRE_KINDS:
        value = _first(meta, tag)
        if value:
            item["type"] = kind
            item[variable] = value
            break
    authors = [_name(a) for a in meta.get("citation_author", []) if a.strip()]
    if authors:
        item["author"] = authors
    date = next(
        (d for d in (parse_date(v) for t in HIGHWIRE_DATES for v in meta.get(t, [])) if d), None
    )
    if date:
        item["issued"] = date
    for tag, variable in HIGHWIRE_FIELDS.items():
        value = _first(meta, tag)
        if value:
            item.setdefault(variable, value)
    first, last = _first(meta, "citation_firstpage"), _first(meta, "citation_lastpage")
    if first:
        item["page"] = f"{first}-{last}" if last and last != first else first
    if item["type"] == "webpage" and "ISBN" in item:
        item["type"] = "book"
    return item


def _objects(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for element in data:
            yield from _objects(element)
    elif isinstance(data, dict):
        yield data
        yield from _objects(data.get("@graph"))


def _types(obj: Mapping[str, Any]) -> list[str]:
    kind = obj.get("@type")
    return (
        [kind]
        if isinstance(kind, str)
        else [k for k in kind if isinstance(k, str)]
        if isinstance(kind, list)
        else []
    )


#: How deep a JSON-LD value is followed for its text (``{"name": {"@value": ...}}``).
MAX_LD_DEPTH = 4


def _ld_text(value: Any) -> str | None:
    for _ in range(MAX_LD_DEPTH):
        if isinstance(value, list):
            value = value[0] if value else None
        elif isinstance(value, dict):
            value = value.get("name") or value.get("@value")
        else:
            break
    return html_text(value) if isinstance(value, str) and value.strip() else None


def _ld_names(value: Any) -> list[dict[str, str]]:
    found: list[dict[str, str]] = []
    for person in value if isinstance(value, list) else [value]:
        name = _ld_text(person)
        if not name or name.startswith(("http://", "https://")):
            continue
        organisation = isinstance(person, dict) and "Organization" in _types(person)
        found.append({"literal": name} if organisation else _name(name))
    return found


def jsonld(scripts: list[str]) -> CslItem:
    for script in scripts:
        try:
            data = json.loads(script)
            objects = list(_objects(data))
        except (ValueError, RecursionError):
            continue  # a broken (or absurdly nested) script is the page's problem, not fatal
        for obj in objects:
            kind = next((JSONLD_TYPES[t] for t in _types(obj) if t in JSONLD_TYPES), None)
            title = _ld_text(obj.get("headline")) or _ld_text(obj.get("name"))
            if kind is None or not title:
                continue
            item: CslItem = {"type": kind, "title": title}
            names = _ld_names(obj.get("author"))
            if names:
                item["author"] = names
            date = _ld_text(obj.get("datePublished")) or _ld_text(obj.get("dateCreated"))
            issued = parse_date(date) if date else None
            if issued:
                item["issued"] = issued
            publisher = _ld_text(obj.get("publisher"))
            container = _ld_text(obj.get("isPartOf"))
            if kind == "article-newspaper":
                container = container or publisher
            if kind == "webpage":
                container = container or publisher
            elif publisher and kind != "article-newspaper":
                item["publisher"] = publisher
            if container:
                item["container-title"] = container
            if kind == "book":
                isbn = _ld_text(obj.get("isbn"))
                if isbn:
                    item["ISBN"] = isbn
            return item
    return {}


def dublin_core(meta: Mapping[str, list[str]]) -> CslItem:
    def get(name: str) -> list[str]:
        return [v for prefix in DC_PREFIXES for v in meta.get(prefix + name, [])]

    titles = get("title")
    if not titles:
        return {}
    item: CslItem = {"type": "webpage", "title": titles[0]}
    authors = [_name(a) for a in get("creator") if a.strip()]
    if authors:
        item["author"] = authors
    date = next(
        (d for d in map(parse_date, get("date") + get("issued") + get("created")) if d), None
    )
    if date:
        item["issued"] = date
    publisher = get("publisher")
    if publisher:
        item["container-title"] = publisher[0]
    return item


def opengraph(meta: Mapping[str, list[str]]) -> CslItem:
    title = _first(meta, "og:title")
    if not title:
        return {}
    item: CslItem = {"type": "webpage", "title": title}
    site = _first(meta, "og:site_name")
    if site:
        item["container-title"] = site
    date = _first(meta, "article:published_time")
    issued = parse_date(date) if date else None
    if issued:
        item["issued"] = issued
    authors = [_name(a) for a in meta.get("article:author", []) if not a.startswith("http")]
    if authors:
        item["author"] = authors
    return item


#: Bytes of a page searched for a ``<meta charset>`` (HTML's prescan looks at 1024).
CHARSET_PRESCAN = 1024
#: What a page that names no charset and is not UTF-8 is read as (browsers do the same).
FALLBACK_CHARSET = "windows-1252"
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.I)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def _decodes(body: bytes, charset: str, *, strict: bool = False) -> str | None:
    try:
        return body.decode(charset, errors="strict" if strict else "replace")
    except (LookupError, UnicodeDecodeError):
        return None


def decode_page(body: bytes, content_type: str) -> str:
    """A page's text, in the encoding HTML says to read it in: a byte order mark, the
    ``Content-Type`` charset, a ``<meta charset>`` near the start; else UTF-8 when it is
    valid UTF-8, else windows-1252 (an old page in Latin-1 keeps its accents)."""
    for mark, charset in _BOMS:
        if body.startswith(mark):
            return body.decode(charset, errors="replace")
    named = [
        value.strip().strip("\"'")
        for name, _, value in (part.strip().partition("=") for part in content_type.split(";")[1:])
        if name.lower() == "charset"
    ]
    found = _META_CHARSET.search(body[:CHARSET_PRESCAN])
    if found:
        named.append(found.group(1).decode("ascii"))
    for charset in named:
        text = _decodes(body, charset)
        if text is not None:
            return text
    return _decodes(body, "utf-8", strict=True) or body.decode(FALLBACK_CHARSET, "replace")


def page_metadata(text: str) -> tuple[CslItem, str | None]:
    """The page's item (empty when it has none) and the DOI its Highwire tags name."""
    collector = _Collector()
    try:
        collector.feed(text)
        collector.close()
    except (AssertionError, ValueError):  # html.parser gives up on some broken markup
        pass
    meta = collector.meta
    doi = _first(meta, "citation_doi", "dc.identifier.doi")
    readers: tuple[Callable[[], CslItem], ...] = (
        lambda: highwire(meta),
        lambda: jsonld(collector.scripts),
        lambda: dublin_core(meta),
        lambda: opengraph(meta),
    )
    item: CslItem = {}
    for read in readers:
        found = read()
        if not found:
            continue
        if not item:
            item = found
            continue
        for variable in ("author", "issued", "container-title", "publisher"):
            if variable in found:
                item.setdefault(variable, found[variable])
    if item:
        item["title"] = html_text(str(item["title"]))
    return item, doi


def require_metadata(item: CslItem) -> CslItem:
    if not item:
        raise CaptureError(
            "the page has no citation metadata (no Highwire citation_* tags, JSON-LD, "
            "Dublin Core or OpenGraph title)"
        )
    return item

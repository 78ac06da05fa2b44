"""Each service's answer as a CSL-JSON item: DOI content negotiation, Open Library, Commons.

Every function takes what :class:`~exilebib.capture.fetch.Fetcher` got and returns an item
or raises :class:`CaptureError` with the reason in a few words; nothing here sends requests
itself except through the fetcher it is given.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlencode

from exilebib.capture.fetch import Fetcher, FetchError, Response, phrase
from exilebib.capture.identifiers import commons_page_url
from exilebib.capture.settings import CaptureSettings
from exilebib.csl import CslItem

#: What the DOI resolver is asked for: CSL-JSON, which Crossref, DataCite and mEDRA serve.
CSL_JSON = "application/vnd.citationstyles.csl+json"
JSON = "application/json"


class CaptureError(Exception):
    """An identifier that could not be made into an entry; the message says why."""


def _json(response: Response, what: str) -> Any:
    try:
        return json.loads(response.body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise CaptureError(f"{what} answered with malformed JSON") from None


def get_ok(fetcher: Fetcher, url: str, accept: str, what: str) -> Response:
    try:
        response = fetcher.get(url, accept)
    except FetchError as exc:
        raise CaptureError(f"{what}: {exc}") from None
    if response.status in (404, 410):
        raise CaptureError(f"{what} does not know it ({phrase(response.status)})")
    if not response.ok:
        raise CaptureError(f"{what} answered {phrase(response.status)}")
    return response


# ------------------------------------------------------------------------------ DOI


def from_doi(doi: str, fetcher: Fetcher, settings: CaptureSettings) -> CslItem:
    """Content negotiation at the resolver, which redirects to the registration agency."""
    url = f"{settings.doi_resolver}/{quote(doi, safe='/:;()._-')}"
    response = get_ok(fetcher, url, CSL_JSON, "the DOI resolver")
    data = _json(response, "the DOI resolver")
    if isinstance(data, list) and len(data) == 1:
        data = data[0]
    if not isinstance(data, dict) or not data.get("title") or not data.get("type"):
        raise CaptureError("the DOI resolver's answer is not a CSL-JSON item with a title")
    item: CslItem = {key: value for key, value in data.items() if key in CSL_KEPT}
    for key in ("title", "container-title", "container-title-short", "publisher"):
        value = item.get(key)
        if isinstance(value, list):  # Crossref has sent lists for these
            item[key] = value[0] if value else ""
    if not isinstance(item.get("title"), str) or not item["title"].strip():
        raise CaptureError("the DOI resolver's answer has no title")
    subtitle = data.get("subtitle")
    if isinstance(subtitle, list):
        subtitle = subtitle[0] if subtitle else None
    if isinstance(subtitle, str) and subtitle.strip() and subtitle not in item["title"]:
        item["title"] = f"{item['title']}: {subtitle.strip()}"
    item["DOI"] = str(data.get("DOI") or doi)
    link: object = item.get("URL")
    if isinstance(link, str) and re.match(r"https?://(dx\.)?doi\.org/", link, re.IGNORECASE):
        del item["URL"]  # the DOI says it; a resolver URL in url would only repeat it
    return item


#: CSL variables taken from a DOI record; the rest (reference lists, funders, licence
#: links, abstracts in JATS) are not bibliography data.
CSL_KEPT: frozenset[str] = frozenset(
    {
        "type", "title", "title-short", "container-title", "container-title-short",
        "collection-title", "collection-number", "author", "editor", "translator",
        "container-author", "issued", "volume", "issue", "page", "number", "edition",
        "publisher", "publisher-place", "event-title", "event-place", "genre", "ISBN",
        "ISSN", "DOI", "URL", "language", "number-of-pages", "version", "original-date",
        "medium", "archive", "status",
    }
)  # fmt: skip


# ------------------------------------------------------------------------ Open Library


def from_isbn(isbn: str, fetcher: Fetcher, settings: CaptureSettings) -> CslItem:
    """Open Library's books API: ``{"ISBN:...": {title, authors, publishers, ...}}``."""
    query = urlencode({"bibkeys": f"ISBN:{isbn}", "format": "json", "jscmd": "data"})
    response = get_ok(fetcher, f"{settings.openlibrary}/api/books?{query}", JSON, "Open Library")
    data = _json(response, "Open Library")
    if not isinstance(data, dict):
        raise CaptureError("Open Library answered with something other than a JSON object")
    book = next(iter(data.values()), None) if data else None
    if not isinstance(book, dict) or not isinstance(book.get("title"), str):
        raise CaptureError("Open Library has no book with this ISBN")
    item: CslItem = {"type": "book", "title": book["title"].strip()}
    subtitle = book.get("subtitle")
    if isinstance(subtitle, str) and subtitle.strip():
        item["title"] = f"{item['title']}: {subtitle.strip()}"
    authors = [a.get("name") for a in _dicts(book.get("authors"))]
    names = [_person(name) for name in authors if isinstance(name, str) and name.strip()]
    if names:
        item["author"] = names
    publisher = _first_name(book.get("publishers"))
    if publisher:
        item["publisher"] = publisher
    place = _first_name(book.get("publish_places"))
    if place:
        item["publisher-place"] = place
    year = re.search(r"\b(1[5-9]\d\d|20\d\d)\b", str(book.get("publish_date") or ""))
    if year:
        item["issued"] = {"date-parts": [[int(year.group(1))]]}
    pages = book.get("number_of_pages")
    if isinstance(pages, int) and pages > 0:
        item["number-of-pages"] = str(pages)
    item["ISBN"] = isbn
    return item


def _dicts(value: object) -> list[Mapping[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _first_name(value: object) -> str | None:
    for item in _dicts(value):
        name = item.get("name")
        if isinstance(name, str) and name.strip():
            return name.strip()
    return None


def _person(name: str) -> dict[str, str]:
    """A personal name written "Given Family" (as Open Library and Commons give them) as a
    CSL name; one word, or a name with digits, stays as written."""
    words = name.split()
    if "," in name:
        family, _, given = name.partition(",")
        return {"family": family.strip(), "given": given.strip()}
    if len(words) < 2 or any(char.isdigit() for char in name):
        return {"literal": name.strip()}
    return {"family": words[-1], "given": " ".join(words[:-1])}


# ------------------------------------------------------------------ Wikimedia Commons

#: What Commons writes in ``Artist`` when nobody is known ("Unknown author", "Unknown
#: photographer", "Anonymous"): no author, not an author named so.
UNKNOWN_AUTHOR = re.compile(r"^\s*(?:unknown|anonymous)\b", re.IGNORECASE)
#: A file without an object name is titled by its description when that is this short
#: (a caption, not a paragraph), else by its file name.
MAX_DESCRIPTION_TITLE = 120
_TAG = re.compile(r"<[^>]*>")
_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[ T][\d:]+)?$")
_TIME_ELEMENT = re.compile(r"<time[^>]*\bdatetime=\"([^\"]+)\"", re.IGNORECASE)


#: Elements whose content is not text (a script inside an ``Artist`` is not a name).
_HIDDEN = re.compile(r"<(script|style|template)\b[^>]*>.*?(?:</\1\s*>|$)", re.I | re.S)
#: Tags that break a line (block elements): a space, so the words around them stay apart.
_BREAK = re.compile(
    r"</?(?:br|p|div|li|ul|ol|dl|dt|dd|tr|td|th|table|h[1-6]|hr|blockquote)\b[^>]*>", re.I
)


def html_text(value: str) -> str:
    """Text of an HTML fragment: tags dropped (the content of scripts and styles too,
    block tags as a space), entities decoded, white space collapsed."""
    text = _BREAK.sub(" ", _HIDDEN.sub(" ", value))
    text = html.unescape(_TAG.sub("", text))
    return " ".join(text.split())


def commons_date(value: str) -> list[int] | None:
    """Date parts of ``DateTimeOriginal`` where it is a date (``1920``, ``1920-05-05``,
    ``1920-05-05 14:30:00``, or an HTML ``<time datetime>``); prose gives ``None``."""
    match = _TIME_ELEMENT.search(value)
    text = match.group(1) if match else html_text(value)
    found = _ISO_DATE.match(text.strip())
    if not found:
        return None
    parts = [int(part) for part in found.groups() if part]
    if len(parts) > 1 and not 1 <= parts[1] <= 12:
        return None
    if len(parts) > 2 and not 1 <= parts[2] <= 31:
        return None
    return parts


def from_commons(title: str, fetcher: Fetcher, settings: CaptureSettings) -> CslItem:
    """The MediaWiki API's ``imageinfo`` with ``extmetadata`` (format version 2)."""
    query = urlencode(
        {
            "action": "query",
            "format": "json",
            "formatversion": "2",
            "prop": "imageinfo",
            "iiprop": "extmetadata|url",
            "iiextmetadatalanguage": "en",
            "titles": title,
        }
    )
    separator = "&" if "?" in settings.commons_api else "?"
    response = get_ok(fetcher, f"{settings.commons_api}{separator}{query}", JSON, "Commons")
    data = _json(response, "Commons")
    answer = data.get("query") if isinstance(data, dict) else None
    pages = answer.get("pages") if isinstance(answer, dict) else None
    if isinstance(pages, dict):  # format version 1: pages by id
        pages = list(pages.values())
    page = pages[0] if isinstance(pages, list) and pages and isinstance(pages[0], dict) else None
    if page is None:
        error = data.get("error") if isinstance(data, dict) else None
        error = error.get("info") if isinstance(error, dict) else None
        raise CaptureError(f"Commons answered without a page{': ' + error if error else ''}")
    infos = page.get("imageinfo")
    # format version 2 writes "missing": true; version 1 an empty "missing" (and "invalid")
    absent = any(name in page and page[name] is not False for name in ("missing", "invalid"))
    if absent or not isinstance(infos, list) or not infos:
        raise CaptureError(f"Commons has no file {title}")
    info = infos[0] if isinstance(infos[0], dict) else {}
    found = info.get("extmetadata")
    meta: dict[str, Any] = found if isinstance(found, dict) else {}

    def value(name: str) -> str:
        entry = meta.get(name)
        raw = entry.get("value") if isinstance(entry, dict) else None
        return raw if isinstance(raw, str) else ""

    name = str(page.get("title") or title)
    description = html_text(value("ImageDescription"))
    label = (
        html_text(value("ObjectName"))
        or (description if 0 < len(description) <= MAX_DESCRIPTION_TITLE else "")
        or re.sub(r"\.[A-Za-z0-9]+$", "", name.split(":", 1)[-1])
    )
    item: CslItem = {"type": "graphic", "title": label, "publisher": "Wikimedia Commons"}
    artist = html_text(value("Artist"))
    if artist and not UNKNOWN_AUTHOR.match(artist):
        item["author"] = [_person(artist)]
    date = commons_date(value("DateTimeOriginal"))
    if date:
        item["issued"] = {"date-parts": [date]}
    page_url = info.get("descriptionurl")
    item["URL"] = page_url if isinstance(page_url, str) and page_url else commons_page_url(name)
    licence = html_text(value("LicenseShortName"))
    if licence:
        item["note"] = licence
    return item

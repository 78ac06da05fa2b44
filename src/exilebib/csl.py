"""BibTeX/BibLaTeX entries → CSL-JSON items, driven by the tables in this module.

The tables follow biblatex's data model first and accept classic BibTeX aliases
(``journal``, ``address``, ``year``/``month``); the research notes (bibtex-standards.md
§2.2) list the decisions. Fields with no CSL counterpart are listed in
:data:`UNMAPPED_FIELDS` on purpose; every other unknown field is reported by
:func:`unmapped_fields` so nothing is dropped without a word.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from exilebib.dates import from_fields, parse_edtf
from exilebib.latex import to_csl_text, to_plain
from exilebib.model import Source
from exilebib.names import parse_names

CslItem = dict[str, Any]

#: Entry type → CSL type. ``entrysubtype`` refines ``@article`` (see :data:`ARTICLE_SUBTYPES`).
TYPES: Mapping[str, str] = {
    "article": "article-journal",
    "book": "book",
    "mvbook": "book",
    "collection": "book",
    "mvcollection": "book",
    "proceedings": "book",
    "mvproceedings": "book",
    "reference": "book",
    "mvreference": "book",
    "inbook": "chapter",
    "incollection": "chapter",
    "bookinbook": "chapter",
    "suppbook": "chapter",
    "suppcollection": "chapter",
    "inreference": "entry-encyclopedia",
    "online": "webpage",
    "www": "webpage",
    "electronic": "webpage",
    "image": "graphic",
    "artwork": "graphic",
    "misc": "document",
    "unpublished": "manuscript",
    "letter": "letter",
    "thesis": "thesis",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "report": "report",
    "techreport": "report",
    "manual": "report",
    "booklet": "pamphlet",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "periodical": "periodical",
    "dataset": "dataset",
    "software": "software",
    "movie": "motion_picture",
    "video": "motion_picture",
    "audio": "song",
    "music": "song",
    "patent": "patent",
    "standard": "standard",
    "review": "review",
    "suppperiodical": "article-journal",
    "jurisdiction": "legal_case",
    "legislation": "legislation",
    "legal": "legislation",
    "performance": "performance",
    "interview": "interview",
}

#: ``@article`` with ``entrysubtype`` → CSL type.
ARTICLE_SUBTYPES: Mapping[str, str] = {
    "magazine": "article-magazine",
    "newspaper": "article-newspaper",
}

#: Default ``genre`` of thesis types when the entry has no ``type`` field.
THESIS_GENRES: Mapping[str, str] = {
    "phdthesis": "PhD thesis",
    "mastersthesis": "Master's thesis",
}

#: biblatex's localisation keys for the ``type`` field (``type = {phdthesis}``), as its
#: English strings print them; any other ``type`` value is printed as written.
TYPE_KEYS: Mapping[str, str] = {
    "phdthesis": "PhD thesis",
    "mathesis": "Master's thesis",
    "mastersthesis": "Master's thesis",
    "candthesis": "Candidate thesis",
    "techreport": "Technical report",
    "resreport": "Research report",
    "software": "Computer software",
    "datacd": "CD-ROM",
    "audiocd": "Audio CD",
}

#: Name fields → CSL name variables.
NAME_FIELDS: Mapping[str, str] = {
    "author": "author",
    "editor": "editor",
    "translator": "translator",
    "bookauthor": "container-author",
    "director": "director",
    "illustrator": "illustrator",
    "composer": "composer",
    "recipient": "recipient",
    "interviewer": "interviewer",
    "editora": "editorial-director",
    "origauthor": "original-author",
    "holder": "author",
}

#: Text fields → CSL variables, converted from LaTeX with case protection.
TEXT_FIELDS: Mapping[str, str] = {
    "shorttitle": "title-short",
    "shortjournal": "container-title-short",
    "series": "collection-title",
    "edition": "edition",
    "location": "publisher-place",
    "address": "publisher-place",
    "origlocation": "original-publisher-place",
    "origpublisher": "original-publisher",
    "origtitle": "original-title",
    "eventtitle": "event-title",
    "venue": "event-place",
    "version": "version",
    "abstract": "abstract",
    "annotation": "annote",
    "annote": "annote",
    "library": "archive",
    "archive": "archive",
    "archive_location": "archive_location",
    "callnumber": "call-number",
    "medium": "medium",
    "type": "genre",
    "howpublished": "medium",
    "pagetotal": "number-of-pages",
    "volumes": "number-of-volumes",
    "chapter": "chapter-number",
    "eid": "number",
    "part": "part",
    "keywords": "keyword",
    "pubstate": "status",
    "isbn": "ISBN",
    "issn": "ISSN",
    "pmid": "PMID",
    "pmcid": "PMCID",
    "dimensions": "dimensions",
    "scale": "scale",
}

#: Fields copied byte for byte (never LaTeX-decoded: ``%`` and ``_`` are part of them).
RAW_FIELDS: Mapping[str, str] = {"url": "URL", "doi": "DOI"}

#: Date fields → CSL date variables.
DATE_FIELDS: Mapping[str, str] = {
    "date": "issued",
    "urldate": "accessed",
    "origdate": "original-date",
    "eventdate": "event-date",
}

#: Publisher-like fields, joined with "; " in this order (as pandoc does).
PUBLISHER_FIELDS: tuple[str, ...] = ("publisher", "organization", "institution", "school")

#: Per CSL type, fields that mean something else than the general tables say.
TYPE_OVERRIDES: Mapping[str, Mapping[str, str]] = {
    # A web page's organization is the site that carries it (Chicago: "Hoover Institution").
    "webpage": {"organization": "container-title"},
    # A thesis, report or manual's number is its report number; an article's is its issue.
    "article-journal": {"number": "issue"},
    "article-magazine": {"number": "issue"},
    "article-newspaper": {"number": "issue"},
    "periodical": {"number": "issue"},
}

#: Fields read by other rules or deliberately not passed on to CSL.
UNMAPPED_FIELDS: frozenset[str] = frozenset(
    {
        # consumed by the rules below
        "title", "subtitle", "titleaddon", "journaltitle", "journal", "journalsubtitle",
        "booktitle", "booksubtitle", "maintitle", "mainsubtitle", "issuetitle",
        "year", "month", "day", "endyear", "pages", "volume", "number", "issue",
        "note", "addendum", "entrysubtype", "options", "langid", "hyphenation", "language",
        "eprint", "eprinttype", "archiveprefix", "primaryclass", "url", "doi",
        "publisher", "organization", "institution", "school",
        # bookkeeping with no CSL meaning
        "crossref", "xdata", "file", "owner", "timestamp", "groups", "key", "sortkey",
        "sortname", "presort", "ids", "related", "relatedtype", "urlyear", "urlmonth",
        "exilebib-lint-disable",
    }
    | set(NAME_FIELDS)
    | set(TEXT_FIELDS)
    | set(DATE_FIELDS)
)

#: ``eprinttype`` → URL prefix for the eprint identifier.
EPRINT_URLS: Mapping[str, str] = {
    "arxiv": "https://arxiv.org/abs/",
    "jstor": "https://www.jstor.org/stable/",
    "pubmed": "https://www.ncbi.nlm.nih.gov/pubmed/",
    "hdl": "https://hdl.handle.net/",
    "googlebooks": "https://books.google.com/books?id=",
}

#: babel/polyglossia language names → BCP 47 tags.
LANGUAGES: Mapping[str, str] = {
    "english": "en",
    "american": "en-US",
    "british": "en-GB",
    "ukenglish": "en-GB",
    "usenglish": "en-US",
    "french": "fr",
    "german": "de",
    "ngerman": "de",
    "russian": "ru",
    "spanish": "es",
    "italian": "it",
    "portuguese": "pt",
    "dutch": "nl",
    "polish": "pl",
}

_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_URL_WRAPPER = re.compile(r"^\\url\{(.*)\}$", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Conversion:
    """A CSL-JSON item and notes on what the conversion did with the entry's data."""

    item: CslItem
    unmapped: tuple[str, ...] = ()  #: field names with no CSL counterpart (not rendered)
    et_al: tuple[str, ...] = ()  #: name fields that ended in "and others"
    #: date fields that are no date (kept as CSL ``literal`` dates, printed as written)
    literal_dates: tuple[str, ...] = ()


def csl_type(source: Source) -> str:
    """The CSL type for an entry (``document`` for types the table does not know)."""
    base = TYPES.get(source.entry_type, "document")
    if base == "article-journal" and source.entry_type == "article":
        subtype = (source.get("entrysubtype") or "").strip().lower()
        return ARTICLE_SUBTYPES.get(subtype, base)
    if base == "manuscript" and source.get("eventdate"):
        return "speech"
    return base


def _join_title(main: str | None, sub: str | None, addon: str | None = None) -> str | None:
    if not main:
        return None
    text = to_csl_text(main)
    # a title ending in "?" or "!" takes no colon or period before what follows it
    # ("Why Did Mexico Say Yes? Trotsky and After", as Chicago and APA write it)
    if sub:
        text = f"{text}{'' if text.rstrip()[-1:] in '?!' else ':'} {to_csl_text(sub)}"
    if addon:
        text = f"{text}{'' if text.rstrip()[-1:] in '?!.' else '.'} {to_csl_text(addon)}"
    return text


def _useprefix(source: Source) -> bool:
    options = (source.get("options") or "").replace(" ", "").lower()
    return "useprefix=true" in options or re.search(r"(^|,)useprefix(,|$)", options) is not None


def _issued(source: Source) -> dict[str, object] | None:
    if source.get("date"):
        return parse_edtf(source.get("date") or "")
    year = source.get("year")
    if year:
        date = from_fields(year, source.get("month"), source.get("day"))
        endyear = source.get("endyear")
        if date and endyear and "date-parts" in date and endyear.strip().isdigit():
            parts = date["date-parts"]
            assert isinstance(parts, list)
            date["date-parts"] = [parts[0], [int(endyear)]]
        return date
    return None


def _rule_titles(source: Source, item: CslItem, kind: str) -> None:
    title = _join_title(source.get("title"), source.get("subtitle"), source.get("titleaddon"))
    if title:
        item["title"] = title
        main_title = source.get("title")
        if main_title and title != main_title.strip() and not source.get("maintitle"):
            # The short form of a title is its main title without the subtitle (Chicago's
            # short notes, CMOS 14.30), as pandoc's biblatex reader derives it; an explicit
            # shorttitle (already mapped) wins.
            item.setdefault("title-short", to_csl_text(main_title.strip()))
    journal = _join_title(
        source.get("journaltitle") or source.get("journal"), source.get("journalsubtitle")
    )
    book = _join_title(source.get("booktitle"), source.get("booksubtitle"))
    main = _join_title(source.get("maintitle"), source.get("mainsubtitle"))
    container = journal or book
    if container:
        item["container-title"] = container
    if main:
        if kind == "book" and "title" in item:
            # A volume of a multi-volume work: the work's title leads, as pandoc does.
            item["volume-title"] = item["title"]
            item["title"] = main
        elif "container-title" in item:
            item.setdefault("collection-title", main)
        else:
            item["container-title"] = main
    if source.get("issuetitle"):
        item["volume-title"] = to_csl_text(source.get("issuetitle") or "")


def _rule_numbers(source: Source, item: CslItem, kind: str) -> None:
    if source.get("volume"):
        item["volume"] = to_plain(source.get("volume") or "")
    number = source.get("number")
    issue = source.get("issue")
    target = TYPE_OVERRIDES.get(kind, {}).get("number", "number")
    if target == "issue":
        joined = ", ".join(to_plain(v) for v in (number, issue) if v)
        if joined:
            item["issue"] = joined
    else:
        if number:
            if source.get("series") and kind in ("book", "chapter"):
                item["collection-number"] = to_plain(number)
            else:
                item["number"] = to_plain(number)
        if issue:
            item["issue"] = to_plain(issue)
    if source.get("pages"):
        # BibTeX writes ranges with "--"; CSL wants a hyphen and formats the range itself.
        item["page"] = re.sub(r"\s*-{1,3}\s*|\s*–\s*", "-", to_plain(source.get("pages") or ""))


def _rule_publisher(source: Source, item: CslItem, kind: str) -> None:
    overrides = TYPE_OVERRIDES.get(kind, {})
    names = []
    for name in PUBLISHER_FIELDS:
        value = source.get(name)
        if not value:
            continue
        target = overrides.get(name)
        if target:
            item.setdefault(target, to_csl_text(value))
        else:
            names.append(to_csl_text(value))
    if names:
        item["publisher"] = "; ".join(names)


def _rule_links(source: Source, item: CslItem, kind: str) -> None:
    url = source.get("url")
    if url:
        match = _URL_WRAPPER.match(url.strip())
        item["URL"] = (match.group(1) if match else url).strip()
    doi = source.get("doi")
    if doi:
        item["DOI"] = _DOI_PREFIX.sub("", doi.strip())
    eprint = source.get("eprint")
    eprinttype = (source.get("eprinttype") or source.get("archiveprefix") or "").lower()
    if eprint and "URL" not in item and eprinttype in EPRINT_URLS:
        item["URL"] = EPRINT_URLS[eprinttype] + eprint.strip()
    howpublished = source.get("howpublished")
    is_url = howpublished and re.match(r"^\\url\{|^https?://", howpublished.strip())
    if howpublished and is_url and "URL" not in item:
        match = _URL_WRAPPER.match(howpublished.strip())
        item["URL"] = (match.group(1) if match else howpublished).strip()
        item.pop("medium", None)


def _rule_notes(source: Source, item: CslItem, kind: str) -> None:
    notes = [to_csl_text(v) for v in (source.get("note"), source.get("addendum")) if v]
    if notes:
        item["note"] = ". ".join(notes)


def _rule_language(source: Source, item: CslItem, kind: str) -> None:
    language = source.get("langid") or source.get("hyphenation") or source.get("language")
    if language:
        word = to_plain(language).strip().lower()
        item["language"] = LANGUAGES.get(word, word)


def _rule_genre(source: Source, item: CslItem, kind: str) -> None:
    genre = item.get("genre")
    if isinstance(genre, str) and genre.strip().lower() in TYPE_KEYS:
        item["genre"] = TYPE_KEYS[genre.strip().lower()]
    if "genre" not in item and source.entry_type in THESIS_GENRES:
        item["genre"] = THESIS_GENRES[source.entry_type]


#: The rules that need more than one field, run in this order after the plain tables.
RULES: tuple[Callable[[Source, CslItem, str], None], ...] = (
    _rule_titles,
    _rule_numbers,
    _rule_publisher,
    _rule_links,
    _rule_notes,
    _rule_language,
    _rule_genre,
)


def convert(source: Source) -> Conversion:
    """Convert one entry; CSL-JSON sources are passed through unchanged."""
    if source.csl is not None:
        return Conversion(dict(source.csl))
    kind = csl_type(source)
    item: CslItem = {"id": source.key, "type": kind}
    et_al: list[str] = []
    useprefix = _useprefix(source)
    for field in source.fields:
        name = field.name
        if name in NAME_FIELDS:
            names = parse_names(field.value, useprefix=useprefix)
            if names.names:
                item[NAME_FIELDS[name]] = [dict(n) for n in names.names]
            if names.et_al:
                et_al.append(name)
        elif name in TEXT_FIELDS and field.value.strip():
            target = TYPE_OVERRIDES.get(kind, {}).get(name, TEXT_FIELDS[name])
            item.setdefault(target, to_csl_text(field.value.strip()))
        elif name in DATE_FIELDS and name != "date":
            date = parse_edtf(field.value)
            if date is not None:
                item[DATE_FIELDS[name]] = date
    issued = _issued(source)
    if issued is not None:
        item["issued"] = issued
    for rule in RULES:
        rule(source, item, kind)
    if "keyword" in item:
        item["keyword"] = to_plain(item["keyword"])
    literal = tuple(
        field
        for field, variable in (*DATE_FIELDS.items(), ("year", "issued"))
        if source.get(field) and isinstance(item.get(variable), dict)
        and "literal" in item[variable]
        and (field != "year" or not source.get("date"))
    )
    return Conversion(item, unmapped_fields(source), tuple(et_al), literal)


def unmapped_fields(source: Source) -> tuple[str, ...]:
    """Fields of ``source`` that no table or rule reads (they are not rendered)."""
    return tuple(f.name for f in source.fields if f.name not in UNMAPPED_FIELDS)


def to_csl_json(sources: list[Source] | tuple[Source, ...]) -> list[CslItem]:
    """Every source as a CSL-JSON item, in the given order."""
    return [convert(source).item for source in sources]


__all__ = [
    "TYPES",
    "Conversion",
    "CslItem",
    "convert",
    "csl_type",
    "to_csl_json",
    "unmapped_fields",
]

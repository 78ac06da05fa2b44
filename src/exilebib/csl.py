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

from exilebib.dates import from_fields, parse_edtf, read_date
from exilebib.errors import Diagnostic, Severity
from exilebib.identifiers import bare_doi, url_of
from exilebib.latex import VERBATIM_FIELDS, problems, to_csl_text, to_plain
from exilebib.localisation import ordinal, resolve, unknown_key_problem
from exilebib.model import Field, Source
from exilebib.names import NAME_FIELDS as LINTED_NAME_FIELDS
from exilebib.names import name_problems, parse_names, split_list
from exilebib.sentencecase import is_english, to_sentence_case

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
    # a manual is documentation published as a book (biblatex §2.1.1); pandoc reads it so
    "manual": "book",
    "booklet": "pamphlet",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    # an issue of a journal: the journal is the container, the issue's title the title
    "periodical": "article-journal",
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

#: Default ``genre`` of thesis types when the entry has no ``type`` field: the localisation
#: key biblatex's ``@phdthesis``/``@mastersthesis`` aliases set ``type`` to.
THESIS_GENRES: Mapping[str, str] = {
    "phdthesis": "phdthesis",
    "mastersthesis": "mathesis",
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
    # a patent's holder is its assignee, not its inventor: the author only of a patent
    # that names no author (see _rule_holder)
}

#: biblatex's ``editortype``/``editoratype`` roles → CSL name variables; a role CSL has no
#: variable for (``redactor``, ``founder``, ``continuator``) is not passed on.
EDITOR_ROLES: Mapping[str, str] = {
    "editor": "editor",
    "compiler": "compiler",
    "collaborator": "contributor",
    "organizer": "organizer",
    "director": "director",
    "reviser": "editor",
}

#: Fields biblatex reads as literal lists (items joined by ``and``), printed as a list:
#: "Durham and London", "München, Berlin and New York" (manual §2.2.1, "Literal lists").
LIST_FIELDS: frozenset[str] = frozenset(
    {"location", "address", "publisher", "institution", "organization", "school",
     "origlocation", "origpublisher"}
)  # fmt: skip

#: Entry types that have a ``booktitle`` in biblatex's data model (a part of a book); for
#: any other type a ``booktitle`` (kept for old BibTeX crossrefs) is not printed.
BOOKTITLE_TYPES: frozenset[str] = frozenset(
    {"inbook", "incollection", "inproceedings", "inreference", "bookinbook", "suppbook",
     "suppcollection", "conference"}
)  # fmt: skip

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
        "booktitleaddon", "maintitleaddon", "issuesubtitle", "origyear", "origmonth",
        "editortype", "editoratype", "holder",
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



@dataclass(frozen=True, slots=True)
class Conversion:
    """A CSL-JSON item and notes on what the conversion did with the entry's data."""

    item: CslItem
    unmapped: tuple[str, ...] = ()  #: field names with no CSL counterpart (not rendered)
    et_al: tuple[str, ...] = ()  #: name fields that ended in "and others"
    #: date fields that are no date (kept as CSL ``literal`` dates, printed as written)
    literal_dates: tuple[str, ...] = ()
    #: what reading the entry's fields found (LaTeX the conversion cannot print, ...),
    #: located at the field, worded as ``lint`` words them
    problems: tuple[Diagnostic, ...] = ()


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
    if source.entry_type == "periodical":
        # An issue of a journal (biblatex §2.1.1): the journal is the container, the
        # issue's title (issuetitle) the title of what is cited.
        if title:
            item["container-title"] = item.pop("title")
            item.pop("title-short", None)
        issue = _join_title(source.get("issuetitle"), source.get("issuesubtitle"))
        if issue:
            item["title"] = issue
        return
    journal = _join_title(
        source.get("journaltitle") or source.get("journal"), source.get("journalsubtitle")
    )
    book = None
    if source.entry_type in BOOKTITLE_TYPES:
        book = _join_title(
            source.get("booktitle"), source.get("booksubtitle"), source.get("booktitleaddon")
        )
    main = _join_title(
        source.get("maintitle"), source.get("mainsubtitle"), source.get("maintitleaddon")
    )
    if journal:
        item["container-title"] = journal
        if main:
            item.setdefault("collection-title", main)
    elif main and kind == "book" and "title" in item:
        # A volume of a multi-volume work: the work's title leads, as pandoc does.
        item["volume-title"] = item["title"]
        item["title"] = main
    elif main:
        # A part of one volume of a multi-volume work: the work is the container and the
        # volume's own title (booktitle) is CSL 1.0.2's volume-title.
        item["container-title"] = main
        if book:
            item["volume-title"] = book
    elif book:
        item["container-title"] = book
    if source.get("issuetitle"):
        item["volume-title"] = to_csl_text(source.get("issuetitle") or "")


def entry_language(source: Source) -> str | None:
    """The entry's language as written, the one reading of it every rule shares: biblatex's
    ``langid``, else ``hyphenation``, else ``language`` (``None`` when none is given)."""
    language = source.get("langid") or source.get("hyphenation") or source.get("language")
    return to_plain(language).strip() if language else None


def _literal_list(value: str, language: str | None) -> str:
    """A biblatex literal list (``Durham and London``) as biblatex prints it: items joined
    by commas, the last by "and"; each item that is a localisation key (``countryfr``) is
    its string in the entry's ``language``."""
    items = [resolve(part, language) or to_csl_text(part) for part in split_list(value) if part]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _rule_series(source: Source, item: CslItem, kind: str) -> None:
    series = (source.get("series") or "").strip()
    if not series:
        return
    key = resolve(series, entry_language(source))
    if key is not None:
        # a key (newseries) prints its string, capitalised as the title it stands in for
        item["collection-title"] = key[:1].upper() + key[1:]
    elif series.isdigit():
        # biblatex prints a journal's numbered series as an ordinal: "3rd series"
        item["collection-title"] = f"{ordinal(int(series))} series"


def _rule_holder(source: Source, item: CslItem, kind: str) -> None:
    holder = source.get("holder")
    if holder and "author" not in item:
        names = parse_names(holder, useprefix=_useprefix(source))
        if names.names:
            item["author"] = [dict(n) for n in names.names]


def _rule_original_date(source: Source, item: CslItem, kind: str) -> None:
    year = source.get("origyear")
    if year and "original-date" not in item:
        date = from_fields(year, source.get("origmonth"))
        if date is not None:
            item["original-date"] = date


def _rule_numbers(source: Source, item: CslItem, kind: str) -> None:
    volume, part = source.get("volume"), source.get("part")
    if volume:
        # biblatex prints a volume's part after it, with a dot: volume 7, part 2 is "7.2"
        item["volume"] = to_plain(volume) + (f".{to_plain(part)}" if part else "")
    elif part:
        item["part-number"] = to_plain(part)
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
                # biblatex's number is a literal field: a report number "99-02" is one
                # number, so its hyphen is escaped (citeproc-js's "\-") and never printed
                # as a range ("Nos. 99–02")
                item["number"] = to_plain(number).replace("-", "\\-")
        if issue:
            item["issue"] = to_plain(issue)
    if source.get("pages"):
        # BibTeX writes ranges with "--"; CSL wants a hyphen and formats the range itself.
        item["page"] = re.sub(r"\s*-{1,3}\s*|\s*–\s*", "-", to_plain(source.get("pages") or ""))


def _rule_publisher(source: Source, item: CslItem, kind: str) -> None:
    overrides = TYPE_OVERRIDES.get(kind, {})
    names = []
    language = entry_language(source)
    for name in PUBLISHER_FIELDS:
        value = source.get(name)
        if not value:
            continue
        target = overrides.get(name)
        if target:
            item.setdefault(target, _literal_list(value, language))
        else:
            names.append(_literal_list(value, language))
    if names:
        item["publisher"] = "; ".join(names)


def _rule_links(source: Source, item: CslItem, kind: str) -> None:
    # read as links reads them (exilebib.identifiers): what render prints is what links checks
    url = source.get("url")
    if url and url.strip():
        item["URL"] = url_of(url)
    doi = source.get("doi")
    if doi and doi.strip():
        item["DOI"] = bare_doi(doi)
    eprint = source.get("eprint")
    eprinttype = (source.get("eprinttype") or source.get("archiveprefix") or "").lower()
    if eprint and "URL" not in item and eprinttype in EPRINT_URLS:
        item["URL"] = EPRINT_URLS[eprinttype] + eprint.strip()
    howpublished = source.get("howpublished")
    is_url = howpublished and re.match(r"^\\url\{|^https?://", howpublished.strip())
    if howpublished and is_url and "URL" not in item:
        item["URL"] = url_of(howpublished)
        item.pop("medium", None)


def _rule_notes(source: Source, item: CslItem, kind: str) -> None:
    notes = [to_csl_text(v) for v in (source.get("note"), source.get("addendum")) if v]
    if notes:
        item["note"] = ". ".join(notes)


def _rule_language(source: Source, item: CslItem, kind: str) -> None:
    language = entry_language(source)
    if language:
        word = language.lower()
        item["language"] = LANGUAGES.get(word, word)


def _rule_genre(source: Source, item: CslItem, kind: str) -> None:
    language = entry_language(source)
    key = resolve(source.get("type") or "", language)
    if key is not None:
        item["genre"] = key
    if "genre" not in item and source.entry_type in THESIS_GENRES:
        item["genre"] = resolve(THESIS_GENRES[source.entry_type], language) or ""


#: The rules that need more than one field, run in this order after the plain tables.
RULES: tuple[Callable[[Source, CslItem, str], None], ...] = (
    _rule_titles,
    _rule_series,
    _rule_holder,
    _rule_original_date,
    _rule_numbers,
    _rule_publisher,
    _rule_links,
    _rule_notes,
    _rule_language,
    _rule_genre,
)


#: Title variables that English titles are converted to sentence case in (pandoc's set);
#: a journal's title (container-title of an article) and names of organisations are not.
SENTENCE_CASE_VARIABLES: tuple[str, ...] = (
    "title", "title-short", "volume-title", "collection-title", "event-title",
    "original-title", "container-title",
)  # fmt: skip


def _rule_sentence_case(source: Source, item: CslItem) -> None:
    if not is_english(entry_language(source)):
        return
    book_container = not (source.get("journaltitle") or source.get("journal")) and bool(
        source.get("maintitle") or source.entry_type in BOOKTITLE_TYPES
    )
    for variable in SENTENCE_CASE_VARIABLES:
        value = item.get(variable)
        if not isinstance(value, str) or (variable == "container-title" and not book_container):
            continue
        item[variable] = to_sentence_case(value)


def convert(source: Source, *, sentence_case: bool = True) -> Conversion:
    """Convert one entry; CSL-JSON sources are passed through unchanged.

    With ``sentence_case`` (the default; ``[tool.exilebib] title-case = "as-written"``
    turns it off), the titles of English entries are converted from Title Case to sentence
    case as pandoc does (see :mod:`exilebib.sentencecase`)."""
    if source.csl is not None:
        return Conversion(dict(source.csl))
    kind = csl_type(source)
    item: CslItem = {"id": source.key, "type": kind}
    et_al: list[str] = []
    useprefix = _useprefix(source)
    language = entry_language(source)
    for field in source.fields:
        name = field.name
        if name in NAME_FIELDS:
            role = (source.get(f"{name}type") or "").strip().lower()
            variable = EDITOR_ROLES.get(role) if role else NAME_FIELDS[name]
            names = parse_names(field.value, useprefix=useprefix)
            if names.names and variable:
                item.setdefault(variable, [dict(n) for n in names.names])
            if names.et_al:
                et_al.append(name)
        elif name in TEXT_FIELDS and field.value.strip():
            target = TYPE_OVERRIDES.get(kind, {}).get(name, TEXT_FIELDS[name])
            text = field.value.strip()
            value = _literal_list(text, language) if name in LIST_FIELDS else to_csl_text(text)
            item.setdefault(target, value)
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
    if sentence_case:
        _rule_sentence_case(source, item)
    literal = tuple(
        field
        for field, variable in (*DATE_FIELDS.items(), ("year", "issued"))
        if source.get(field) and isinstance(item.get(variable), dict)
        and "literal" in item[variable]
        and (field != "year" or not source.get("date"))
    )
    return Conversion(item, unmapped_fields(source), tuple(et_al), literal, field_problems(source))


def _date_problems(source: Source, field: Field) -> list[Diagnostic]:
    """A date field that is no date (printed as written: lint's ``date-format`` names the
    same problem in the same words), or that CSL cannot carry whole (an open range)."""
    reading = read_date(field.value)
    text = field.value.strip()
    found = []
    if reading.problem:
        found.append(
            Diagnostic(
                Severity.WARNING,
                "date-literal",
                f"entry '{source.key}': {field.name} '{text}' is not a valid date: "
                f"{reading.problem}; it is printed as written and sorts as text",
                field.location,
                key=source.key,
                hint=f"write {field.name} = {{1941-08-20}} (ISO 8601: year, month, day), or a "
                "range with a slash: {1937/1940}",
            )
        )
    if reading.note:
        found.append(
            Diagnostic(
                Severity.WARNING,
                "date-open",
                f"entry '{source.key}': {field.name} '{text}': {reading.note}",
                field.location,
                key=source.key,
                hint="give both ends of the range if they are known",
            )
        )
    return found


def field_problems(source: Source) -> tuple[Diagnostic, ...]:
    """Located warnings about what the entry's fields hold that cannot be printed as
    written (``lint`` reports the same, with the same ids and words)."""
    found: list[Diagnostic] = []
    for field in source.fields:
        if field.name in DATE_FIELDS:
            found.extend(_date_problems(source, field))
        if field.name in LINTED_NAME_FIELDS:
            found.extend(
                Diagnostic(
                    Severity.WARNING,
                    problem.rule,
                    f"entry '{source.key}': {problem.message}",
                    field.location,
                    key=source.key,
                    hint=problem.hint,
                )
                for problem in name_problems(field.name, field.value)
            )
        for item in split_list(field.value) if field.name == "location" else [field.value]:
            unknown = unknown_key_problem(field.name, item)
            if unknown is not None:
                found.append(
                    Diagnostic(
                        Severity.WARNING,
                        "localisation-key",
                        f"entry '{source.key}': {unknown[0]}",
                        field.location,
                        key=source.key,
                        hint=unknown[1],
                    )
                )
        if field.name in VERBATIM_FIELDS:
            continue
        for problem in problems(field.value):
            message, hint = problem.describe(field.name)
            found.append(
                Diagnostic(
                    Severity.WARNING,
                    problem.rule,
                    f"entry '{source.key}': {message}",
                    field.location,
                    key=source.key,
                    hint=hint,
                )
            )
    return tuple(found)


def unmapped_fields(source: Source) -> tuple[str, ...]:
    """Fields of ``source`` that no table or rule reads (they are not rendered)."""
    return tuple(f.name for f in source.fields if f.name not in UNMAPPED_FIELDS)


def to_csl_json(
    sources: list[Source] | tuple[Source, ...], *, sentence_case: bool = True
) -> list[CslItem]:
    """Every source as a CSL-JSON item, in the given order."""
    return [convert(source, sentence_case=sentence_case).item for source in sources]


__all__ = [
    "TYPES",
    "Conversion",
    "CslItem",
    "convert",
    "csl_type",
    "to_csl_json",
    "unmapped_fields",
]

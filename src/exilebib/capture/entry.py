"""A CSL-JSON item as a BibTeX/biblatex entry: the reverse of :mod:`exilebib.csl`.

The tables are derived from ``csl.py``'s where they can be (so a field added there is
written here too) and name the exceptions where biblatex has several fields for one CSL
variable. ``render`` of the written entry gives back the item's metadata (tested as a
round trip). Titles get braces around what a case-changing style must not lower (acronyms,
capitals inside words, and proper nouns in a sentence-case title), by the same test
``lint``'s ``title-capitals`` rule applies, so the new entry is lint-clean; the entry is laid
out by ``fmt``'s own writer.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from exilebib import csl
from exilebib.bibtex import BlockKind, read_raw
from exilebib.fmt import FmtSettings, format_block
from exilebib.latex import to_plain
from exilebib.lint.datamodel import REQUIRED
from exilebib.lint.dates import date_problem
from exilebib.lint.identifiers import isbn_problem, issn_problem
from exilebib.lint.text import unprotected_capitals

#: CSL type → (entry type, entrysubtype). Types ``csl.TYPES`` reaches from one entry type
#: are read backwards; the rest say which biblatex type holds them best.
TYPES: Mapping[str, tuple[str, str | None]] = {
    "article-journal": ("article", None),
    "article-magazine": ("article", "magazine"),
    "article-newspaper": ("article", "newspaper"),
    "book": ("book", None),
    "chapter": ("incollection", None),
    "entry-encyclopedia": ("inreference", None),
    "entry-dictionary": ("inreference", None),
    "entry": ("inreference", None),
    "webpage": ("online", None),
    "post-weblog": ("online", None),
    "post": ("online", None),
    "graphic": ("image", None),
    "document": ("misc", None),
    "article": ("misc", None),  # a preprint: biblatex has no type of its own for it
    "manuscript": ("unpublished", None),
    "thesis": ("thesis", None),
    "report": ("report", None),
    "paper-conference": ("inproceedings", None),
    "dataset": ("dataset", None),
    "software": ("software", None),
    "motion_picture": ("movie", None),
    "song": ("audio", None),
    "patent": ("patent", None),
    "standard": ("standard", None),
    "review": ("review", None),
    "periodical": ("periodical", None),
    "letter": ("letter", None),
    "interview": ("interview", None),
    "legal_case": ("jurisdiction", None),
    "legislation": ("legislation", None),
    "performance": ("performance", None),
}

#: Where several fields map to one variable in ``csl.py``, the one written.
PREFERRED: Mapping[str, str] = {"archive": "library", "annote": "annotation"}
#: Variables written by the rules below, not the plain table.
_BY_RULE = frozenset({"number", "keyword"})


def _reverse(table: Mapping[str, str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for field, variable in table.items():
        if variable not in _BY_RULE:
            found.setdefault(variable, PREFERRED.get(variable, field))
    return found


#: CSL text variable → field: ``csl.TEXT_FIELDS`` reversed.
TEXT_VARIABLES: Mapping[str, str] = {
    **_reverse(csl.TEXT_FIELDS),
    "volume": "volume",
    "note": "note",
}
#: CSL name variable → field: ``csl.NAME_FIELDS`` reversed (``holder`` is an alias).
NAME_VARIABLES: Mapping[str, str] = _reverse(
    {k: v for k, v in csl.NAME_FIELDS.items() if k != "holder"}
)
#: CSL date variable → field: ``csl.DATE_FIELDS`` reversed.
DATE_VARIABLES: Mapping[str, str] = _reverse(csl.DATE_FIELDS)
#: Copied as they are (a URL's ``%`` and ``_`` are not LaTeX).
RAW_VARIABLES: Mapping[str, str] = {variable: field for field, variable in csl.RAW_FIELDS.items()}
#: ``container-title`` per entry type (``csl._rule_titles`` and the webpage override).
CONTAINERS: Mapping[str, str] = {
    "article": "journaltitle",
    "periodical": "journaltitle",
    "review": "journaltitle",
    "online": "organization",
}
DEFAULT_CONTAINER = "booktitle"
#: ``publisher`` per entry type (``csl.PUBLISHER_FIELDS`` all give ``publisher``); an
#: image's is the archive that holds it, written ``organization`` as the essay's are.
PUBLISHERS: Mapping[str, str] = {
    "thesis": "institution",
    "report": "institution",
    "image": "organization",
}
#: ``type`` for entry types that require one, when the item names no genre.
DEFAULT_GENRES: Mapping[str, str] = {"thesis": "phdthesis", "report": "techreport"}
#: BCP 47 → babel name for ``langid``: ``csl.LANGUAGES`` reversed.
LANGIDS: Mapping[str, str] = {code: name for name, code in reversed(list(csl.LANGUAGES.items()))}
#: Fields whose words case-changing styles may lower (as lint's title check reads them).
TITLE_FIELDS: frozenset[str] = frozenset({"title", "booktitle", "maintitle"})

#: The order fields are written in (``[tool.exilebib.fmt] field-order`` overrides it).
FIELD_ORDER: tuple[str, ...] = (
    "author", "editor", "translator", "bookauthor", "director", "title", "shorttitle",
    "journaltitle", "shortjournal", "booktitle", "eventtitle", "maintitle", "series",
    "volume", "number", "eid", "pages", "edition", "pagetotal", "entrysubtype", "type",
    "location", "publisher", "organization", "institution", "date", "origdate",
    "eventdate", "venue", "version", "langid", "isbn", "issn", "doi", "url", "urldate",
    "note", "keywords",
)  # fmt: skip

#: Words a key's title part skips (articles and short function words, as Better BibTeX's
#: and JabRef's key patterns do).
KEY_STOP_WORDS: frozenset[str] = frozenset(
    {
        "a", "an", "the", "of", "on", "in", "and", "for", "to", "at", "by", "with", "from",
        "as", "le", "la", "les", "l", "der", "die", "das", "el", "un", "une",
    }
)  # fmt: skip

_TAG = re.compile(r"<(/?)([a-zA-Z][\w:-]*)([^>]*)>")
#: Rich-text tags of CSL-JSON → (LaTeX before, after); ``nocase`` is case protection.
MARKUP: Mapping[str, tuple[str, str]] = {
    "i": ("\\emph{", "}"),
    "em": ("\\emph{", "}"),
    "b": ("\\textbf{", "}"),
    "strong": ("\\textbf{", "}"),
    "sup": ("\\textsuperscript{", "}"),
    "sub": ("\\textsubscript{", "}"),
    "nocase": ("{", "}"),
    "smallcaps": ("\\textsc{", "}"),
}
#: LaTeX's special characters, written so BibTeX and ``latex.py`` read them back as text.
ESCAPES: Mapping[str, str] = {
    "\\": "\\textbackslash{}",
    "{": "\\{",
    "}": "\\}",
    "&": "\\&",
    "%": "\\%",
    "$": "\\$",
    "#": "\\#",
    "_": "\\_",
    "~": "\\textasciitilde{}",
    "^": "\\textasciicircum{}",
}
_SPECIAL = re.compile("[" + re.escape("".join(ESCAPES)) + "]")
#: A brace with no partner in the same text: BibTeX counts ``\{`` and ``\}`` when it
#: balances a value, so a lone one would end the entry early (or never); these do not count.
LONE_BRACES: Mapping[str, str] = {"{": "\\textbraceleft{}", "}": "\\textbraceright{}"}
#: Unicode categories never written: controls (Cc) and format characters (Cf: bidi
#: controls, zero-width spaces, soft hyphens, byte order marks). A record that holds them
#: holds them by accident, and lint's invisible-char rule would flag every one.
INVISIBLE_CATEGORIES: frozenset[str] = frozenset({"Cc", "Cf"})
#: What a ``url`` or ``doi`` value may not hold as it is, percent-encoded: braces and a
#: backslash would change how BibTeX reads the value, white space ends a URL.
RAW_ESCAPES: Mapping[str, str] = {"{": "%7B", "}": "%7D", "\\": "%5C", " ": "%20"}
#: Pairs TeX reads as one character (``--`` an en dash, ``''`` a closing quote); an empty
#: group between them keeps them two characters, as the source wrote them.
_LIGATURE = re.compile(r"(?<=-)(?=-)|(?<=`)(?=`)|(?<=')(?=')")


def visible(text: str) -> str:
    """``text`` without the characters of :data:`INVISIBLE_CATEGORIES` (a line break or
    tab, which separates words, becomes a space)."""
    return "".join(
        " " if c.isspace() else c
        for c in text
        if c.isspace() or unicodedata.category(c) not in INVISIBLE_CATEGORIES
    )


def _lone_braces(text: str) -> set[int]:
    """Offsets of the braces of ``text`` that have no partner."""
    opened: list[int] = []
    lone: set[int] = set()
    for index, char in enumerate(text):
        if char == "{":
            opened.append(index)
        elif char == "}":
            if opened:
                opened.pop()
            else:
                lone.add(index)
    return lone | set(opened)


def _special(text: str) -> str:
    text = visible(text)
    lone = _lone_braces(text)

    def one(match: re.Match[str]) -> str:
        char = match.group()
        return LONE_BRACES[char] if match.start() in lone else ESCAPES[char]

    return _LIGATURE.sub("{}", _SPECIAL.sub(one, text))


def escape(text: str) -> str:
    """Plain text as a BibTeX value (invisible characters dropped, then white space
    collapsed: "0 <soft hyphen>" is "0", not "0 "; NFC)."""
    return _special(unicodedata.normalize("NFC", " ".join(visible(text).split())))


def rich_text(value: str) -> str:
    """CSL-JSON rich text (HTML-like tags, entities) as LaTeX; unknown tags are dropped."""
    out: list[str] = []
    closers: list[str] = []
    position = 0

    def text(piece: str) -> str:
        return _special(html.unescape(piece))

    for match in _TAG.finditer(value):
        out.append(text(value[position : match.start()]))
        position = match.end()
        closing, name, attributes = match.group(1), match.group(2).lower(), match.group(3)
        if name == "span":
            if "nocase" in attributes:
                name = "nocase"
            elif "small-caps" in attributes:
                name = "smallcaps"
        if closing:
            if closers:
                out.append(closers.pop())
            continue
        if name in ("br", "img", "hr") or attributes.rstrip().endswith("/"):
            out.append(" " if name == "br" else "")
            continue
        before, after = MARKUP.get(name, ("", ""))
        out.append(before)
        closers.append(after)
    out.append(text(value[position:]))
    out.extend(reversed(closers))
    return unicodedata.normalize("NFC", " ".join("".join(out).split()))


def protect_capitals(value: str) -> str:
    """``value`` with braces around each word ``lint`` would say styles may lower."""
    for offset, word in reversed(unprotected_capitals(value)):
        core = word
        lead = len(core) - len(core.lstrip("\"'“‘(["))
        core = core[lead:]
        trail = len(core) - len(core.rstrip(".,;:!?\"'”’)]"))
        core = core[: len(core) - trail] if trail else core
        possessive = re.search(r"['’]s$", core)
        if possessive:
            core = core[: possessive.start()]
        if not core:
            continue
        start = offset + lead
        value = value[:start] + "{" + core + "}" + value[start + len(core) :]
    return value


#: What BibTeX reads as the end of a name part (a comma) or of a name (the word "and"),
#: and what biblatex reads as its extended name format (``family=...``): braced.
_NAME_BREAK = re.compile(r",|=|\band\b", re.IGNORECASE)


def _name_part(value: object) -> str:
    """One part of a name, escaped, in braces when BibTeX would split it."""
    text = escape(str(value or ""))
    return "{" + text + "}" if _NAME_BREAK.search(text) else text


def bibtex_name(name: Mapping[str, Any]) -> str | None:
    """One CSL name as BibTeX writes it: ``von Family, Jr., Given`` or ``{Literal}``."""
    literal = name.get("literal") or name.get("name")
    if isinstance(literal, str) and escape(literal):
        return "{" + escape(literal) + "}"
    family = _name_part(name.get("family"))
    given = _name_part(name.get("given"))
    if not family:
        return "{" + escape(str(name.get("given") or "")) + "}" if given else None
    particle = _name_part(
        " ".join(str(name.get(key) or "") for key in ("dropping-particle", "non-dropping-particle"))
    )
    suffix = _name_part(name.get("suffix"))
    if not (particle or suffix or given) and " " in family:
        return family if family.startswith("{") else "{" + family + "}"
    last = f"{particle} {family}" if particle else family
    return ", ".join([last, *([suffix] if suffix else []), *([given] if given else [])])


def bibtex_names(names: object) -> str | None:
    written = (
        [bibtex_name(n) for n in names if isinstance(n, Mapping)] if isinstance(names, list) else []
    )
    kept = [n for n in written if n]
    return " and ".join(kept) if kept else None


def edtf(date: object) -> str | None:
    """A CSL date as EDTF (``1936``, ``1936-05-01``, ``1936/1940``), when it is one."""
    if not isinstance(date, Mapping):
        return None
    parts = date.get("date-parts")
    text: str | None = None
    if isinstance(parts, list) and parts and all(isinstance(p, list) and p for p in parts):
        numbers: list[list[int]] = []
        for point in parts[:2]:
            try:
                numbers.append([int(n) for n in point[:3]])
            except (TypeError, ValueError, OverflowError):
                return None
        # a day or month that is no date (2020-13-40) is dropped, keeping what is one
        for length in (3, 2, 1):
            points = [
                "-".join([f"{point[0]:04d}", *(f"{n:02d}" for n in point[1:length])])
                for point in numbers
            ]
            text = "/".join(dict.fromkeys(points))
            if date_problem(text) is None:
                return text
        return None
    if isinstance(date.get("raw"), str):
        text = str(date["raw"]).strip()
    if text is None or date_problem(text) is not None:
        return None
    return text


@dataclass(frozen=True, slots=True)
class NewEntry:
    """An entry to add: its type, key and fields (values as written inside braces)."""

    entry_type: str
    key: str
    fields: tuple[tuple[str, str], ...]
    note: str = ""  #: why the entry has another type than the record's, if it has

    def get(self, name: str) -> str | None:
        return next((value for field, value in self.fields if field == name), None)

    def text(self, settings: FmtSettings | None = None) -> str:
        """The entry in ``fmt``'s layout (its writer, its settings)."""
        settings = settings or FmtSettings()
        order = settings.field_order or FIELD_ORDER
        rank = {name: index for index, name in enumerate(order)}
        fields = sorted(self.fields, key=lambda item: rank.get(item[0], len(rank)))
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        source = f"@{self.entry_type}{{{self.key},\n{body}\n}}\n"
        self._check(source)
        written = format_block(read_raw(source).blocks[0], settings)
        self._check(written)
        return written

    def _check(self, text: str) -> None:
        """Raise :class:`UnwritableEntry` unless ``text`` reads back as this one entry,
        field for field: the net under the escaping, so a value nothing foresaw can never
        end the entry early or swallow what follows it in the file."""
        blocks = read_raw(text).blocks
        whole = (
            len(blocks) == 1
            and blocks[0].kind is BlockKind.ENTRY
            and blocks[0].failure is None
            and not (text[: blocks[0].start] + text[blocks[0].end :]).strip()
        )
        entry = blocks[0].entry if whole else None
        read = (
            [(f.name, f.value) for f in entry.fields]
            if entry is not None and entry.key == self.key
            else None
        )
        if read is None or sorted(read) != sorted((n, f"{{{v}}}") for n, v in self.fields):
            raise UnwritableEntry(
                f"the record could not be written as one well-formed @{self.entry_type} "
                "entry (please report this)"
            )


class UnwritableEntry(ValueError):
    """An entry whose text would not read back as itself (a bug, never bad input)."""


def _text(value: object) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip()


def _fields_of(item: Mapping[str, Any], entry_type: str, subtype: str | None) -> dict[str, str]:
    fields: dict[str, str] = {}
    for variable, field in NAME_VARIABLES.items():
        names = bibtex_names(item.get(variable))
        if names:
            fields[field] = names
    title = _text(item.get("title"))
    if title:
        fields["title"] = rich_text(title)
    container = _text(item.get("container-title"))
    if container:
        fields[CONTAINERS.get(entry_type, DEFAULT_CONTAINER)] = rich_text(container)
    for variable, field in TEXT_VARIABLES.items():
        value = _text(item.get(variable))
        if value and field not in fields:
            fields[field] = rich_text(value)
    article = entry_type in ("article", "periodical")
    issue, number = _text(item.get("issue")), _text(item.get("number"))
    if issue:
        fields["number" if article else "issue"] = escape(issue)
    if number:
        fields["eid" if article else "number"] = escape(number)
    series_number = _text(item.get("collection-number"))
    if series_number and "number" not in fields:
        fields["number"] = escape(series_number)
    page = _text(item.get("page"))
    if page:
        # a range is written with BibTeX's en dash, "--" (csl.py reads it back as "-")
        fields["pages"] = escape(re.sub(r"\s*[-–—]+\s*", "-", page)).replace("-", "--")
    publisher = _text(item.get("publisher"))
    if publisher:
        target = PUBLISHERS.get(entry_type, "publisher")
        value = rich_text(publisher)
        # An organisation's name is one name: braced, so no style changes its case.
        fields.setdefault(target, "{" + value + "}" if target == "organization" else value)
    if entry_type in DEFAULT_GENRES and "type" not in fields:
        fields["type"] = DEFAULT_GENRES[entry_type]
    if subtype:
        fields["entrysubtype"] = subtype
    for variable, field in DATE_VARIABLES.items():
        date = edtf(item.get(variable))
        if date:
            fields[field] = date
    for variable, field in RAW_VARIABLES.items():
        value = _text(item.get(variable))
        written = raw_value(value) if value else ""
        if written and (VALUE_CHECKS[field](written) if field in VALUE_CHECKS else True):
            fields[field] = written
    for variable, field, problem in NUMBERS:
        found = _valid(item.get(variable), problem)
        if found:
            fields[field] = found
        else:
            fields.pop(field, None)
    language = _text(item.get("language"))
    if language and language in LANGIDS:
        fields["langid"] = LANGIDS[language]
    for name in TITLE_FIELDS:
        if name in fields:
            fields[name] = protect_capitals(fields[name])
    # a value that is only markup (``<b></b>``) says nothing: it is no title or journal
    return {
        name: value
        for name, value in fields.items()
        if name in RAW_VARIABLES.values() or to_plain(value).strip()
    }


#: A DOI as written in ``doi``: ``10.``, registrant, ``/``, a suffix (no resolver prefix).
DOI = re.compile(r"10\.\d{4,9}(?:\.\d+)*/\S+")
#: Standard numbers written only when valid (lint checks their check digits): CSL
#: variable, field, the check. A record's list of them gives the first valid one.
NUMBERS: tuple[tuple[str, str, Callable[[str], str | None]], ...] = (
    ("ISBN", "isbn", isbn_problem),
    ("ISSN", "issn", issn_problem),
)


def raw_value(value: str) -> str:
    """A URL or DOI as a verbatim value: invisible characters dropped, the characters of
    :data:`RAW_ESCAPES` percent-encoded, a resolver prefix dropped from a DOI."""
    text = visible(value).strip()
    text = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)(?=10\.)", "", text, flags=re.I)
    text = re.sub(r"%(?![0-9A-Fa-f]{2})", "%25", text)  # a bare % is no escape
    return re.sub(r"[{}\\\s]", lambda m: RAW_ESCAPES.get(m.group(), "%20"), text)


def web_url(url: str) -> bool:
    """Whether ``url`` is an http(s) URL with a host, the only kind ``url`` is given
    (a record's ``javascript:`` or ``//host`` link, or an unparsable one, is left out)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- raises ValueError for a port out of range
        return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    except ValueError:
        return False


#: The check a verbatim value must pass to be written.
VALUE_CHECKS: Mapping[str, Callable[[str], object]] = {"doi": DOI.fullmatch, "url": web_url}


def _valid(value: object, problem: Callable[[str], str | None]) -> str | None:
    candidates = value if isinstance(value, list) else [value]
    for candidate in candidates:
        if isinstance(candidate, int | str) and not isinstance(candidate, bool):
            text = visible(str(candidate)).strip()
            if text and problem(text) is None:
                return text
    return None


def _missing(entry_type: str, fields: Collection[str]) -> list[str]:
    """The first name of each requirement of ``entry_type`` that ``fields`` does not meet."""
    return [
        need[0] for need in REQUIRED.get(entry_type, ()) if not any(name in fields for name in need)
    ]


def _meets(entry_type: str, fields: Collection[str]) -> bool:
    return not _missing(entry_type, fields)


def to_fields(
    item: Mapping[str, Any], today: dt.date, keywords: Sequence[str] = ()
) -> tuple[str, dict[str, str], str]:
    """The entry type, fields and a note for ``item``. An item that lacks what its type
    requires becomes ``@online`` when it has a URL (a news page without an author is one
    always), else ``@misc`` (biblatex's type for what fits no other): the new entry is
    lint-clean, and the note says what the record lacked."""
    entry_type, subtype = TYPES.get(str(item.get("type")), ("misc", None))
    fields = _fields_of(item, entry_type, subtype)
    found = _text(item.get("URL"))
    url = raw_value(found) if found and web_url(raw_value(found)) else None
    missing = _missing(entry_type, [*fields, "urldate"] if url else fields)
    note = ""
    if missing:
        wanted = entry_type
        entry_type, subtype = TYPES["webpage"] if url else ("misc", None)
        fields = _fields_of(item, entry_type, subtype)
        note = (
            f"written as @{entry_type}: the record has no {' or '.join(missing)}, "
            f"which an @{wanted} needs"
        )
    if (
        entry_type == "online"
        and not any(k in fields for k in ("author", "editor", "organization"))
        and url
    ):
        fields["organization"] = escape(urlsplit(url).hostname or url)
    if url:
        fields["urldate"] = today.isoformat()
    groups = [written for written in (escape(k) for k in keywords) if written]
    if groups:  # an empty --group adds no empty keywords field
        fields["keywords"] = ", ".join(dict.fromkeys(groups))
    return entry_type, fields, note


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text)
    return re.sub(
        r"[^a-z0-9]", "", "".join(c for c in folded if not unicodedata.combining(c)).lower()
    )


def key_parts(item: Mapping[str, Any]) -> dict[str, str]:
    """``author`` (first creator's family name), ``year`` and ``title`` (first significant
    word) of ``item``, folded to ASCII letters and digits."""
    author = ""
    for variable in ("author", "editor"):
        names = item.get(variable)
        if isinstance(names, list) and names and isinstance(names[0], Mapping):
            first = names[0]
            author = _ascii(
                str(
                    first.get("family")
                    or (str(first.get("literal") or first.get("name") or "").split() or [""])[0]
                )
            )
            if author:
                break
    year = ""
    issued = item.get("issued")
    if isinstance(issued, Mapping):
        parts = issued.get("date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            found = re.fullmatch(r"\s*(\d{1,4})\s*", str(parts[0][0]))
            year = found.group(1) if found else ""
    title = ""
    plain = html.unescape(re.sub(r"<[^>]+>", "", str(item.get("title") or "")))
    for word in re.split(r"[\s\-–—:;,./'’]+", plain):
        folded = _ascii(word)
        if folded and word.lower() not in KEY_STOP_WORDS:
            title = folded
            break
    return {"author": author, "year": year, "title": title}


def make_key(
    item: Mapping[str, Any], pattern: str, taken: Iterable[str], year: str | None = None
) -> str:
    """A key from ``pattern`` (``{author}{year}{title}``), made unique among ``taken``
    (compared case-insensitively, as lint's duplicate-key-case does) with a, b, c...;
    ``year`` replaces the item's."""
    parts = key_parts(item)
    if year is not None:
        parts["year"] = year
    key = re.sub(r"\{(\w+)\}", lambda m: parts.get(m.group(1), ""), pattern)
    key = re.sub(r"([-_:.])[-_:.]+", r"\1", key).strip("-_:.") or "entry"
    used = {k.casefold() for k in taken}
    if key.casefold() not in used:
        return key
    for index in range(1, 10_000):
        suffix = ""
        number = index
        while number:
            number, rest = divmod(number - 1, 26)
            suffix = chr(ord("a") + rest) + suffix
        if (key + suffix).casefold() not in used:
            return key + suffix
    raise AssertionError("no free key")  # 10,000 entries with one key cannot be


def build_entry(
    item: Mapping[str, Any],
    *,
    today: dt.date,
    pattern: str,
    taken: Iterable[str],
    key: str | None = None,
    keywords: Sequence[str] = (),
) -> NewEntry:
    entry_type, fields, note = to_fields(item, today, keywords)
    if "title" not in fields:  # only markup or invisible characters: nothing to cite by
        raise UnwritableEntry("the record's title has no text")
    # the key's year is the written date's, so both say the same
    year = re.match(r"\d{4}", fields.get("date", ""))
    chosen = key or make_key(item, pattern, taken, year.group() if year else "")
    return NewEntry(entry_type, chosen, tuple(fields.items()), note)

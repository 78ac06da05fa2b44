"""What a link check learnt, written back into the ``.bib`` file: only ``url`` and
``urldate`` lines change (plus one ``%`` comment above an entry whose URL was archived).

- A URL whose check ended in a permanent redirect (a 301/308 chain: ``new_url``) is
  replaced by the URL it moved to.
- With archive suggestions, a ``broken`` URL is replaced by its Wayback Machine snapshot,
  which biblatex then prints as the entry's ``url``; the original URL is kept in a ``%``
  comment above the entry that says what was done and when (BibTeX ignores text outside
  entries, so the comment is safe there).
- ``urldate`` becomes the given day for each entry changed (added after ``url`` when the
  entry had none).

Edits are made at the offsets the raw reader found, so every other byte stays as it was:
the file's line breaks, alignment, comments and unrelated entries. Only a ``url`` written
as one braced or quoted value is changed (a macro or a ``#`` concatenation is left alone).
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass

from exilebib.bibtex import BlockKind, Failure, RawBlock, RawField, RawFile, ValueKind, read_raw
from exilebib.fmt import Convention
from exilebib.identifiers import unescape as _clean
from exilebib.links.model import LinkResult, Verdict
from exilebib.model import Location

#: The only field ``--fix`` rewrites: the URL biblatex prints and links checks first.
URL_FIELD = "url"
DATE_FIELD = "urldate"


class FixKind(enum.Enum):
    MOVED = "moved"  #: a permanent redirect: the new URL replaces the old
    ARCHIVED = "archived"  #: broken: its archived snapshot replaces it


@dataclass(frozen=True, slots=True)
class Fix:
    """One ``url`` field rewritten: where, which entry, from what to what, and why."""

    kind: FixKind
    key: str
    location: Location
    old_url: str
    new_url: str
    detail: str  #: the check's verdict detail (``404 Not Found``)


@dataclass(frozen=True, slots=True)
class FixResult:
    text: str
    fixes: tuple[Fix, ...]

    @property
    def changed(self) -> bool:
        return bool(self.fixes)


def replacements(
    results: Sequence[LinkResult], archive: bool
) -> dict[str, tuple[FixKind, str, str]]:
    """Cited URL → (kind, URL to write, detail) for each result a fix applies to."""
    found: dict[str, tuple[FixKind, str, str]] = {}
    for result in results:
        if result.verdict is Verdict.REDIRECTED and result.new_url:
            found[result.url] = (FixKind.MOVED, result.new_url, result.detail)
        elif archive and result.verdict is Verdict.BROKEN and result.archive_url:
            found[result.url] = (FixKind.ARCHIVED, result.archive_url, result.detail)
    return found


def _is_entry(block: RawBlock) -> bool:
    return block.kind is BlockKind.ENTRY or block.failure is Failure.DUPLICATE_KEY


def _single(item: RawField) -> bool:
    return len(item.parts) == 1 and item.parts[0].kind in (ValueKind.BRACED, ValueKind.QUOTED)


def _inner(item: RawField) -> tuple[int, int]:
    """Offsets of the value inside its delimiters."""
    part = item.parts[0]
    return part.start + 1, part.start + len(part.text) - 1


#: Characters a URL written into a value may not hold as they are (a redirect's Location
#: and an archive's answer are the server's to choose): braces and a backslash change how
#: BibTeX reads the value, white space and controls are no part of a URL.
_UNSAFE_IN_VALUE = re.compile(r'[{}\\\s\x00-\x1f\x7f"]')


def _written(url: str, quoted: bool) -> str:
    """A URL as a value may hold it: the characters of :data:`_UNSAFE_IN_VALUE`
    percent-encoded (a ``"`` only in a quoted value)."""

    def encode(match: re.Match[str]) -> str:
        char = match.group()
        return (
            char
            if char == '"' and not quoted
            else "".join(f"%{byte:02X}" for byte in char.encode("utf-8"))
        )

    return _UNSAFE_IN_VALUE.sub(encode, url)


def _comment_safe(text: str) -> str:
    """``text`` as it may stand in a ``%`` line outside entries: BibTeX has no comments
    there and starts an entry at any ``@`` (``https://medium.com/@name/post``), so ``@``
    is written ``%40`` (the URL's own encoding of it); a line break would end the line."""
    return " ".join(text.replace("@", "%40").split())


def _line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def _urldate_insertion(raw: RawFile, url: RawField, today: str) -> tuple[int, str]:
    """Where and what to insert for a new ``urldate`` after the ``url`` field."""
    text = raw.text
    value_end = url.parts[-1].start + len(url.parts[-1].text)
    position = value_end
    while position < len(text) and text[position] in " \t":
        position += 1
    comma = position < len(text) and text[position] == ","
    start = _line_start(text, url.name_start)
    indent = text[start : url.name_start]
    line_end = text.find("\n", value_end)
    line_end = len(text) if line_end < 0 else line_end
    rest = text[(position + 1 if comma else value_end) : line_end].strip()
    if indent.strip() or rest:  # the entry is on one line: add the field inline
        insert_at = position + 1 if comma else value_end
        return insert_at, ("" if comma else ",") + f" {DATE_FIELD} = {{{today}}}" + (
            "," if comma else ""
        )
    equals = text.find("=", url.name_start)
    width = equals - url.name_start  # the name and its padding, as written
    name = DATE_FIELD.ljust(width - 1) + " " if width > len(DATE_FIELD) else DATE_FIELD + " "
    crlf = text[line_end - 1 : line_end] == "\r"
    at = line_end - 1 if crlf else line_end
    newline = "\r\n" if crlf else "\n"  # the url line's own line break
    lead = "" if comma else ","
    return at, f"{lead}{newline}{indent}{name}= {{{today}}}" + ("," if comma else "")


def fix_text(
    shown: str,
    text: str,
    results: Sequence[LinkResult],
    today: dt.date,
    *,
    archive: bool = False,
) -> FixResult:
    """``text`` with the fixes ``results`` call for, and the list of what was done."""
    wanted = replacements(results, archive)
    if not wanted:
        return FixResult(text, ())
    newline = Convention.of(text).newline
    raw = read_raw(text)
    day = today.isoformat()
    edits: list[tuple[int, int, str]] = []
    fixes: list[Fix] = []
    for block in raw.blocks:
        entry = block.entry
        if not _is_entry(block) or entry is None:
            continue
        url = next((f for f in entry.fields if f.name.lower() == URL_FIELD), None)
        if url is None or not _single(url):
            continue
        start, end = _inner(url)
        cited = _clean(text[start:end])
        if cited not in wanted:
            continue
        kind, new_url, detail = wanted[cited]
        quoted = url.parts[0].kind is ValueKind.QUOTED
        edits.append((start, end, _written(new_url, quoted)))
        line = raw.position(url.name_start)[0]
        fixes.append(Fix(kind, entry.key, Location(shown, line), cited, new_url, detail))
        date = next((f for f in entry.fields if f.name.lower() == DATE_FIELD), None)
        if date is not None and _single(date):
            edits.append((*_inner(date), day))
        elif date is None:
            at, insertion = _urldate_insertion(raw, url, day)
            edits.append((at, at, insertion))
        if kind is FixKind.ARCHIVED:
            comment = (
                f"% exilebib links --fix {day}: url {_comment_safe(cited)} was broken "
                f"({_comment_safe(detail)}); it now cites the archived snapshot{newline}"
            )
            at = _line_start(text, block.start)
            edits.append((at, at, comment))
    for start, end, replacement in sorted(edits, key=lambda edit: edit[0], reverse=True):
        text = text[:start] + replacement + text[end:]
    return FixResult(text, tuple(fixes))

"""Read BibTeX into the project's model: the only module that imports bibtexparser.

bibtexparser 2.x splits the file into blocks; exilebib runs it with an empty parse stack so
values arrive exactly as written (delimiters, macros, ``#`` concatenation, ``%`` in URLs),
and resolves them here itself. Its default stack would LaTeX-decode URLs (``%`` starts a
LaTeX comment, so everything after it is lost) and would drop an entry with a repeated
field without a word.

A file that is plainly well formed (only ``@type{key, name = value, ...}`` entries, nothing
bibtexparser and the scanner could read differently) is split by the scanner alone
(:func:`_plain_blocks`), and bibtexparser is imported only for the other files: importing
it (and the LaTeX codec its package loads) cost a third of ``exilebib lint``'s start-up.

This module (the scanner and the reader) and :mod:`exilebib.structure` (the structure rules
every read reports) are the reading layer: :mod:`exilebib.lint` builds on them, and they
never import it (``tests/test_layers.py``).
"""

from __future__ import annotations

import bisect
import enum
import gc
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from exilebib.dates import MONTH_NAMES
from exilebib.errors import Diagnostic, InputError
from exilebib.model import Field, Library, Location, Source

if TYPE_CHECKING:  # bibtexparser is imported where a file needs it (see _plain_blocks)
    from bibtexparser import model as bp
    from bibtexparser.library import Library as BpLibrary

#: BibTeX's predefined month macros (``month = aug``), as the styles print them: the first
#: three letters of each name in exilebib.dates' one table of months.
MONTH_MACROS: Mapping[str, str] = {name[:3].lower(): name for name in MONTH_NAMES}

_SPLITTER_LOGGER = "bibtexparser.splitter"


@contextmanager
def _quiet_splitter() -> Iterator[None]:
    """Keep bibtexparser's splitter from logging about every block it gives up on.

    It would print on stderr behind our back, and building a log record per failed block
    cost more than reading the block. The reason it logs is kept on the failed block itself
    (``ParsingFailedBlock.error``), where :func:`_read_raw` takes it from.
    """
    import logging

    logger = logging.getLogger(_SPLITTER_LOGGER)
    saved_level, saved_propagate = logger.level, logger.propagate
    logger.setLevel(logging.CRITICAL + 1)
    logger.propagate = False
    try:
        yield
    finally:
        logger.setLevel(saved_level)
        logger.propagate = saved_propagate


@contextmanager
def _no_collection() -> Iterator[None]:
    """Pause the cyclic garbage collector while a file is read into many small objects.

    Reading allocates hundreds of thousands of acyclic records (blocks, fields, values,
    locations); each allocation burst makes the collector walk every live object again,
    which cost a 10,000-entry file half a second. Nothing read here forms a cycle that
    needs collecting in the meantime, and the collector resumes afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class NotUtf8Error(InputError):
    """A file whose bytes are not UTF-8, located at the first bad byte.

    ``location`` has the line and the column (in characters, as editors count) of that
    byte; ``reason`` is the message without the location, for callers that place it.
    """

    def __init__(self, location: Location, byte: int) -> None:
        self.location = location
        self.reason = f"not valid UTF-8 (byte 0x{byte:02X}); save the file as UTF-8"
        super().__init__(f"{location}: {self.reason}")


def decode_utf8(data: bytes, shown: str, keep_bom: bool = False) -> str:
    """``data`` as UTF-8 text, or a :class:`NotUtf8Error` at ``shown:line:col``.

    Every reader decodes through here (sources, ``--cited`` documents, stdin), so a bad
    byte gets one message wherever it is found. A byte order mark is dropped unless
    ``keep_bom``; it never counts as a column.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        before = data[line_start : exc.start].decode("utf-8").removeprefix("\ufeff")
        line = data.count(b"\n", 0, exc.start) + 1
        raise NotUtf8Error(Location(shown, line, len(before) + 1), data[exc.start]) from None
    return text if keep_bom else text.removeprefix("\ufeff")


def read_text(path: Path, keep_bom: bool = False) -> str:
    """The file's text as UTF-8, or an :class:`InputError` that says what to do.

    A UTF-8 byte order mark is dropped, unless ``keep_bom`` (``fmt`` writes it back).
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(
            f"{path}: no such file (check the path; a relative one starts at the current folder)"
        ) from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a sources file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read it: {exc.strerror}") from None
    return decode_utf8(data, str(path), keep_bom)


def parse_blocks(text: str) -> BpLibrary:
    """Split ``text`` into bibtexparser blocks with values untouched (no middleware).

    This is the raw layer that ``fmt`` and ``lint`` build on.
    """
    from bibtexparser.entrypoint import parse_string

    with _quiet_splitter():
        return parse_string(text, parse_stack=[])


def strip_delimiters(raw: str) -> str:
    """``{x}`` or ``"x"`` → ``x``; anything else is returned as it is."""
    raw = raw.strip()
    if len(raw) >= 2 and (
        (raw[0] == "{" and raw[-1] == "}" and _outer_braces_match(raw))
        or (raw[0] == '"' and raw[-1] == '"')
    ):
        return raw[1:-1]
    return raw


def _outer_braces_match(raw: str) -> bool:
    depth = 0
    for index, char in enumerate(raw):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0 and index != len(raw) - 1:
                return False
    return depth == 0


def split_concatenation(raw: str) -> list[str]:
    """The parts of a ``#``-joined value, each still with its delimiters."""
    parts: list[str] = []
    depth = 0
    quoted = False
    start = 0
    for index, char in enumerate(raw):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth == 0:
            quoted = not quoted
        elif char == "#" and depth == 0 and not quoted:
            parts.append(raw[start:index].strip())
            start = index + 1
    parts.append(raw[start:].strip())
    return parts


def resolve_value(raw: str, strings: Mapping[str, str]) -> tuple[str, list[str]]:
    """Resolve macros and ``#`` concatenation in a raw value.

    Returns the value and the names of macros that are not defined (kept as written, as
    BibTeX would warn and print nothing; keeping the name makes the mistake visible).
    """
    undefined: list[str] = []
    pieces: list[str] = []
    for part in split_concatenation(raw):
        if part[:1] in ("{", '"'):
            pieces.append(strip_delimiters(part))
        elif part.isdigit():
            pieces.append(part)
        else:
            name = part.lower()
            if name in strings:
                pieces.append(strings[name])
            elif name in MONTH_MACROS:
                pieces.append(MONTH_MACROS[name])
            else:
                undefined.append(part)
                pieces.append(part)
    return "".join(pieces), undefined


def line_of(block: bp.Block) -> int:
    """A block's 1-based first line (bibtexparser counts from 0)."""
    return (block.start_line or 0) + 1


def read_bibtex(path: Path, text: str | None = None) -> Library:
    """Read a ``.bib`` file into a :class:`Library` with located diagnostics.

    Built on the raw layer (:func:`read_raw`), and its diagnostics are the reader's
    structure rules (:data:`exilebib.structure.READER_RULES`), which ``exilebib lint``
    reports as they are, so a render names every broken block exactly as lint does. What
    comes out of a broken file is defined:

    - a block that does not parse (bibtexparser gave up, or the scanner could not read it
      to its end) is left out;
    - a missing comma: the entry is kept with both fields read as the author meant;
    - an extra ``}`` that ends an entry early: the entry is kept with the fields before it
      (as BibTeX does; the fields after it are outside any entry);
    - a field given twice: the entry is kept with the first value (as BibTeX does);
    - a key used twice: the first entry is kept, the later ones left out;
    - an empty key: the entry is left out (nothing could cite it); ``empty-key`` error;
    - a key with a space or another character BibTeX rejects: kept under the key as
      written; ``key-syntax`` error.
    """
    # exilebib.structure is built on the raw layer of this module; importing it at call
    # time lets both stay in the reading layer without an import cycle.
    from exilebib.structure import reader_diagnostics

    if text is None:
        text = read_text(path)
    with _no_collection():
        return _read_bibtex(path, text, reader_diagnostics)


def _read_bibtex(
    path: Path, text: str, diagnose: Callable[[str, RawFile], list[Diagnostic]]
) -> Library:
    shown = str(path)
    raw = read_raw(text)
    # Values are resolved with every @string of the file, as before a definition too (lint
    # warns about a macro used before it is defined); a macro is expanded only when used.
    strings = Macros(raw)
    sources: list[Source] = []
    for block in raw.blocks:
        entry = block.entry
        if entry is None or block.kind is BlockKind.STRING:
            continue
        usable = block.kind is BlockKind.ENTRY or block.failure is Failure.DUPLICATE_FIELD
        if not usable or not entry.key.strip() or entry.entry_type.lower() == "string":
            continue
        if any(problem.fatal for problem in entry.problems):
            continue
        sources.append(_source(raw, shown, block.start, entry, strings))
    diagnostics = diagnose(shown, raw)
    return Library(path, tuple(sources), tuple(diagnostics), strings)


def _source(
    raw: RawFile, shown: str, start: int, entry: RawEntry, strings: Mapping[str, str]
) -> Source:
    fields: list[Field] = []
    seen: set[str] = set()
    text = raw.text
    line = raw.position(start)[0]
    cursor = start
    for item in entry.fields:
        name = item.name.lower()
        if name in seen:  # BibTeX uses the first; lint reports the repetition
            continue
        seen.add(name)
        line += text.count("\n", cursor, item.name_start)  # cheaper than a search per field
        cursor = item.name_start
        location = Location(shown, line)
        fields.append(Field(name, resolve_parts(item.parts, strings)[0], item.value, location))
    return Source(
        key=entry.key,
        entry_type=entry.entry_type.lower(),
        fields=tuple(fields),
        location=Location(shown, raw.position(start)[0]),
    )


# --------------------------------------------------------------------------- raw layer
#
# ``lint`` and ``fmt`` need more than bibtexparser's blocks: the offset of every key, field
# name and value (for columns), the parts of a ``#``-joined value, and the mistakes
# bibtexparser tolerates (a missing comma makes it read the next field into the value).
# bibtexparser still splits the file into blocks; each block is then re-read here by a small
# scanner that knows BibTeX's value syntax and nothing else.


class BlockKind(enum.Enum):
    """What a block of a ``.bib`` file is."""

    ENTRY = "entry"  #: ``@type{key, ...}``
    STRING = "string"  #: ``@string{name = value}``
    PREAMBLE = "preamble"  #: ``@preamble{...}``
    COMMENT = "comment"  #: ``@comment{...}``
    FAILED = "failed"  #: a block bibtexparser gave up on (see :attr:`RawBlock.failure`)


class Failure(enum.Enum):
    """Why bibtexparser set a block aside."""

    SYNTAX = "syntax"  #: the block does not parse
    DUPLICATE_KEY = "duplicate-key"  #: a complete entry whose key was used before
    DUPLICATE_FIELD = "duplicate-field"  #: a complete entry with a field given twice


class ValueKind(enum.Enum):
    """One part of a (possibly ``#``-joined) value."""

    BRACED = "braced"  #: ``{text}``
    QUOTED = "quoted"  #: ``"text"``
    NUMBER = "number"  #: ``1975``
    MACRO = "macro"  #: ``wmc``, a reference to an ``@string`` (or a month macro)


# Looking a member up on an Enum class is slow; the scanner and resolver run per value.
_BRACED, _QUOTED, _NUMBER, _MACRO = (
    ValueKind.BRACED,
    ValueKind.QUOTED,
    ValueKind.NUMBER,
    ValueKind.MACRO,
)


class ProblemKind(enum.Enum):
    """A mistake the scanner found in a block; each names an offset."""

    MISSING_COMMA = "missing-comma"  #: ``title = {A} year = ...``: the comma is missing
    UNCLOSED_BRACE = "unclosed-brace"  #: a ``{`` that the block never closes
    STRAY_BRACE = "stray-brace"  #: a ``}`` with no ``{`` inside a quoted value
    UNCLOSED_QUOTE = "unclosed-quote"  #: a ``"`` value that is never closed
    UNCLOSED_ENTRY = "unclosed-entry"  #: the block ends before the entry's closing brace
    EXPECTED = "expected"  #: something else stands where BibTeX needs a name, ``=`` or value


@dataclass(frozen=True, slots=True)
class ValuePart:
    """One part of a value, with its delimiters; ``start`` is an offset into the file."""

    kind: ValueKind
    text: str
    start: int


@dataclass(frozen=True, slots=True)
class RawField:
    """``name = value`` exactly as written; offsets index the whole file's text."""

    name: str
    name_start: int
    value: str  #: the whole value as written, from its first part to its last
    value_start: int
    parts: tuple[ValuePart, ...]


@dataclass(frozen=True, slots=True)
class RawProblem:
    """A scanner finding: what, where (file offset), and in which field."""

    kind: ProblemKind
    offset: int
    detail: str
    field: str | None = None
    fatal: bool = False  #: the scanner could not read the rest of the block


@dataclass(frozen=True, slots=True)
class RawEntry:
    """An ``@type{key, fields}`` (or ``@string{name = value}``) block as the scanner read it.

    For ``@string`` blocks ``key`` is empty and ``fields`` holds the one definition.
    """

    entry_type: str  #: as written (``Book``)
    type_start: int
    key: str
    key_start: int
    fields: tuple[RawField, ...]
    problems: tuple[RawProblem, ...]
    parens: bool  #: written ``@type(key, ...)`` rather than with braces
    end: int = 0  #: the offset where the scan ended (after the closing delimiter if read)


@dataclass(frozen=True, slots=True)
class RawBlock:
    """A block of the file: its kind, span (``text[start:end] == raw``) and scan."""

    kind: BlockKind
    start: int
    end: int
    raw: str
    entry: RawEntry | None = None  #: for entries, strings and entry-shaped failed blocks
    failure: Failure | None = None
    reason: str = ""  #: bibtexparser's explanation of a failed block, if it gave one
    previous_line: int | None = None  #: 1-based line of the first entry of a duplicate key


@dataclass(frozen=True, slots=True)
class RawFile:
    """A ``.bib`` text split into blocks; text between blocks is free comment text."""

    text: str
    blocks: tuple[RawBlock, ...]
    line_starts: tuple[int, ...]

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based ``(line, column)`` of a file offset (columns count characters).

        The end of a file that ends with a line break is shown at the end of its last line,
        not on the empty line after it, which editors do not show.
        """
        text = self.text
        if offset >= len(text) and text.endswith("\n"):
            offset = len(text) - (2 if text.endswith("\r\n") else 1)
        index = bisect.bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index] + 1

    def line_text(self, line: int) -> str:
        """The text of 1-based ``line``, without its line break."""
        start = self.line_starts[line - 1]
        end = self.text.find("\n", start)
        return self.text[start : len(self.text) if end < 0 else end].rstrip("\r")

    @property
    def failed(self) -> tuple[RawBlock, ...]:
        """Blocks bibtexparser gave up on or in which the scanner found a mistake."""
        return tuple(
            block
            for block in self.blocks
            if block.kind is BlockKind.FAILED or (block.entry and block.entry.problems)
        )


_BLOCK_START = re.compile(r"@\s*([A-Za-z][\w-]*)\s*([{(])")
_SPACE = re.compile(r"\s*")
_FIELD_NAME = re.compile(r"[^\s=,{}()\"#%']+")
_BARE = re.compile(r"[^\s=,{}()\"#%']+")
_BRACE = re.compile(r"[{}]")
_QUOTED_STOP = re.compile(r'[{}"]')
_KEY = re.compile(r"[^,{}()\n=]*")
_NEXT_FIELD = re.compile(r"[^\s=,{}()\"#%']+\s*=")
_COMMENT_START = re.compile(r"@\s*comment\b", re.IGNORECASE)
_FIELD_HEAD = re.compile(r"([^\s=,{}()\"#%']+)\s*=\s*")
_skip_space = _SPACE.match  # \s* always matches
#: A braced value with braces nested at most one level deep (``{A {B} c}``), matched at once.
#: The alternatives exclude each other, so nothing is lost by never backtracking; the
#: possessive ``*+`` also keeps ``re`` from saving a backtracking point per ``{B}`` (50 bytes
#: each: a 10 MB value of ``{x}`` took 500 MB).
_SHALLOW_BRACED = re.compile(r"\{[^{}]*+(?:\{[^{}]*+\}[^{}]*+)*+\}")


class _Stop(Exception):
    """The scanner cannot read on: the problem is recorded, the scan ends."""


class _Scanner:
    """Reads one block's ``key`` and ``name = value`` pairs; offsets are file offsets."""

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text = text
        self.pos = start
        self.end = end
        self.problems: list[RawProblem] = []
        self.found: list[RawField] = []  #: the fields read so far, kept if the scan stops
        self.field: str | None = None

    def skip_space(self) -> None:
        self.pos = _skip_space(self.text, self.pos, self.end).end()  # type: ignore[union-attr]

    def stop(self, kind: ProblemKind, offset: int, detail: str) -> _Stop:
        self.problems.append(RawProblem(kind, offset, detail, self.field, fatal=True))
        return _Stop()

    def braced(self) -> ValuePart:
        start = self.pos
        shallow = _SHALLOW_BRACED.match(self.text, start, self.end)
        if shallow is not None:  # most values: no braces nested deeper than one level
            self.pos = shallow.end()
            return ValuePart(_BRACED, shallow.group(), start)
        depth = 0
        for match in _BRACE.finditer(self.text, start, self.end):
            depth += 1 if match.group() == "{" else -1
            if depth == 0:
                self.pos = match.end()
                return ValuePart(_BRACED, self.text[start : self.pos], start)
        raise self.stop(ProblemKind.UNCLOSED_BRACE, start, "this '{' is never closed")

    def quoted(self) -> ValuePart:
        start = self.pos
        depth = 0
        stray = False
        for match in _QUOTED_STOP.finditer(self.text, start + 1, self.end):
            char = match.group()
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
                if depth == -1 and not stray:
                    stray = True
                    self.problems.append(
                        RawProblem(
                            ProblemKind.STRAY_BRACE,
                            match.start(),
                            "this '}' closes no '{' inside the quoted value",
                            self.field,
                        )
                    )
            elif depth <= 0:
                self.pos = match.end()
                return ValuePart(_QUOTED, self.text[start : self.pos], start)
        raise self.stop(ProblemKind.UNCLOSED_QUOTE, start, "this '\"' is never closed")

    def value(self) -> tuple[str, int, tuple[ValuePart, ...]]:
        parts: list[ValuePart] = []
        while True:
            char = self.text[self.pos] if self.pos < self.end else ""
            if char == "{":
                parts.append(self.braced())
            elif char == '"':
                parts.append(self.quoted())
            else:
                match = _BARE.match(self.text, self.pos, self.end)
                if match is None:
                    raise self.stop(ProblemKind.EXPECTED, self.pos, "expected a value")
                word = match.group()
                kind = _NUMBER if word.isdigit() else _MACRO
                parts.append(ValuePart(kind, word, self.pos))
                self.pos = match.end()
            after = self.pos
            self.skip_space()
            if self.pos < self.end and self.text[self.pos] == "#":
                self.pos += 1
                self.skip_space()
                continue
            self.pos = after
            start = parts[0].start
            if len(parts) == 1:  # the value is its one part: share the string, not a copy
                return parts[0].text, start, (parts[0],)
            return self.text[start:after], start, tuple(parts)

    def fields(self, closer: str, limit: int | None = None) -> None:
        fields = self.found
        while True:
            self.skip_space()
            if self.pos >= self.end:
                raise self.stop(
                    ProblemKind.UNCLOSED_ENTRY, self.end, f"the block ends before its '{closer}'"
                )
            char = self.text[self.pos]
            if char == closer:
                self.pos += 1
                return
            if char == ",":
                self.pos += 1
                continue
            if limit is not None and len(fields) >= limit:
                raise self.stop(ProblemKind.EXPECTED, self.pos, f"expected '{closer}'")
            name_start = self.pos
            head = _FIELD_HEAD.match(self.text, name_start, self.end)
            if head is not None:  # ``name = `` in one step, the usual case
                name = sys.intern(head.group(1))  # one string per field name, not per field
                self.field = name
                self.pos = head.end()
            else:
                match = _FIELD_NAME.match(self.text, self.pos, self.end)
                if match is None:
                    raise self.stop(ProblemKind.EXPECTED, self.pos, "expected a field name")
                name = match.group()
                self.field = name
                self.pos = match.end()
                self.skip_space()
                raise self.stop(
                    ProblemKind.EXPECTED, self.pos, f"expected '=' after the field name '{name}'"
                )
            value, value_start, parts = self.value()
            fields.append(RawField(name, name_start, value, value_start, parts))
            self.skip_space()
            if self.pos < self.end and self.text[self.pos] not in (",", closer):
                following = _NEXT_FIELD.match(self.text, self.pos, self.end)
                if following is None:
                    raise self.stop(
                        ProblemKind.EXPECTED,
                        self.pos,
                        f"expected ',' or '{closer}' after the value of '{name}'",
                    )
                self.problems.append(
                    RawProblem(
                        ProblemKind.MISSING_COMMA,
                        self.pos,
                        f"no comma between the value of '{name}' and the next field",
                        name,
                    )
                )
            self.field = None


def scan_block(text: str, start: int, end: int) -> RawEntry | None:
    """Scan ``text[start:end]`` as an entry or ``@string``; ``None`` if it is neither.

    Problems are recorded, not raised: a block that stops parsing half-way returns the
    fields read so far and a fatal problem at the offset where reading stopped.
    """
    head = _BLOCK_START.match(text, start, end)
    if head is None:
        return None
    entry_type = head.group(1)
    lowered = entry_type.lower()
    if lowered in ("comment", "preamble"):
        return None
    parens = head.group(2) == "("
    closer = ")" if parens else "}"
    scanner = _Scanner(text, start, end)
    scanner.pos = head.end()
    key, key_start = "", head.end()
    try:
        if lowered != "string":
            scanner.skip_space()
            key_start = scanner.pos
            match = _KEY.match(text, scanner.pos, end)
            assert match is not None  # * always matches
            stop = match.end()
            if stop < end and text[stop] == "=":
                pass  # no key: the text read is the first field's name
            else:
                key = match.group().rstrip()
                scanner.pos = stop
                if stop < end and text[stop] == ",":
                    scanner.pos += 1
        scanner.fields(closer, limit=1 if lowered == "string" else None)
    except _Stop:
        pass
    return RawEntry(
        entry_type=entry_type,
        type_start=head.start(1),
        key=key,
        key_start=key_start,
        fields=tuple(scanner.found),
        problems=tuple(scanner.problems),
        parens=parens,
        end=scanner.pos,
    )


def _line_starts(text: str) -> tuple[int, ...]:
    starts = [0]
    find = text.find
    index = find("\n")
    while index >= 0:
        starts.append(index + 1)
        index = find("\n", index + 1)
    return tuple(starts)


def _reason(block: bp.Block) -> str:
    """Why bibtexparser gave up on ``block``, as it says it (empty if it says nothing).

    Taken from the block, not from the splitter's log: searching the log for each failed
    block made reading quadratic in the number of broken blocks.
    """
    error = getattr(block, "error", None)
    return str(getattr(error, "abort_reason", "") or "").strip()


def read_raw(text: str) -> RawFile:
    """Split ``text`` into located blocks (bibtexparser) and scan each one (exilebib).

    Every block keeps its exact span, so ``text`` is the blocks plus the free text between
    them, byte for byte: the basis of lossless formatting and of column-exact diagnostics.
    """
    with _no_collection():
        return _read_raw(text)


def _read_raw(text: str) -> RawFile:
    line_starts = _line_starts(text)
    plain = _plain_blocks(text)
    if plain is not None:
        return RawFile(text, tuple(plain), line_starts)
    return _read_split(text, line_starts)


def _read_split(text: str, line_starts: tuple[int, ...]) -> RawFile:
    """``text`` split into blocks by bibtexparser, each block then scanned."""
    located = _located_blocks(text, line_starts)  # bibtexparser's blocks are gone by now
    blocks: list[RawBlock] = []
    for kind, start, end, raw, failure, reason, previous in located:
        entry = scan_block(text, start, end) if kind is not BlockKind.COMMENT else None
        blocks.append(RawBlock(kind, start, end, raw, entry, failure, reason, previous))
    located.clear()
    for index, scanned in enumerate(blocks):
        following = blocks[index + 1].start if index + 1 < len(blocks) else len(text)
        if _keyless_cut_short(scanned):
            blocks[index] = _rescanned(text, scanned, following)
        elif scanned.kind is BlockKind.COMMENT:
            blocks[index] = _comment_span(text, scanned, following)
    return RawFile(text, tuple(blocks), line_starts)


_Located = tuple[BlockKind, int, int, str, "Failure | None", str, "int | None"]

#: A block start as bibtexparser's splitter finds one: ``@``, a word, spaces or tabs, then
#: ``{`` or ``(``, anywhere outside a block (its pattern, so both find the same blocks).
_SPLITTER_BLOCK_START = re.compile(r"@\w*[ \t]*(?=[{(])")
#: The one block start the plain path reads: ``@type{`` with an ASCII type and no space.
_PLAIN_START = re.compile(r"@[A-Za-z][A-Za-z0-9_]*\{")
#: What makes a file not plain wherever it stands, found in one pass before any scanning
#: (JabRef ends its files with an ``@Comment``): a block bibtexparser reads as no entry (it
#: compares the start of the type: ``@commentary{`` is a comment to it), a block in
#: parentheses, and ``\{`` or ``\}`` (no braces to bibtexparser's splitter, which skips a
#: mark after a backslash; braces to BibTeX and the scanner).
_NOT_PLAIN = re.compile(
    r"@(?:comment|preamble|string)\w*[ \t]*[{(]|@\w*[ \t]*\(|\\[{}]", re.IGNORECASE
)
_BLANK = re.compile(r"\s*")


def _plain_blocks(text: str) -> list[RawBlock] | None:
    r"""The file's blocks read by the scanner alone; ``None`` if the file is not plain.

    A file is plain when every block bibtexparser would find is an ``@type{key, ...}`` entry
    that the scanner reads without a problem, with nothing between its tokens but blanks,
    no character the splitter reads differently from BibTeX (a quote inside a quoted value,
    ``\{``, a backslash outside braces and quotes, a block start inside the entry), and no
    key or field name given twice. For such a file bibtexparser's blocks are exactly these
    entries (``tests/reading/test_plain_path.py`` compares both ways on every test file and
    on generated ones), so it is not consulted. The scan stops at the first block that is not
    plain, and its blocks are dropped before bibtexparser reads the file: the reader's peak
    memory stays what it was.
    """
    if _NOT_PLAIN.search(text) is not None:
        return None
    blocks: list[RawBlock] = []
    keys: set[str] = set()
    search = _SPLITTER_BLOCK_START.search
    found = search(text)
    while found is not None:
        start = found.start()
        head = _PLAIN_START.match(text, start)
        if head is None or head.end() != found.end() + 1:
            return None
        entry = scan_block(text, start, len(text))
        if entry is None or not _plain_entry(text, head.end(), entry):
            return None
        end = entry.end
        raw = text[start:end]
        folded = entry.key.casefold()
        if search(raw, 1) is not None or folded in keys:
            return None
        keys.add(folded)
        blocks.append(RawBlock(BlockKind.ENTRY, start, end, raw, entry))
        found = search(text, end)
    return blocks


def _plain_entry(text: str, body: int, entry: RawEntry) -> bool:
    """Whether ``entry`` (its body starting at ``body``, after the ``{``) is read alike by
    bibtexparser: a key, then ``, name = value`` pairs, a comma at most before the ``}``,
    blanks between the tokens, and no name twice."""
    if entry.problems or entry.parens or not entry.key or text[entry.end - 1] != "}":
        return False
    if any(char in entry.key for char in '"@\\'):
        return False
    blank = _BLANK.match
    pos = entry.key_start + len(entry.key)
    if blank(text, body).end() != entry.key_start:  # type: ignore[union-attr]
        return False
    names: set[str] = set()
    for item in entry.fields:
        pos = blank(text, pos).end()  # type: ignore[union-attr]
        if text[pos] != ",":
            return False
        if blank(text, pos + 1).end() != item.name_start:  # type: ignore[union-attr]
            return False
        folded = item.name.casefold()
        if folded in names or "@" in item.name or "\\" in item.name:
            return False
        names.add(folded)
        for part in item.parts:
            # The splitter skips a quote or comma after a backslash; inside braces that
            # changes nothing, inside quotes and in a bare word it would.
            if part.kind is _QUOTED:
                inner = part.text[1:-1]
                if '"' in inner or inner.endswith("\\"):
                    return False
            elif part.kind is not _BRACED and "\\" in part.text:
                return False
        pos = item.value_start + len(item.value)
    pos = blank(text, pos).end()  # type: ignore[union-attr]
    if text[pos] == ",":
        pos = blank(text, pos + 1).end()  # type: ignore[union-attr]
    return pos == entry.end - 1


def _located_blocks(text: str, line_starts: tuple[int, ...]) -> list[_Located]:
    """What exilebib keeps of bibtexparser's blocks: kind, span, raw text and failure.

    Only this is kept, so bibtexparser's own blocks (their fields and values: several times
    the file's size) are freed before the scanner builds the blocks exilebib uses.
    """
    from bibtexparser import model as bp

    located: list[_Located] = []
    cursor = 0
    for block in parse_blocks(text).blocks:
        if isinstance(block, bp.ImplicitComment):
            continue
        raw = block.raw or ""
        start_line = block.start_line or 0
        line_start = line_starts[min(start_line, len(line_starts) - 1)]
        start = text.find(raw, max(line_start, cursor))
        if start < 0:  # never seen; keep the block findable rather than lose it
            start = text.find(raw, cursor)
        end = start + len(raw)
        cursor = end
        failure: Failure | None = None
        previous: int | None = None
        if isinstance(block, bp.Entry):
            kind = BlockKind.ENTRY
        elif isinstance(block, bp.String):
            kind = BlockKind.STRING
        elif isinstance(block, bp.Preamble):
            kind = BlockKind.PREAMBLE
        elif isinstance(block, bp.ExplicitComment) or _COMMENT_START.match(raw):
            # Also a @comment bibtexparser gave up on (unbalanced braces): BibTeX reads only
            # the word '@comment'; the rest is text outside entries (see _comment_span).
            kind = BlockKind.COMMENT
        else:
            kind = BlockKind.FAILED
            if isinstance(block, bp.DuplicateBlockKeyBlock):
                failure = Failure.DUPLICATE_KEY
                previous = line_of(block.previous_block)
            elif isinstance(block, bp.DuplicateFieldKeyBlock):
                failure = Failure.DUPLICATE_FIELD
            else:
                failure = Failure.SYNTAX
        located.append(
            (kind, start, end, raw, failure, _reason(block) if failure else "", previous)
        )
    return located


def _comment_span(text: str, block: RawBlock, limit: int) -> RawBlock:
    """A ``@comment`` block, widened over the text after it when that holds braces.

    BibTeX treats ``@comment`` as a command word and skips everything after it up to the
    next ``@`` like any text outside entries, so braces in a comment need not balance.
    bibtexparser instead reads a braced block: an unbalanced comment fails, or ends early
    and leaves its rest (with a '}') between blocks. Both are one opaque comment here,
    copied byte for byte by ``fmt`` and never brace-checked by ``lint``.
    """
    gap = text[block.end : limit]
    if "{" not in gap and "}" not in gap and block.raw == block.raw.rstrip():
        return block
    end = block.start + len(text[block.start : limit].rstrip())
    return RawBlock(BlockKind.COMMENT, block.start, end, text[block.start : end])


def _keyless_cut_short(block: RawBlock) -> bool:
    """``@book{title = {x}, ...}``: bibtexparser reads ``title`` as the key and gives up at
    the ``=``, cutting the block there; the scanner ran into that cut."""
    entry = block.entry
    return (
        block.failure is Failure.SYNTAX
        and entry is not None
        and not entry.key
        and entry.entry_type.lower() != "string"
        and any(problem.fatal and problem.offset >= block.end for problem in entry.problems)
    )


def _rescanned(text: str, block: RawBlock, limit: int) -> RawBlock:
    """The block re-read up to the next block: a whole entry without a key, if it is one."""
    entry = scan_block(text, block.start, limit)
    if entry is None or any(problem.fatal for problem in entry.problems):
        return block
    end = entry.end
    return RawBlock(BlockKind.ENTRY, block.start, end, text[block.start : end], entry)


def resolve_parts(
    parts: tuple[ValuePart, ...], strings: Mapping[str, str]
) -> tuple[str, list[ValuePart]]:
    """Resolve a scanned value like :func:`resolve_value`, without re-splitting its text.

    Returns the value and the macro parts that name no ``@string`` (kept as written).
    With a file's :class:`Macros`, a value that would grow past :data:`MACRO_VALUE_LIMIT`
    keeps its macros as written too (see :meth:`Macros.resolve`).
    """
    if len(parts) == 1 and parts[0].kind is not _MACRO:  # the common case, made cheap
        text = parts[0].text
        return (text if parts[0].kind is _NUMBER else text[1:-1]), []
    if isinstance(strings, Macros):
        return strings.resolve(parts)
    undefined: list[ValuePart] = []
    pieces: list[str] = []
    for part in parts:
        if part.kind is ValueKind.BRACED or part.kind is ValueKind.QUOTED:
            pieces.append(part.text[1:-1])
        elif part.kind is ValueKind.NUMBER:
            pieces.append(part.text)
        else:
            name = part.text.lower()
            if name in strings:
                pieces.append(strings[name])
            elif name in MONTH_MACROS:
                pieces.append(MONTH_MACROS[name])
            else:
                undefined.append(part)
                pieces.append(part.text)
    return "".join(pieces), undefined


# --------------------------------------------------------------------------- macros
#
# ``@string{s1 = s0 # s0}`` doubles ``s0``; forty such lines make a 1 KB file expand to
# terabytes. So the file's macros are kept as their scanned parts, the length of every
# definition is computed first (integers only, saturating at the limit), and a value is
# built only when an entry uses it and only if it stays within the limits below.

#: The most characters a value may have once its macros are expanded (about 1 MB): a
#: longer value keeps its macros as written, and lint reports ``macro-too-long``.
MACRO_VALUE_LIMIT = 1_000_000
#: The most characters macro expansion may build for one file in all, whatever the number
#: of values using macros: this many, or four times the file's size if that is more.
MACRO_FILE_BUDGET = 16_000_000


class Macros(Mapping[str, str]):
    """A file's ``@string`` macros (lower-cased name → value), expanded only when asked.

    A definition sees the macros defined above it (as BibTeX reads the file); an entry sees
    the last definition of each name in the file. Expansion is memoised per definition and
    never recurses, so neither a long chain nor a doubling of definitions costs more than
    the values actually used. A name whose value is too long is not in the mapping (it is
    in :meth:`length`); :attr:`offsets` has every name.
    """

    def __init__(self, raw: RawFile) -> None:
        self._parts: list[tuple[ValuePart, ...]] = []
        #: per definition and part: the index of the definition a macro part refers to
        self._refs: list[tuple[int | None, ...]] = []
        self._lengths: list[int] = []  #: expanded lengths, saturated at the limit + 1
        self._latest: dict[str, int] = {}  #: name → its last definition
        self._expanded: dict[int, str] = {}
        self._budget = max(MACRO_FILE_BUDGET, 4 * len(raw.text))
        #: name → offset of the name in its first definition (lint compares it with uses)
        self.offsets: dict[str, int] = {}
        #: offset of a macro part kept as written → the length its value would have had
        self.refused: dict[int, int] = {}
        for block in raw.blocks:
            if block.kind is BlockKind.STRING and block.entry and block.entry.fields:
                self._define(block.entry.fields[0])

    def _define(self, definition: RawField) -> None:
        refs: list[int | None] = []
        for part in definition.parts:
            refs.append(self._latest.get(part.text.lower()) if part.kind is _MACRO else None)
        name = definition.name.lower()
        self._parts.append(definition.parts)
        self._refs.append(tuple(refs))
        self._lengths.append(self._length(definition.parts, refs))
        self._latest[name] = len(self._parts) - 1
        self.offsets.setdefault(name, definition.name_start)

    def _length(self, parts: tuple[ValuePart, ...], refs: list[int | None]) -> int:
        total = 0
        for part, ref in zip(parts, refs, strict=True):
            if ref is not None:
                total += self._lengths[ref]
            elif part.kind is _BRACED or part.kind is _QUOTED:
                total += len(part.text) - 2
            elif part.kind is _MACRO and part.text.lower() in MONTH_MACROS:
                total += len(MONTH_MACROS[part.text.lower()])
            else:
                total += len(part.text)
            if total > MACRO_VALUE_LIMIT:  # saturate: a doubling chain stays a small int
                return MACRO_VALUE_LIMIT + 1
        return total

    def length(self, parts: tuple[ValuePart, ...]) -> int:
        """The length of a value of the file once expanded (saturated past the limit)."""
        return self._length(parts, [self._ref(part) for part in parts])

    def _ref(self, part: ValuePart) -> int | None:
        return self._latest.get(part.text.lower()) if part.kind is _MACRO else None

    def _affordable(self, length: int) -> bool:
        if length > MACRO_VALUE_LIMIT or length > self._budget:
            return False
        self._budget -= length
        return True

    def _expand(self, index: int) -> str | None:
        """Definition ``index`` expanded, or ``None`` if it is too long for the limits."""
        done = self._expanded
        if index in done:
            return done[index]
        if self._lengths[index] > MACRO_VALUE_LIMIT:
            return None
        stack = [index]
        while stack:  # depth-first without recursion: dependencies first
            current = stack[-1]
            if current in done:
                stack.pop()
                continue
            waiting = [ref for ref in self._refs[current] if ref is not None and ref not in done]
            if waiting:
                stack.extend(waiting)
                continue
            stack.pop()
            parts, refs = self._parts[current], self._refs[current]
            if len(parts) == 1 and refs[0] is not None:  # an alias: share the string
                done[current] = done[refs[0]]
                continue
            if not self._affordable(self._lengths[current]):
                return None
            done[current] = "".join(
                done[ref] if ref is not None else _literal(part)
                for part, ref in zip(parts, refs, strict=True)
            )
        return done[index]

    def resolve(self, parts: tuple[ValuePart, ...]) -> tuple[str, list[ValuePart]]:
        """A value of the file resolved (see :func:`resolve_parts`).

        A value that would be longer than :data:`MACRO_VALUE_LIMIT`, or would overrun the
        file's budget, keeps its macro parts as written; their offsets go to
        :attr:`refused` with the length the value would have had.
        """
        refs = [self._ref(part) for part in parts]
        length = self._length(parts, refs)
        expanded: list[str | None] = [None] * len(parts)
        if length <= MACRO_VALUE_LIMIT:
            expanded = [self._expand(ref) if ref is not None else None for ref in refs]
        fits = all(
            text is not None for text, ref in zip(expanded, refs, strict=True) if ref is not None
        )
        if fits and len(parts) > 1 and not self._affordable(length):
            fits = False
        undefined: list[ValuePart] = []
        pieces: list[str] = []
        for part, ref, text in zip(parts, refs, expanded, strict=True):
            if ref is not None:
                if fits and text is not None:
                    pieces.append(text)
                else:
                    self.refused[part.start] = length
                    pieces.append(part.text)
            else:
                if part.kind is _MACRO and part.text.lower() not in MONTH_MACROS:
                    undefined.append(part)
                pieces.append(_literal(part))
        return "".join(pieces), undefined

    def __getitem__(self, name: str) -> str:
        index = self._latest[name.lower()]
        value = self._expand(index)
        if value is None:
            raise KeyError(name)
        return value

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str) or name.lower() not in self._latest:
            return False
        return self._lengths[self._latest[name.lower()]] <= MACRO_VALUE_LIMIT

    def __iter__(self) -> Iterator[str]:
        return (name for name in self._latest if name in self)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _literal(part: ValuePart) -> str:
    """A part that is not a defined macro, as it reads: delimiters removed, months named."""
    kind = part.kind
    if kind is _BRACED or kind is _QUOTED:
        return part.text[1:-1]
    if kind is _MACRO:
        return MONTH_MACROS.get(part.text.lower(), part.text)
    return part.text

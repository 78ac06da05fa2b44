"""Read BibTeX into the project's model: the only module that imports bibtexparser.

bibtexparser 2.x splits the file into blocks; exilebib runs it with an empty parse stack so
values arrive exactly as written (delimiters, macros, ``#`` concatenation, ``%`` in URLs),
and resolves them here itself. Its default stack would LaTeX-decode URLs (``%`` starts a
LaTeX comment, so everything after it is lost) and would drop an entry with a repeated
field without a word.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from bibtexparser import model as bp
from bibtexparser.entrypoint import parse_string
from bibtexparser.library import Library as BpLibrary

from exilebib.errors import Diagnostic, InputError, Severity
from exilebib.model import Field, Library, Location, Source

#: BibTeX's predefined month macros (``month = aug``), as the styles print them.
MONTH_MACROS: Mapping[str, str] = {
    "jan": "January",
    "feb": "February",
    "mar": "March",
    "apr": "April",
    "may": "May",
    "jun": "June",
    "jul": "July",
    "aug": "August",
    "sep": "September",
    "oct": "October",
    "nov": "November",
    "dec": "December",
}

_SPLITTER_LOGGER = "bibtexparser.splitter"
_ABORTED = re.compile(r"aborted on line (\d+)")


class _Collect(logging.Handler):
    """Keeps the splitter's explanations of failed blocks, which it only logs."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _splitter_messages() -> Iterator[list[str]]:
    logger = logging.getLogger(_SPLITTER_LOGGER)
    handler = _Collect()
    saved = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False  # keep bibtexparser from printing on stderr behind our back
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)
        logger.propagate = saved


def read_text(path: Path) -> str:
    """The file's text as UTF-8, or an :class:`InputError` that says what to do."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file (pass the path of a .bib or .json file)") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a sources file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read it: {exc.strerror}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{path}:{line}: not valid UTF-8 (byte {exc.start}); save the file as UTF-8"
        ) from None


def parse_blocks(text: str) -> tuple[BpLibrary, list[str]]:
    """Split ``text`` into bibtexparser blocks with values untouched (no middleware).

    Returns the library and the splitter's messages about blocks it had to give up on.
    This is the raw layer that ``fmt`` and ``lint`` build on.
    """
    with _splitter_messages() as messages:
        library = parse_string(text, parse_stack=[])
    return library, messages


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


def _failed_block_diagnostic(
    block: bp.ParsingFailedBlock, path: str, messages: list[str]
) -> Diagnostic:
    line = line_of(block)
    if isinstance(block, bp.DuplicateBlockKeyBlock):
        previous = line_of(block.previous_block)
        return Diagnostic(
            Severity.ERROR,
            "duplicate-key",
            f"entry key '{block.key}' is used again (first at line {previous})",
            Location(path, line),
            key=block.key,
            hint="give one of the entries another key, or merge them",
        )
    if isinstance(block, bp.DuplicateFieldKeyBlock):
        fields = ", ".join(sorted(block.duplicate_keys))
        entry = block.ignore_error_block
        key = entry.key if isinstance(entry, bp.Entry) else "?"
        return Diagnostic(
            Severity.ERROR,
            "duplicate-field",
            f"entry '{key}' has the field(s) {fields} more than once; the first value is used",
            Location(path, line),
            key=key,
            hint="keep one value of each field",
        )
    # The splitter's messages count lines from 0.
    detail = next((m for m in messages if f"(line {block.start_line})" in m), "")
    where = _ABORTED.search(detail)
    reason = detail.split("\n", 1)[-1].strip() if detail else "the block does not parse"
    raw = (block.raw or "").strip()
    first_line = raw.splitlines()[0] if raw else ""
    key_match = re.match(r"@\s*\w+\s*[{(]\s*([^,\s]+)\s*,", first_line)
    found: str | None = key_match.group(1) if key_match else None
    at = f" (gave up on line {int(where.group(1)) + 1})" if where else ""
    return Diagnostic(
        Severity.ERROR,
        "syntax-error",
        f"{'entry ' + repr(found) if found else 'block'} does not parse{at}: {reason}",
        Location(path, line),
        key=found,
        hint="check the braces and quotes, and the comma after every field",
    )


def read_bibtex(path: Path, text: str | None = None) -> Library:
    """Read a ``.bib`` file into a :class:`Library` with located diagnostics.

    Blocks that fail to parse become ``syntax-error`` diagnostics (every one, not the
    first); the entries around them are kept.
    """
    if text is None:
        text = read_text(path)
    shown = str(path)
    library, messages = parse_blocks(text)
    diagnostics: list[Diagnostic] = []
    strings: dict[str, str] = {}
    for string in library.strings:
        value, _ = resolve_value(string.value, strings)
        strings[string.key.lower()] = value

    # An entry with a repeated field is set aside by bibtexparser; BibTeX itself keeps it
    # with the first value, and so do we (the diagnostic below says so).
    entries: list[bp.Entry] = list(library.entries)
    entries += [
        block.ignore_error_block
        for block in library.failed_blocks
        if isinstance(block, bp.DuplicateFieldKeyBlock)
        and isinstance(block.ignore_error_block, bp.Entry)
    ]
    entries.sort(key=line_of)
    sources: list[Source] = []
    for entry in entries:
        fields: list[Field] = []
        seen: set[str] = set()
        for item in entry.fields:
            if item.key.lower() in seen:
                continue
            seen.add(item.key.lower())
            location = Location(shown, (item.start_line or 0) + 1)
            value, undefined = resolve_value(item.value, strings)
            for name in undefined:
                diagnostics.append(
                    Diagnostic(
                        Severity.WARNING,
                        "undefined-macro",
                        f"entry '{entry.key}': field '{item.key}' uses the undefined "
                        f"@string macro '{name}'",
                        location,
                        key=entry.key,
                        hint=f"define it with @string{{{name} = {{...}}}} or brace the value",
                    )
                )
            fields.append(Field(item.key.lower(), value, item.value, location))
        sources.append(
            Source(
                key=entry.key,
                entry_type=entry.entry_type.lower(),
                fields=tuple(fields),
                location=Location(shown, line_of(entry)),
            )
        )
    for block in library.failed_blocks:
        diagnostics.append(_failed_block_diagnostic(block, shown, messages))
    diagnostics.sort(key=lambda d: d.location.line)
    return Library(path, tuple(sources), tuple(diagnostics), strings)

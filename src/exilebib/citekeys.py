"""Keys cited in Markdown or LaTeX documents.

Markdown follows pandoc's citation syntax (``[@key]``, ``[see @key, p. 3; -@other]``,
``@key`` in the text, ``@{key}``), skipping code. LaTeX reads ``\\cite``-family commands
(``\\cite``, ``\\citep``, ``\\citet``, ``\\parencite``, ``\\textcite``, ``\\autocite``,
``\\footcite``, ``\\nocite``, starred forms, optional ``[..]`` arguments, comma lists and
biblatex's multi-cite ``\\cites[..]{a}[..]{b}``) and ``\\citation`` in ``.aux`` files, skipping
``%`` comments. ``\\nocite{*}`` cites every entry. ``lint --cited`` checks these keys
against the sources; ``render --cited`` renders only the entries they name.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from exilebib.bibtex import decode_utf8
from exilebib.errors import InputError
from exilebib.model import Location

#: File suffixes read as LaTeX; anything else is read as Markdown.
LATEX_SUFFIXES = frozenset({".tex", ".ltx", ".latex", ".aux", ".sty", ".cls"})


@dataclass(frozen=True, slots=True)
class Citation:
    """One cited key and where it is cited (1-based line and column)."""

    key: str
    location: Location


@dataclass(frozen=True, slots=True)
class CitedKeys:
    """What one ``--cited`` file cites; ``everything`` after ``\\nocite{*}``."""

    path: str
    citations: tuple[Citation, ...]
    everything: bool = False


_LATEX_COMMAND = re.compile(r"\\([A-Za-z]*cite[A-Za-z]*|citation)\*?")
_NOT_CITATIONS = frozenset({"citestyle", "declarecitecommand", "citeindexfalse", "citeindextrue"})
_OPTIONAL = re.compile(r"\s*(?:\[[^\]]*\]|\([^)]*\))")
_KEYS = re.compile(r"\s*\{([^}]*)\}")
_LATEX_COMMENT = re.compile(r"(?<!\\)%[^\n]*")
_FENCE = re.compile(r"^(```|~~~)[^\n]*\n.*?^\1[^\n]*$", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"(`+)[^`].*?\1", re.DOTALL)
_MARKDOWN_KEY = re.compile(r"(?<![\w@/:.\\])-?@(?:\{([^}]+)\}|([A-Za-z0-9_][\w:.#$%&\-+?<>~/]*))")
_TRAILING = ":.#$%&-+?<>~/"


def _blank(match: re.Match[str]) -> str:
    """Replace a match by spaces, keeping line breaks so offsets and lines stay true."""
    return re.sub(r"[^\n]", " ", match.group())


def _line_starts(text: str) -> list[int]:
    return [0] + [index + 1 for index, char in enumerate(text) if char == "\n"]


def scan_latex(text: str) -> Iterator[tuple[str, int]]:
    """``(key, offset)`` of every key cited by a ``\\cite``-family command."""
    text = _LATEX_COMMENT.sub(_blank, text)
    for command in _LATEX_COMMAND.finditer(text):
        name = command.group(1).lower()
        if name in _NOT_CITATIONS:
            continue
        multi = name.endswith("cites")
        position = command.end()
        while True:
            while (optional := _OPTIONAL.match(text, position)) is not None:
                position = optional.end()
            keys = _KEYS.match(text, position)
            if keys is None:
                break
            offset = keys.start(1)
            for part in keys.group(1).split(","):
                key = part.strip()
                if key:
                    yield key, offset + part.index(key[0])
                offset += len(part) + 1
            position = keys.end()
            if not multi:
                break


def scan_markdown(text: str) -> Iterator[tuple[str, int]]:
    """``(key, offset)`` of every pandoc citation outside code."""
    text = _FENCE.sub(_blank, text)
    text = _CODE_SPAN.sub(_blank, text)
    for match in _MARKDOWN_KEY.finditer(text):
        if match.group(1):
            yield match.group(1), match.start(1)
        else:
            key = match.group(2).rstrip(_TRAILING)
            if key:
                yield key, match.start(2)


def scan_citations(shown: str, text: str, latex: bool) -> CitedKeys:
    """The citations in one file; ``shown`` is the path used in locations."""
    starts = _line_starts(text)
    found: list[Citation] = []
    everything = False
    for key, offset in scan_latex(text) if latex else scan_markdown(text):
        if key == "*":
            everything = True
            continue
        index = bisect.bisect_right(starts, offset) - 1
        found.append(Citation(key, Location(shown, index + 1, offset - starts[index] + 1)))
    return CitedKeys(shown, tuple(found), everything)


def read_document(path: Path) -> str:
    """The text of a document given to ``--cited``; a missing or unreadable one is an
    :class:`~exilebib.errors.InputError` saying what ``--cited`` takes."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(
            f"{path}: no such file (--cited takes a Markdown or LaTeX file)"
        ) from None
    except IsADirectoryError:
        raise InputError(
            f"{path}: is a directory (--cited takes a Markdown or LaTeX file)"
        ) from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read it: {exc.strerror}") from None
    return decode_utf8(data, str(path))


def read_cited(path: Path) -> CitedKeys:
    """The citations in the document at ``path`` (LaTeX by suffix, else Markdown)."""
    return scan_citations(str(path), read_document(path), path.suffix.lower() in LATEX_SUFFIXES)

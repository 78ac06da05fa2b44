"""Keys cited in Markdown or LaTeX documents.

Markdown follows pandoc's citation syntax (``[@key]``, ``[see @key, p. 3; -@other]``,
``@key`` and ``@key [p. 3]`` in the text, ``@{key}``), skipping front matter, code, HTML
comments, escaped ``\\@`` and e-mail addresses: :func:`parse_markdown` returns whole
clusters (prefixes, locators, suffixes, suppressed authors) for ``exilebib doc``.
LaTeX reads ``\\cite``-family commands
(``\\cite``, ``\\citep``, ``\\citet``, ``\\parencite``, ``\\textcite``, ``\\autocite``,
``\\footcite``, ``\\nocite``, starred forms, optional ``[..]`` arguments, comma lists and
biblatex's multi-cite ``\\cites[..]{a}[..]{b}``) and ``\\citation`` in ``.aux`` files, skipping
``%`` comments. ``\\nocite{*}`` cites every entry. ``lint --cited`` checks these keys
against the sources; ``render --cited`` renders only the entries they name.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from exilebib.bibtex import decode_utf8
from exilebib.document.locators import Locator, parse_locator
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
class Cite:
    """One cite of a Markdown citation cluster, as pandoc reads it.

    ``prefix`` and ``suffix`` are the author's Markdown (the suffix without the locator,
    with its leading comma or space); ``location`` is where the key starts.
    """

    key: str
    location: Location
    prefix: str = ""
    suffix: str = ""
    locator: Locator | None = None
    suppress_author: bool = False
    offset: int = 0  #: where the key starts in the text (0-based)


@dataclass(frozen=True, slots=True)
class Cluster:
    """One citation: ``[see @a, p. 3; @b]`` or ``@a [p. 3]`` (``author_in_text``).

    ``start``/``end`` are offsets into the document's text of everything the citation
    replaces; ``location`` is where it starts.
    """

    cites: tuple[Cite, ...]
    start: int
    end: int
    location: Location
    author_in_text: bool = False


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
#: a line opening or closing a fenced code block: its run of backticks or tildes
_FENCE_LINE = re.compile(r" {0,3}(`{3,}|~{3,})")
#: a link's destination, ``[text](dest)``: an address, never a citation
#: (possessive, and no brackets in the address: a run of "](" must not be rescanned from
#: every one of them)
_LINK_DESTINATION = re.compile(r"(?<=\])\([^)\s\[\]]*+(?:\s+\"[^\"]*\")?\)")
#: YAML front matter, only at the very start (pandoc also reads later blocks; authors
#: writing essays put it first)
_FRONT_MATTER = re.compile(r"\A---[ \t\r]*\n.*?^(?:---|\.\.\.)[ \t\r]*$", re.MULTILINE | re.DOTALL)
#: A key as pandoc reads it: a letter, digit or _, then letters and digits with single
#: internal punctuation (``Foo_bar.baz.`` is ``Foo_bar.baz``; ``a--b`` is ``a``).
_KEY = r"(?:\{([^{}\n]+)\}|(\w(?:\w|[:.#$%&\-+?<>~/](?=\w))*))"
#: ``@key`` not inside a word, an e-mail address, a URL or after a backslash
_MARKDOWN_KEY = re.compile(r"(?<![\w@/:.\\])-?@" + _KEY)
_BRACKET_ITEM = re.compile(r"(-?)@" + _KEY)
#: what makes ``[...]`` a link rather than a citation: ``(dest)`` or ``[ref]`` after it
_LINK_AFTER = re.compile(r"[(\[]")
#: a link reference definition, ``[label]: dest`` at the start of a line
_REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[(?!\^)[^\]\n]*\]:", re.MULTILINE)


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


def mask_markdown(text: str) -> str:
    """``text`` with front matter, code, and HTML comments blanked (same length and
    lines), so nothing in them is read as a citation."""
    masked = _FRONT_MATTER.sub(_blank, text)
    masked = _mask_ranges(masked, _fences(masked))
    masked = _mask_ranges(masked, _code_spans(masked))
    masked = _mask_ranges(masked, _html_comments(masked))
    for pattern in (_LINK_DESTINATION, _REFERENCE_DEFINITION):
        masked = pattern.sub(_blank, masked)
    return _mask_indented_code(text, masked)


def _mask_ranges(text: str, ranges: Iterable[tuple[int, int]]) -> str:
    """``text`` with each ``(start, end)`` range blanked (line breaks kept)."""
    parts = []
    position = 0
    for start, end in ranges:
        parts.append(text[position:start])
        parts.append(re.sub(r"[^\n]", " ", text[start:end]))
        position = end
    parts.append(text[position:])
    return "".join(parts)


def _fences(text: str) -> Iterator[tuple[int, int]]:
    """Fenced code blocks: from a line of three or more backticks (or tildes) to the next
    line of at least as many of them. An unclosed fence is text, as pandoc reads it.
    Whether a fence closes is known from the longest run below each line, so no fence is
    searched for to the end of the text more than once (that was quadratic)."""
    lines = text.split("\n")
    runs: list[tuple[str, int] | None] = []
    for line in lines:
        match = _FENCE_LINE.match(line)
        runs.append((match.group(1)[0], len(match.group(1))) if match else None)
    longest: dict[str, list[int]] = {"`": [0] * (len(lines) + 1), "~": [0] * (len(lines) + 1)}
    for index in range(len(lines) - 1, -1, -1):
        for char, below in longest.items():
            run = runs[index]
            below[index] = max(below[index + 1], run[1] if run and run[0] == char else 0)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    index = 0
    while index < len(lines):
        run = runs[index]
        if run is None or longest[run[0]][index + 1] < run[1]:
            index += 1
            continue
        close = index + 1
        while not ((found := runs[close]) and found[0] == run[0] and found[1] >= run[1]):
            close += 1
        yield starts[index], starts[close] + len(lines[close])
        index = close + 1


def _code_spans(text: str) -> Iterator[tuple[int, int]]:
    """Code spans: a run of backticks up to the next run of the same length (CommonMark).
    Found in one pass over the runs, each with the index of the next run as long: a
    search from each unclosed run to the end of the text was quadratic."""
    runs = [(m.start(), m.end()) for m in re.finditer(r"`+", text)]
    following: list[int | None] = [None] * len(runs)
    last: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):
        length = runs[index][1] - runs[index][0]
        following[index] = last.get(length)
        last[length] = index
    index = 0
    while index < len(runs):
        close = following[index]
        if close is None:
            index += 1
            continue
        yield runs[index][0], runs[close][1]
        index = close + 1


def _html_comments(text: str) -> Iterator[tuple[int, int]]:
    """``<!-- ... -->`` comments; once one is left open, none after it closes either (a
    search from each ``<!--`` to the end was quadratic)."""
    position = 0
    while (start := text.find("<!--", position)) != -1:
        end = text.find("-->", start + 4)
        if end == -1:
            return
        yield start, end + 3
        position = end + 3


#: a line that opens a block whose indented lines belong to it: a list item or a footnote
_CONTAINER = re.compile(r" {0,3}(?:[-+*]|\d+[.)]|\[\^[^\]]+\]:)(?:\s|$)")


def _mask_indented_code(text: str, masked: str) -> str:
    """``masked`` with indented code blocks of ``text`` blanked too: lines indented by four
    spaces (or a tab) after a blank line, unless they continue a list item or a footnote,
    whose paragraphs are indented. (Indents are read from ``text``: a masked code span at
    a line's start is not an indent; blanked front matter and fences are blank lines.)"""
    out = []
    container = in_code = False
    previous_blank = True
    for original, line in zip(text.split("\n"), masked.split("\n"), strict=True):
        if not line.strip():
            previous_blank = True
            out.append(line)
            continue
        if original.startswith(("    ", "\t")):
            in_code = in_code or (previous_blank and not container)
            out.append(re.sub(r"[^\r]", " ", line) if in_code else line)
        else:
            in_code = False
            opens = _CONTAINER.match(line) is not None
            container = opens or (container and not previous_blank)
            out.append(line)
        previous_blank = False
    return "\n".join(out)


_BRACKET_EVENT = re.compile(r"\\.|[\[\]]|\n\n", re.DOTALL)


def bracket_pairs(text: str) -> dict[int, int]:
    """The ``]`` closing each ``[`` of ``text``, by the ``[``'s offset: brackets nest,
    a backslash escapes the next character, and a blank line closes nothing (a ``[``
    still open there has no pair). One pass over the text: looking for each bracket's
    close from the bracket was quadratic in a paragraph of unclosed ``[``."""
    pairs: dict[int, int] = {}
    open_at: list[int] = []
    for event in _BRACKET_EVENT.finditer(text):
        kind = event.group()
        if kind == "[":
            open_at.append(event.start())
        elif kind == "]":
            if open_at:
                pairs[open_at.pop()] = event.start()
        elif kind == "\n\n":
            open_at.clear()
    return pairs


def _split_items(inner: str) -> list[tuple[int, str]]:
    """The ``;``-separated items of a bracket, with their offsets (braces protect)."""
    items = []
    depth = 0
    begin = 0
    for position, char in enumerate(inner):
        if char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
        elif char == ";" and depth == 0:
            items.append((begin, inner[begin:position]))
            begin = position + 1
    items.append((begin, inner[begin:]))
    return items


_Where = Callable[[int], Location]


def _bracket_cites(
    masked: str, start: int, end: int, labels: Mapping[str, str], where: _Where
) -> tuple[Cite, ...] | None:
    """The cites of ``[...]`` at ``start``..``end`` (``]``), or None if it is no citation:
    every item needs exactly one key, as in pandoc."""
    cites = []
    for offset, item in _split_items(masked[start + 1 : end]):
        matches = [
            m for m in _BRACKET_ITEM.finditer(item)
            if m.start() == 0 or not (item[m.start() - 1].isalnum() or item[m.start() - 1] in "@\\")
        ]
        if len(matches) != 1:
            return None
        match = matches[0]
        key = match.group(2) or match.group(3)
        prefix = item[: match.start()].strip()
        locator, suffix = parse_locator(item[match.end() :].rstrip(), labels)
        key_offset = start + 1 + offset + match.start(2 if match.group(2) else 3)
        cites.append(
            Cite(key, where(key_offset), prefix, suffix, locator, bool(match.group(1)), key_offset)
        )
    return tuple(cites)


def parse_markdown(
    text: str, path: str = "<text>", labels: Mapping[str, str] | None = None
) -> tuple[Cluster, ...]:
    """Every pandoc citation of a Markdown text, in order.

    ``labels`` maps locator labels as written (case-folded: ``p.``, ``chapters``) to CSL
    locator terms (see :func:`exilebib.document.locators.locator_labels`); without it only
    bare numbers are locators (pages).
    """
    labels = labels or {}
    masked = mask_markdown(text)
    starts = _line_starts(text)

    def where(offset: int) -> Location:
        index = bisect.bisect_right(starts, offset) - 1
        return Location(path, index + 1, offset - starts[index] + 1)

    clusters: list[Cluster] = []
    taken: list[tuple[int, int]] = []
    pairs = bracket_pairs(masked)
    position = masked.find("[")
    while position != -1:
        # an escaped [ is text, ![ an image, ^[ an inline note (whose citations are read below)
        escaped = position > 0 and masked[position - 1] in "\\!^"
        end = None if escaped else pairs.get(position)
        cites = None
        # (read in ``text``: the masked text has blanked the link's destination)
        if end is not None and not _LINK_AFTER.match(text, end + 1):
            cites = _bracket_cites(masked, position, end, labels, where)
        if cites is not None and end is not None:
            clusters.append(Cluster(cites, position, end + 1, where(position)))
            taken.append((position, end + 1))
            position = masked.find("[", end + 1)
        else:
            position = masked.find("[", position + 1)
    inside = [start for start, _ in taken]
    for match in _MARKDOWN_KEY.finditer(masked):
        index = bisect.bisect_right(inside, match.start()) - 1
        if index >= 0 and match.start() < taken[index][1]:
            continue
        if match.group(0).startswith("-"):
            continue  # -@key suppresses the author only inside brackets
        key = match.group(1) or match.group(2)
        key_offset = match.start(1 if match.group(1) else 2)
        end = match.end()
        locator: Locator | None = None
        suffix = ""
        bracket = re.compile(r" ?\[").match(masked, end)
        if bracket is not None:
            close = pairs.get(bracket.end() - 1)
            inner = masked[bracket.end() : close] if close is not None else ""
            if (
                close is not None
                and not _MARKDOWN_KEY.search(inner)
                and not inner.startswith("^")
                and not _LINK_AFTER.match(text, close + 1)
            ):
                locator, suffix = parse_locator(inner, labels)
                end = close + 1
        cite = Cite(key, where(key_offset), "", suffix, locator, False, key_offset)
        clusters.append(Cluster((cite,), match.start(), end, where(match.start()), True))
    clusters.sort(key=lambda cluster: cluster.start)
    return tuple(clusters)


def scan_markdown(text: str) -> Iterator[tuple[str, int]]:
    """``(key, offset)`` of every pandoc citation outside code."""
    for cluster in parse_markdown(text):
        for cite in cluster.cites:
            yield cite.key, cite.offset


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


def read_document(path: Path, takes: str = "--cited takes a Markdown or LaTeX file") -> str:
    """The text of a document; a missing or unreadable one is an
    :class:`~exilebib.errors.InputError` saying what the option takes (``takes``)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file ({takes})") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory ({takes})") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read it: {exc.strerror}") from None
    return decode_utf8(data, str(path))


def read_cited(path: Path) -> CitedKeys:
    """The citations in the document at ``path`` (LaTeX by suffix, else Markdown)."""
    return scan_citations(str(path), read_document(path), path.suffix.lower() in LATEX_SUFFIXES)

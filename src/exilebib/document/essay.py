"""An essay as pandoc's Markdown reader sees it, as far as citations need: the YAML front
matter, the author's footnotes (``[^label]`` with its ``[^label]: ...`` definition, and
inline ``^[...]`` notes), the headings, and every citation cluster, each placed in the main
text or in the note it belongs to. The text itself is kept as written.
"""

from __future__ import annotations

import bisect
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from exilebib.citekeys import (
    Cluster,
    bracket_pairs,
    mask_markdown,
    parse_markdown,
    read_document,
)
from exilebib.errors import InputError

# (a carriage return before each newline is allowed: essays written on Windows)
_FRONT_MATTER = re.compile(r"\A---[ \t\r]*\n(.*?)^(?:---|\.\.\.)[ \t\r]*(?:\n|\Z)", re.M | re.S)
_DEFINITION = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:[ \t]?", re.MULTILINE)
_REFERENCE = re.compile(r"\[\^([^\]\s]+)\](?!:)")
_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t\r]*$", re.MULTILINE)
_SETEXT = re.compile(r"^ {0,3}(\S[^\n]*)\r?\n {0,3}(=+|-+)[ \t\r]*$", re.MULTILINE)
#: pandoc's heading attributes, ``# Bibliography {#refs .unnumbered}``
_ATTRIBUTES = re.compile(r"\s*\{[^{}]*\}\s*$")
_KEY_IN_NOCITE = re.compile(r"@(\{[^}]+\}|[^\s,;]+)")


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """The fields of the YAML front matter exilebib uses (pandoc's names)."""

    bibliography: tuple[str, ...] = ()
    csl: str | None = None
    lang: str | None = None
    title: str | None = None
    #: keys of ``nocite``; ``*`` means every entry
    nocite: tuple[str, ...] = ()
    end: int = 0  #: offset just after the front matter (0 when there is none)


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str
    start: int  #: offset of the heading's first line
    end: int  #: offset just after its last line (before the newline)


@dataclass(frozen=True, slots=True)
class Note:
    """An author's footnote: ``label`` (None for an inline note) and its text's range."""

    label: str | None
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Essay:
    path: str
    text: str
    front: FrontMatter
    clusters: tuple[Cluster, ...]
    headings: tuple[Heading, ...]
    #: definitions by label, in the order they are written
    definitions: Mapping[str, Note] = field(default_factory=dict)
    #: ``(offset, label)`` of the references to definitions in the main text, in order
    references: tuple[tuple[int, str], ...] = ()
    inline_notes: tuple[Note, ...] = ()


#: The most YAML nodes the front matter may hold once its aliases are expanded: an essay's
#: metadata has tens; a "billion laughs" of nested aliases has billions and would exhaust
#: memory, since a safe loader still expands them.
MAX_FRONT_MATTER_NODES = 10_000
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _expanded_size(root: yaml.Node, limit: int) -> int | None:
    """How many nodes ``root`` makes once aliases are expanded, counted without expanding
    them (each shared node's size is counted once and reused); None for a node that
    contains itself (an alias to an enclosing anchor). Stops counting above ``limit``."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        children: list[yaml.Node] = []
        if isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        if done:
            open_nodes.discard(key)
            sizes[key] = min(limit + 1, 1 + sum(sizes[id(child)] for child in children))
            continue
        if key in sizes:
            continue
        if key in open_nodes:
            return None
        open_nodes.add(key)
        stack.append((node, True))
        for child in children:
            if id(child) in open_nodes:
                return None
            if id(child) not in sizes:
                stack.append((child, False))
    return sizes[id(root)]


def _load_yaml(source: str, path: str) -> Any:
    """The front matter's data, read safely: no Python objects, and no alias bombs."""
    loader = _Loader(source)
    try:
        try:
            node = loader.get_single_node()
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"{path}:{mark.line + 2}" if mark is not None else path
            problem = getattr(exc, "problem", None) or "not valid YAML"
            raise InputError(f"{where}: the front matter is not valid YAML: {problem}") from None
        except RecursionError:
            raise InputError(f"{path}: the front matter is nested too deeply to read") from None
        if node is None:
            return None
        size = _expanded_size(node, MAX_FRONT_MATTER_NODES)
        if size is None:
            raise InputError(f"{path}: the front matter refers to itself (an alias inside "
                             "its own anchor): remove the alias")
        if size > MAX_FRONT_MATTER_NODES:
            raise InputError(f"{path}: the front matter expands to more than "
                             f"{MAX_FRONT_MATTER_NODES:,} values (aliases repeated inside "
                             "aliases?): write the values out, or shorten it")
        try:
            return loader.construct_document(node)
        except yaml.YAMLError as exc:
            problem = getattr(exc, "problem", None) or "not valid YAML"
            raise InputError(f"{path}: the front matter is not valid YAML: {problem}") from None
        except RecursionError:
            raise InputError(f"{path}: the front matter is nested too deeply to read") from None
    finally:
        loader.dispose()


def _strings(value: Any, name: str, path: str, line: int) -> tuple[str, ...]:
    """A field that holds one string or a list of them; anything else is an error that
    says so (pandoc's names: ``bibliography: refs.bib`` or a list)."""
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    wrong = [v for v in items if not isinstance(v, str | int | float) or isinstance(v, bool)]
    if wrong or (name == "bibliography" and not all(isinstance(v, str) for v in items)):
        raise InputError(f"{path}:{line}: front matter {name}: expected "
                         f"{'a file name' if name == 'bibliography' else 'text'} or a list "
                         f"of them, not {_shown(value)}")
    return tuple(str(v) for v in items)


def _scalar(value: Any, name: str, path: str, line: int) -> str | None:
    if value is None:
        return None
    if isinstance(value, dict | list | bool):
        raise InputError(f"{path}:{line}: front matter {name}: expected text, not "
                         f"{_shown(value)}")
    return str(value)


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _field_line(text: str, name: str) -> int:
    """The line of ``name:`` in the front matter (1-based in the essay; 1 if not found)."""
    found = re.search(rf"^{re.escape(name)}[ \t]*:", text, re.MULTILINE)
    return text.count("\n", 0, found.start()) + 1 if found else 1


def read_front_matter(text: str, path: str) -> FrontMatter:
    match = _FRONT_MATTER.match(text)
    if match is None:
        return FrontMatter()
    data = _load_yaml(match.group(1), path)
    if not isinstance(data, dict):
        return FrontMatter(end=match.end())
    block = match.group(0)

    def line(name: str) -> int:
        return _field_line(block, name)

    nocite = [
        key.strip("{}")
        for value in _strings(data.get("nocite"), "nocite", path, line("nocite"))
        for key in _KEY_IN_NOCITE.findall(value)
    ]
    scalar = {
        name: _scalar(data.get(name), name, path, line(name)) for name in ("csl", "lang")
    }
    title = data.get("title")
    return FrontMatter(
        _strings(data.get("bibliography"), "bibliography", path, line("bibliography")),
        scalar["csl"],
        scalar["lang"],
        # pandoc's title may be any Markdown, a list of lines included
        " ".join(_strings(title, "title", path, line("title"))) if title is not None else None,
        tuple(nocite),
        match.end(),
    )


def _definition_end(text: str, start: int) -> int:
    """The end of a footnote definition whose first line starts at ``start``: indented
    lines (and blank lines between them) and lazy continuation lines belong to it.
    (Lines are found one at a time: splitting the rest of the text for every definition
    was quadratic in an essay with thousands of notes.)"""
    line_end = text.find("\n", start)
    if line_end == -1:
        return len(text)
    end = line_end
    blank = False
    while line_end != -1 and line_end < len(text):
        line_start = line_end + 1
        line_end = text.find("\n", line_start)
        line = text[line_start : line_end if line_end != -1 else len(text)]
        if not line.strip():
            blank = True
            continue
        indented = line.startswith(("    ", "\t"))
        if indented or (not blank and not _DEFINITION.match(line) and not line.startswith("#")):
            end = line_end if line_end != -1 else len(text)
            blank = False
            continue
        break
    return end


def containing(ranges: Sequence[tuple[int, int]], offset: int) -> int | None:
    """The index of the range of ``ranges`` (sorted, not overlapping) that holds
    ``offset``, or None."""
    index = bisect.bisect_right(ranges, (offset, sys.maxsize)) - 1
    if index >= 0 and ranges[index][0] <= offset < ranges[index][1]:
        return index
    return None


def _inline_notes(masked: str) -> list[Note]:
    """pandoc's inline notes, ``^[...]`` (closed within their paragraph)."""
    pairs = bracket_pairs(masked)
    notes = []
    for match in re.finditer(r"\^\[", masked):
        end = pairs.get(match.start() + 1)
        if end is not None:
            notes.append(Note(None, match.start(), end + 1))
    return notes


def _opens_block(masked: str, start: int) -> bool:
    """Whether a heading line at ``start`` is one to pandoc, whose headings need a blank
    line (or another heading) before them: ``# x`` under a paragraph's line is its text."""
    if start == 0:
        return True
    previous = masked[masked.rfind("\n", 0, start - 1) + 1 : start - 1]
    return not previous.strip() or _ATX.fullmatch(previous) is not None


def _headings(masked: str, text: str) -> list[Heading]:
    found = [
        Heading(len(m.group(1)), _ATTRIBUTES.sub("", text[m.start(2) : m.end(2)]).strip(),
                m.start(), m.end())
        for m in _ATX.finditer(masked)
        if _opens_block(masked, m.start())
    ]
    for m in _SETEXT.finditer(masked):
        title = text[m.start(1) : m.end(1)].strip()
        if title.startswith(("#", "[^", "-", "*", "+", ">", "|")) or title.endswith("|"):
            continue
        before = masked[: m.start()]
        if before and not before.endswith("\n\n") and m.start() > 0:
            continue  # a paragraph's last line over '---' is a paragraph, then a rule
        found.append(Heading(1 if m.group(2)[0] == "=" else 2, title, m.start(), m.end()))
    return sorted(found, key=lambda h: h.start)


def parse_essay(text: str, path: str, labels: Mapping[str, str]) -> Essay:
    """The essay ``text`` (shown as ``path`` in locations) with ``labels`` for locators."""
    front = read_front_matter(text, path)
    masked = mask_markdown(text)
    definitions: dict[str, Note] = {}
    for match in _DEFINITION.finditer(masked):
        end = _definition_end(masked, match.start())
        definitions.setdefault(match.group(1), Note(match.group(1), match.end(), end))
    inside_definition = sorted((note.start, note.end) for note in definitions.values())

    def in_definition(offset: int) -> bool:
        return containing(inside_definition, offset) is not None

    references = tuple(
        (m.start(), m.group(1))
        for m in _REFERENCE.finditer(masked)
        if not in_definition(m.start()) and m.group(1) in definitions
    )
    return Essay(
        path,
        text,
        front,
        parse_markdown(text, path, labels),
        tuple(_headings(masked, text)),
        definitions,
        references,
        tuple(n for n in _inline_notes(masked) if not in_definition(n.start)),
    )


def read_essay(path: Path, labels: Mapping[str, str]) -> Essay:
    """Read and parse the essay at ``path``; an unreadable one is an ``InputError``."""
    return parse_essay(read_document(path), str(path), labels)

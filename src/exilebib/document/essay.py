"""An essay as pandoc's Markdown reader sees it, as far as citations need: the YAML front
matter, the author's footnotes (``[^label]`` with its ``[^label]: ...`` definition, and
inline ``^[...]`` notes), the headings, and every citation cluster, each placed in the main
text or in the note it belongs to. The text itself is kept as written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from exilebib.citekeys import Cluster, mask_markdown, parse_markdown, read_document
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


def _strings(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, list):
        return tuple(str(v) for v in value if v is not None)
    return (str(value),)


def read_front_matter(text: str, path: str) -> FrontMatter:
    match = _FRONT_MATTER.match(text)
    if match is None:
        return FrontMatter()
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 2}" if mark is not None else path
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise InputError(f"{where}: the front matter is not valid YAML: {problem}") from None
    if not isinstance(data, dict):
        return FrontMatter(end=match.end())
    nocite = [
        key.strip("{}")
        for value in _strings(data.get("nocite"))
        for key in _KEY_IN_NOCITE.findall(value)
    ]
    scalar = {
        name: str(data[name]) if data.get(name) is not None else None
        for name in ("csl", "lang", "title")
    }
    return FrontMatter(
        _strings(data.get("bibliography")),
        scalar["csl"],
        scalar["lang"],
        scalar["title"],
        tuple(nocite),
        match.end(),
    )


def _definition_end(text: str, start: int) -> int:
    """The end of a footnote definition whose first line starts at ``start``: indented
    lines (and blank lines between them) and lazy continuation lines belong to it."""
    lines = text[start:].split("\n")
    position = start + len(lines[0])
    end = position
    blank = False
    for line in lines[1:]:
        line_start = position + 1
        position = line_start + len(line)
        if not line.strip():
            blank = True
            continue
        indented = line.startswith(("    ", "\t"))
        if indented or (not blank and not _DEFINITION.match(line) and not line.startswith("#")):
            end = position
            blank = False
            continue
        break
    return end


def _inline_notes(masked: str) -> list[Note]:
    notes = []
    for match in re.finditer(r"\^\[", masked):
        depth = 0
        for position in range(match.start() + 1, len(masked)):
            if masked[position] == "[":
                depth += 1
            elif masked[position] == "]":
                depth -= 1
                if depth == 0:
                    notes.append(Note(None, match.start(), position + 1))
                    break
    return notes


def _headings(masked: str, text: str) -> list[Heading]:
    found = [
        Heading(len(m.group(1)), _ATTRIBUTES.sub("", text[m.start(2) : m.end(2)]).strip(),
                m.start(), m.end())
        for m in _ATX.finditer(masked)
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
        return any(start <= offset < end for start, end in inside_definition)

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

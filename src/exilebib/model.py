"""The project's own records for what a sources file holds.

Everything here is frozen: readers build these records once and every consumer (render,
links, lint, fmt) reads the same objects. Line numbers are 1-based, as editors show them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # errors.py imports Location from here
    from exilebib.errors import Diagnostic


@dataclass(frozen=True, slots=True)
class Location:
    """A place in a file: ``path`` as the user named it, ``line`` and ``column`` 1-based."""

    path: str
    line: int
    column: int | None = None

    def __str__(self) -> str:
        if self.column is None:
            return f"{self.path}:{self.line}"
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Field:
    """One ``name = value`` pair of an entry.

    ``name`` is lower-cased (BibTeX field names are case-insensitive); ``value`` has macros
    and ``#`` concatenation resolved and the outer delimiters removed, with LaTeX left as
    written; ``raw`` is the value exactly as it stands in the file (delimiters included).
    """

    name: str
    value: str
    raw: str
    location: Location


@dataclass(frozen=True, slots=True)
class Source:
    """One bibliography entry (a BibTeX ``@type{key, ...}`` block or a CSL-JSON item).

    ``entry_type`` is lower-cased. ``fields`` keeps the file's order. ``csl`` is set only for
    sources read from CSL-JSON, whose item is passed through to the renderer unchanged.
    """

    key: str
    entry_type: str
    fields: tuple[Field, ...]
    location: Location
    csl: dict[str, object] | None = None

    def get(self, name: str, default: str | None = None) -> str | None:
        """The resolved value of field ``name`` (case-insensitive), or ``default``."""
        wanted = name.lower()
        for item in self.fields:
            if item.name == wanted:
                return item.value
        return default

    def field(self, name: str) -> Field | None:
        """The whole :class:`Field` named ``name`` (case-insensitive), if present."""
        wanted = name.lower()
        return next((item for item in self.fields if item.name == wanted), None)

    @property
    def keywords(self) -> tuple[str, ...]:
        """The comma-separated ``keywords`` field as a tuple of trimmed, non-empty words."""
        if self.csl is not None:
            raw = str(self.csl.get("keyword", ""))
        else:
            raw = self.get("keywords") or ""
        return tuple(word.strip() for word in raw.replace(";", ",").split(",") if word.strip())


@dataclass(frozen=True, slots=True)
class Library:
    """Everything read from one sources file: the entries and what was wrong with it."""

    path: Path
    sources: tuple[Source, ...]
    diagnostics: tuple[Diagnostic, ...] = ()
    strings: Mapping[str, str] = field(default_factory=dict)  #: the @string macros

    def __iter__(self) -> Iterator[Source]:
        return iter(self.sources)

    def __len__(self) -> int:
        return len(self.sources)

    def by_key(self) -> dict[str, Source]:
        """Entries by key; the first of duplicated keys wins, as in BibTeX."""
        found: dict[str, Source] = {}
        for source in self.sources:
            found.setdefault(source.key, source)
        return found


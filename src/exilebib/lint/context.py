"""What every rule sees: the scanned file, its entries with resolved values, the settings.

Values are resolved from the scanner's parts (macros, ``#``) once, here, so no rule re-parses
BibTeX. Nothing is LaTeX-decoded: rules that care about LaTeX look at the raw text.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from exilebib.bibtex import (
    BlockKind,
    Failure,
    Macros,
    RawBlock,
    RawEntry,
    RawField,
    RawFile,
    resolve_parts,
)
from exilebib.lint.settings import LintSettings

#: ``% exilebib: disable=rule-id, other-id`` in the comment lines right above an entry.
_EARLY_END = re.compile(r"\s*,\s*[^\s=,{}()\"#%']+\s*=")
SUPPRESS_COMMENT = re.compile(r"^\s*%\s*exilebib:\s*disable\s*=\s*(.*?)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Suppression:
    """A per-entry ``% exilebib: disable=...`` comment: the ids and where it stands."""

    rules: frozenset[str]
    offset: int


@dataclass(eq=False)
class EntryView:
    """One scanned entry with its values resolved; ``fields`` keeps every occurrence."""

    block: RawBlock
    raw: RawEntry
    strings: Mapping[str, str]
    line: int  #: 1-based line of the '@'
    suppression: Suppression | None = None

    @property
    def key(self) -> str:
        return self.raw.key

    @property
    def label(self) -> str:
        """How messages name the entry: ``entry 'key'``, or its type and line if keyless."""
        if self.raw.key:
            return f"entry '{self.raw.key}'"
        return f"the @{self.raw.entry_type} entry at line {self.line}"

    @property
    def entry_type(self) -> str:
        return self.raw.entry_type.lower()

    @property
    def fields(self) -> tuple[RawField, ...]:
        return self.raw.fields

    @cached_property
    def by_name(self) -> dict[str, RawField]:
        """The first occurrence of every field, by lower-cased name (BibTeX uses the first)."""
        found: dict[str, RawField] = {}
        for item in self.raw.fields:
            found.setdefault(sys.intern(item.name.lower()), item)  # one string per name
        return found

    @cached_property
    def values(self) -> dict[str, str]:
        """Resolved values (macros and ``#`` resolved, outer delimiters removed)."""
        return {
            name: resolve_parts(item.parts, self.strings)[0] for name, item in self.by_name.items()
        }

    def get(self, name: str) -> str | None:
        """The resolved value of ``name`` (lower-case), or ``None``."""
        return self.values.get(name)

    def has(self, name: str) -> bool:
        """Whether ``name`` is given with a non-blank value."""
        value = self.values.get(name)
        return value is not None and value.strip() != ""


@dataclass
class LintContext:
    """One file under lint: the scan, its entries, its macros, the settings."""

    path: str  #: the path as the user named it (used in every location)
    raw: RawFile
    settings: LintSettings
    strings: Macros  #: lower name → value, expanded when a value asks for it
    entries: list[EntryView] = field(default_factory=list)

    @property
    def string_offsets(self) -> dict[str, int]:
        """Lower-cased macro name → offset of its first definition."""
        return self.strings.offsets

    @classmethod
    def build(cls, path: str, raw: RawFile, settings: LintSettings) -> LintContext:
        context = cls(path, raw, settings, Macros(raw))
        previous_end = 0
        blocks = raw.blocks
        for index, block in enumerate(blocks):
            gap = raw.text[previous_end : block.start]
            previous_end = block.end
            if block.entry is None or block.entry.entry_type.lower() == "string":
                continue
            # Blocks bibtexparser set aside for a repeated key or field are complete entries;
            # a block that does not parse is only reported by the syntax rules.
            # So is an entry the scanner could not read to its end, or one that a stray '}'
            # ended early: their missing fields would only echo the syntax error.
            following = blocks[index + 1].start if index + 1 < len(blocks) else len(raw.text)
            if any(problem.fatal for problem in block.entry.problems) or ends_early(
                raw.text[block.end : following]
            ):
                continue
            if block.kind is BlockKind.ENTRY or block.failure in (
                Failure.DUPLICATE_KEY,
                Failure.DUPLICATE_FIELD,
            ):
                context.entries.append(
                    EntryView(
                        block,
                        block.entry,
                        context.strings,
                        raw.position(block.start)[0],
                        _suppression(gap, block.start),
                    )
                )
        return context

    def position(self, offset: int) -> tuple[int, int]:
        return self.raw.position(offset)


def ends_early(gap: str) -> bool:
    """Whether the text after an entry goes on with ``, field = ...``: a '}' ended it early."""
    return bool(_EARLY_END.match(gap))


def _suppression(gap: str, block_start: int) -> Suppression | None:
    """The disable comment among the comment lines directly above an entry, if any."""
    if "exilebib" not in gap:
        return None
    lines = gap.split("\n")
    # The last piece is the text before '@' on the entry's own line.
    offset = block_start - len(lines[-1])
    rules: set[str] = set()
    first: int | None = None
    for line in reversed(lines[:-1]):
        offset -= len(line) + 1
        if not line.strip().startswith("%"):
            break
        match = SUPPRESS_COMMENT.match(line)
        if match:
            rules.update(part.strip() for part in match.group(1).split(",") if part.strip())
            first = offset + line.index("%")
    if first is None:
        return None
    return Suppression(frozenset(rules), first)

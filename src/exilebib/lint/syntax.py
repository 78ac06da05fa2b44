"""Structure: the reader's rules (:mod:`exilebib.structure.syntax`), and a file with no entries.

The rules about a file's structure (blocks that do not parse, braces, the swallowed comma,
keys and repeated fields) belong to the reader, which reports them on every read; lint
registers them here, in their family's place, and adds ``no-entries``.
"""

from __future__ import annotations

from collections.abc import Iterator

from exilebib.bibtex import BlockKind
from exilebib.errors import Severity
from exilebib.lint.context import LintContext
from exilebib.lint.rules import Finding, check, register, rule
from exilebib.structure.syntax import (
    DUPLICATE_FIELD,
    DUPLICATE_KEY,
    DUPLICATE_KEY_CASE,
    EMPTY_KEY,
    KEY_SYNTAX,
    MISSING_COMMA,
    SYNTAX_ERROR,
    UNBALANCED_BRACES,
    keys_and_fields,
    structure,
)

register(
    SYNTAX_ERROR,
    UNBALANCED_BRACES,
    MISSING_COMMA,
    DUPLICATE_KEY,
    DUPLICATE_KEY_CASE,
    DUPLICATE_FIELD,
    EMPTY_KEY,
    KEY_SYNTAX,
)
check(structure)
check(keys_and_fields)

NO_ENTRIES = rule(
    "no-entries",
    Severity.INFO,
    "syntax",
    "a file with no entries at all (empty, or only comments, @string and @preamble)",
)

@check
def entries_present(context: LintContext) -> Iterator[Finding]:
    """Say so when a file has no entries: a clean lint of it would otherwise look like
    success, when the path is probably wrong or the file was emptied by mistake."""
    if any(block.kind in (BlockKind.ENTRY, BlockKind.FAILED) for block in context.raw.blocks):
        return
    empty = not context.raw.text.strip()
    yield Finding(
        NO_ENTRIES,
        "the file is empty"
        if empty
        else "the file has no entries (only comments, @string or @preamble blocks)",
        "check that this is the sources file you meant, then add entries such as @book{key, ...}",
        offset=0,
    )

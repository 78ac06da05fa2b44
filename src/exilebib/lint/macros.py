"""``@string`` macros and ``#`` concatenation.

exilebib resolves both itself; many other tools do not (bibtexparser leaves ``#`` as raw
text), so concatenation is reported as information. An undefined macro (a warning) and one
whose expansion is refused (an error) are the reader's rules
(:mod:`exilebib.structure.macros`), registered here in their family's place.
"""

from __future__ import annotations

from collections.abc import Iterator

from exilebib.bibtex import BlockKind, RawField
from exilebib.errors import Severity
from exilebib.lint.context import EntryView, LintContext
from exilebib.lint.rules import Finding, check, register, rule
from exilebib.structure import macros as reader_macros
from exilebib.structure.macros import MACRO_TOO_LONG, UNDEFINED_MACRO

CONCATENATION = rule(
    "concatenation",
    Severity.INFO,
    "macros",
    "a value joined with '#' (exilebib resolves it; bibtexparser-based tools do not)",
)
register(UNDEFINED_MACRO, MACRO_TOO_LONG)


def _field_findings(
    context: LintContext, item: RawField, key: str | None, entry: EntryView | None
) -> Iterator[Finding]:
    label = f"entry '{key}'" if key else "@string"
    if len(item.parts) > 1:
        yield Finding(
            CONCATENATION,
            f"{label}: the value of '{item.name}' is joined with '#' from {len(item.parts)} parts",
            "fine for exilebib and BibTeX; write the value out in full if other tools read "
            "the file",
            key=key,
            offset=item.value_start,
            entry=entry,
        )


@check
def macros(context: LintContext) -> Iterator[Finding]:
    """Concatenations, and the reader's undefined and refused macros, in entries and in
    @string definitions."""
    for block in context.raw.blocks:
        if block.kind is BlockKind.STRING and block.entry:
            for item in block.entry.fields:
                yield from _field_findings(context, item, None, None)
    for entry in context.entries:
        for item in entry.fields:
            yield from _field_findings(context, item, entry.key or None, entry)
    yield from reader_macros.macros(context)

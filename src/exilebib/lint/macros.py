"""``@string`` macros and ``#`` concatenation.

exilebib resolves both itself; many other tools do not (bibtexparser leaves ``#`` as raw
text), so concatenation is reported as information and an undefined macro as a warning.
"""

from __future__ import annotations

from collections.abc import Iterator

from exilebib.bibtex import MONTH_MACROS, BlockKind, RawField, ValueKind
from exilebib.errors import Severity
from exilebib.lint.context import EntryView, LintContext
from exilebib.lint.rules import Finding, check, rule

CONCATENATION = rule(
    "concatenation",
    Severity.INFO,
    "macros",
    "a value joined with '#' (exilebib resolves it; bibtexparser-based tools do not)",
)
UNDEFINED_MACRO = rule(
    "undefined-macro",
    Severity.WARNING,
    "macros",
    "a bare word that names no @string defined before it (BibTeX prints nothing for it)",
)


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
    for part in item.parts:
        if part.kind is not ValueKind.MACRO:
            continue
        name = part.text.lower()
        if name in MONTH_MACROS:
            continue
        defined = context.string_offsets.get(name)
        if defined is not None and defined < part.start:
            continue
        later = (
            f"; it is defined only later, at line {context.position(defined)[0]}"
            if defined is not None
            else ""
        )
        yield Finding(
            UNDEFINED_MACRO,
            f"{label}: '{item.name}' uses the @string macro '{part.text}', which is not "
            f"defined before it{later}",
            f"define it above the entry with @string{{{part.text} = {{...}}}}, or brace the "
            f"value if '{part.text}' is meant literally: {{{part.text}}}",
            key=key,
            offset=part.start,
            entry=entry,
        )


@check
def macros(context: LintContext) -> Iterator[Finding]:
    """Concatenations and undefined macros in entries and in @string definitions."""
    for block in context.raw.blocks:
        if block.kind is BlockKind.STRING and block.entry:
            for item in block.entry.fields:
                yield from _field_findings(context, item, None, None)
    for entry in context.entries:
        for item in entry.fields:
            yield from _field_findings(context, item, entry.key or None, entry)

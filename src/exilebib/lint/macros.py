"""``@string`` macros and ``#`` concatenation.

exilebib resolves both itself; many other tools do not (bibtexparser leaves ``#`` as raw
text), so concatenation is reported as information and an undefined macro as a warning.
"""

from __future__ import annotations

from collections.abc import Iterator

from exilebib.bibtex import MACRO_VALUE_LIMIT, MONTH_MACROS, BlockKind, RawField, ValueKind
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
MACRO_TOO_LONG = rule(
    "macro-too-long",
    Severity.ERROR,
    "macros",
    f"a value whose @string macros expand past {MACRO_VALUE_LIMIT:,} characters (kept unexpanded)",
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


def _too_long(context: LintContext, entry: EntryView) -> Iterator[Finding]:
    """Macro uses an entry's values keep as written because expanding them was refused."""
    if not any(part.kind is ValueKind.MACRO for item in entry.fields for part in item.parts):
        return
    entry.values  # noqa: B018  (resolving the values is what records the refusals)
    refused = context.strings.refused
    for item in entry.fields:
        for part in item.parts:
            length = refused.get(part.start)
            if length is None:
                continue
            size = (
                f"more than {MACRO_VALUE_LIMIT:,}"
                if length > MACRO_VALUE_LIMIT
                else f"{length:,} (more than the file's macros may expand to in all)"
            )
            yield Finding(
                MACRO_TOO_LONG,
                f"{entry.label}: '{item.name}' uses the @string macro '{part.text}'; the value "
                f"would expand to {size} characters, so '{part.text}' is kept as written",
                f"define '{part.text}' with its text rather than by joining macros that "
                "repeat each other (@string{b = a # a} doubles 'a' at every step)",
                key=entry.key or None,
                offset=part.start,
                entry=entry,
            )
            break  # one finding per field: the other parts were refused with it


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
        yield from _too_long(context, entry)

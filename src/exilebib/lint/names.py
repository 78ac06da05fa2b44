"""Name lists (``author``, ``editor``, ...): ``others``, organisations, empty names.

BibTeX splits a name list on `` and `` outside braces and each name into first/von/last/jr
parts; an unbraced organisation becomes a person ("World Health Organization" → last name
"Organization"). Nothing here decodes LaTeX.
"""

from __future__ import annotations

from collections.abc import Iterator

from exilebib.bibtex import ValueKind
from exilebib.errors import Severity
from exilebib.lint.context import LintContext
from exilebib.lint.rules import Finding, check, rule
from exilebib.names import NAME_FIELDS, name_problems, split_names

NAME_OTHERS = rule(
    "name-others", Severity.WARNING, "names", "'others' (et al.) anywhere but last in a name list"
)
NAME_CORPORATE = rule(
    "name-corporate",
    Severity.WARNING,
    "names",
    "an organisation in a name list without braces (BibTeX splits it like a person's name)",
)
NAME_FORMAT = rule(
    "name-format",
    Severity.WARNING,
    "names",
    "an empty name (and and, trailing and) or too many commas",
)

_RULES = {"name-format": NAME_FORMAT, "name-others": NAME_OTHERS, "name-corporate": NAME_CORPORATE}

__all__ = ["NAME_CORPORATE", "NAME_FIELDS", "NAME_FORMAT", "NAME_OTHERS", "names", "split_names"]


@check
def names(context: LintContext) -> Iterator[Finding]:
    """Check every name list of every entry."""
    for entry in context.entries:
        for field_name in NAME_FIELDS:
            value = entry.get(field_name)
            item = entry.by_name.get(field_name)
            if value is None or item is None or not value.strip():
                continue
            first = item.parts[0]
            exact = len(item.parts) == 1 and first.kind is not ValueKind.MACRO
            base = first.start + (1 if first.kind in (ValueKind.BRACED, ValueKind.QUOTED) else 0)
            key = entry.key or None
            for problem in name_problems(field_name, value):
                yield Finding(
                    _RULES[problem.rule],
                    f"{entry.label}: {problem.message}",
                    problem.hint,
                    key=key,
                    offset=base + problem.offset if exact else item.value_start,
                    entry=entry,
                )

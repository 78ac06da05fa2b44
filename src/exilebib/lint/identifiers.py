"""ISBN and ISSN check digits (a mistyped digit is the usual copy-paste error).

The checks are the reader's (:mod:`exilebib.identifiers`); this module locates them.
"""

from __future__ import annotations

from collections.abc import Iterator

from exilebib.bibtex import ValueKind
from exilebib.errors import Severity
from exilebib.identifiers import LIST_SEPARATORS, isbn_problem, issn_problem

__all__ = ["ISBN_CHECKSUM", "ISSN_CHECKSUM", "identifiers", "isbn_problem", "issn_problem"]
from exilebib.lint.context import LintContext
from exilebib.lint.rules import Finding, check, rule

ISBN_CHECKSUM = rule(
    "isbn-checksum", Severity.WARNING, "identifiers", "an ISBN with the wrong length or check digit"
)
ISSN_CHECKSUM = rule(
    "issn-checksum", Severity.WARNING, "identifiers", "an ISSN with the wrong form or check digit"
)

@check
def identifiers(context: LintContext) -> Iterator[Finding]:
    """Every ISBN and ISSN (a field may list several, separated by commas or ``and``)."""
    for entry in context.entries:
        for name, target, problem_of in (
            ("isbn", ISBN_CHECKSUM, isbn_problem),
            ("issn", ISSN_CHECKSUM, issn_problem),
        ):
            value = entry.get(name)
            item = entry.by_name.get(name)
            if value is None or item is None:
                continue
            first = item.parts[0]
            base = first.start + (1 if first.kind in (ValueKind.BRACED, ValueKind.QUOTED) else 0)
            position = 0
            for number in LIST_SEPARATORS.split(value):
                index = value.find(number, position) if number else position
                position = index + len(number)
                if not number:
                    continue
                problem = problem_of(number)
                if problem:
                    yield Finding(
                        target,
                        f"{entry.label}: {name.upper()} {number} is invalid: {problem}",
                        f"copy the {name.upper()} again from the book or the catalogue",
                        key=entry.key or None,
                        offset=base + max(index, 0),
                        entry=entry,
                    )

"""ISBN and ISSN check digits (a mistyped digit is the usual copy-paste error)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from exilebib.bibtex import ValueKind
from exilebib.errors import Severity
from exilebib.lint.context import LintContext
from exilebib.lint.rules import Finding, check, rule

ISBN_CHECKSUM = rule(
    "isbn-checksum", Severity.WARNING, "identifiers", "an ISBN with the wrong length or check digit"
)
ISSN_CHECKSUM = rule(
    "issn-checksum", Severity.WARNING, "identifiers", "an ISSN with the wrong form or check digit"
)

_SEPARATORS = re.compile(r"[\s,;]+(?:and\s+)?")


def isbn_problem(isbn: str) -> str | None:
    """Why ``isbn`` is not a valid ISBN-10 or ISBN-13, or ``None``."""
    digits = re.sub(r"[\s-]", "", isbn).upper()
    if len(digits) == 10 and re.fullmatch(r"\d{9}[\dX]", digits):
        total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(digits))
        return None if total % 11 == 0 else "its check digit is wrong"
    if len(digits) == 13 and digits.isdigit():
        total = sum((1 if i % 2 == 0 else 3) * int(c) for i, c in enumerate(digits))
        return None if total % 10 == 0 else "its check digit is wrong"
    return "an ISBN has 10 or 13 digits"


def issn_problem(issn: str) -> str | None:
    """Why ``issn`` is not a valid ISSN (NNNN-NNNC), or ``None``."""
    digits = issn.strip().upper()
    if not re.fullmatch(r"\d{4}-?\d{3}[\dX]", digits):
        return "an ISSN is eight digits, written NNNN-NNNN"
    digits = digits.replace("-", "")
    total = sum((8 - i) * int(c) for i, c in enumerate(digits[:7]))
    check = (11 - total % 11) % 11
    expected = "X" if check == 10 else str(check)
    return None if digits[7] == expected else "its check digit is wrong"


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
            for number in _SEPARATORS.split(value):
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

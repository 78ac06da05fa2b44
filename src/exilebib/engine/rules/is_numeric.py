"""CSL 1.0.2 condition ``is-numeric`` (Rendering Elements, "Choose").

Spec: "Tests whether the given variables contain numeric content. Content is considered
numeric if it solely consists of numbers. Numbers may have prefixes and suffixes ("D2",
"2b", "L2d"), and may be separated by a comma, hyphen, or ampersand, with or without spaces
("2, 3", "2-4", "2 & 4"). For example, "2nd" tests "true" whereas "second" and "2nd
edition" test "false"." The variables tested include ``locator``, the cite's locator.

citeproc-py looks every variable up in the item, so ``is-numeric="locator"`` is always
false (Chicago then prints "12" where it means "chap. 12"), and it accepts only a single
number ("2-4" and "2, 3" test false).
"""

from __future__ import annotations

import re

from citeproc.model import If

from exilebib.engine.markup import strip_markers
from exilebib.engine.rules.targets import replace
from exilebib.engine.types import Cite, ConditionMethod, Element

_NUMBER = r"[A-Za-z]*\d+[A-Za-z]*"
#: an escaped hyphen ("99\\-02", citeproc-js's escape) joins two parts into one number
NUMERIC = re.compile(rf"^{_NUMBER}(?:(?:\\-|\s*[-\u2013,&]\s*){_NUMBER})*$")


def is_numeric(value: object) -> bool:
    """Whether ``value`` is numeric content in the sense of the spec (see the module)."""
    if isinstance(value, int):
        return True
    return bool(NUMERIC.match(strip_markers(str(value)).strip()))


def _value(item: Cite, variable: str) -> object | None:
    if variable == "locator":
        return item.locator.identifier if item.has_locator else None
    value: object | None = item.reference.get(variable.replace("-", "_"))
    return value


@replace(If, "_is_numeric")
def _is_numeric(original: ConditionMethod, self: Element, item: Cite) -> list[bool]:
    results = []
    for variable in self.get("is-numeric", "").split():  # called only when it is set
        value = _value(item, variable)
        results.append(value is not None and is_numeric(value))
    return results

"""Ranges in number variables printed by ``cs:text``, with an en dash.

CSL 1.0.2 "Number variables" and the ``is-numeric`` condition: a number variable whose value
is numbers separated by hyphens, commas or ampersands ("2-3", "17-04") holds several numbers,
and a hyphen between two of them is a range. citeproc-js (the reference processor) prints
such a range with an en dash whether the style renders the variable with ``cs:number`` (as
citeproc-py does too) or with ``cs:text`` (where citeproc-py keeps the hyphen: "nos. 2-3").
A value that is not numeric ("Michaelson-Morely", "3-B") is printed as it is. Pages, and
locators whose label is page, have their own rule (:mod:`.page_range`); a locator with
another label ("chapter", "200 - 201") is a range like the number variables, and its dash
loses the spaces around it ("chaps. 200–201"), as in citeproc-js.
"""

from __future__ import annotations

import re

from citeproc.model import Text

from exilebib.engine.rules.is_numeric import is_numeric
from exilebib.engine.rules.page_range import ESCAPED_HYPHEN
from exilebib.engine.rules.render_state import current
from exilebib.engine.rules.targets import replace_direct
from exilebib.engine.types import Cite, Element, VariableMethod, VariableValue

#: citeproc-js's numeric variables, less ``page`` and ``locator`` (see page_range.py)
RANGE_VARIABLES = frozenset({
    "call-number", "chapter-number", "collection-number", "division", "edition", "issue",
    "locator-extra", "number", "number-of-pages", "number-of-volumes", "part-number",
    "printing-number", "section", "supplement-number", "version", "volume", "supplement",
    "citation-number",
})
_SPACED_DASH = re.compile(r"\s*[-\u2013]\s*")


@replace_direct(Text, "_variable")
def en_dash_ranges(original: VariableMethod) -> VariableMethod:
    def _variable(self: Element, item: Cite, context: Element) -> VariableValue | None:
        value = original(self, item, context)
        variable = self.get("variable")
        # an int is a citation-number: one number, no range
        if value is None or isinstance(value, int) or current().sorting:
            return value
        text = str(value)  # (rich text: read once)
        if "\\-" in text:
            # citeproc-js's escape: "99\-02" is one number with a hyphen (a report
            # number), printed with the hyphen and never as a range
            return value.replace("\\-", "-")
        if variable == "locator":
            if (not item.has_locator or str(item.locator.label) == "page"
                    or ESCAPED_HYPHEN in str(item.locator.identifier) or not is_numeric(value)):
                return value
            return _SPACED_DASH.sub("\u2013", text)
        if (variable not in RANGE_VARIABLES or "-" not in text
                or not is_numeric(value)):
            return value
        return value.replace("-", "\u2013")

    return _variable

"""CSL 1.0.2 ``cs:label`` attribute ``plural="contextual"``: which term form a label takes.

Spec: "term plurality matches that of the variable content. Content is considered plural
when it contains multiple numbers (e.g. “page 1”, “pages 1-3”, “volume 2”, “volumes 2 &
4”), or, in the case of the “number-of-pages” and “number-of-volumes” variables, when the
number is higher than 1 (“1 volume” and “3 volumes”)."

citeproc-py crashes on ``number-of-volumes``/``number-of-pages`` (it looks the variable up
in the cite instead of the item, and the label's whole group disappears: "Collected
Dispatches. 4." for "4 vols.") and counts only Arabic numbers, so "xii-xx" takes "p.".
Here, as in citeproc-js, two Arabic numbers with anything but a period between them
("213 et 235", "367–368, fig. 333") are several numbers, and so are roman numerals
separated by a hyphen, comma or ampersand ("xii-xx"), and a number and a letter ("3-B",
"nos. 3-B"); "2.0" and "Michaelson-Morely" hold one number or none.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from citeproc.model import Label

from exilebib.engine.markup import strip_markers
from exilebib.engine.rules.page_range import ESCAPED_HYPHEN
from exilebib.engine.rules.targets import replace
from exilebib.engine.types import Cite, Element

#: citeproc-py's test: two numbers with something other than a period between them
_MULTIPLE = re.compile(r"\d+[^\d.]+\d+")
_SEPARATOR = re.compile(r"\s*(?:[-\u2013,&]|\band\b)\s*")
_NUMBER = re.compile(r"^(?:[A-Za-z]*\d+[A-Za-z]*|[ivxlcdm]+|[IVXLCDM]+|[A-Za-z])$")
_ROMAN = re.compile(r"^(?:[ivxlcdm]+|[IVXLCDM]+)$")


def is_plural(value: object, variable: str) -> bool:
    """Whether ``value`` of ``variable`` makes a contextual label plural."""
    # an escaped hyphen ("327\\-30") joins the parts into one number
    text = strip_markers(str(value)).strip().replace(ESCAPED_HYPHEN, "")
    if variable in ("number-of-pages", "number-of-volumes") and text.isdigit():
        return int(text) > 1
    if _MULTIPLE.search(text):
        return True
    pieces = [piece for piece in _SEPARATOR.split(text) if piece]
    return (
        len(pieces) > 1
        and all(_NUMBER.match(piece) for piece in pieces)
        and any(_ROMAN.match(piece) or any(c.isdigit() for c in piece) for piece in pieces)
    )


@replace(Label, "_is_plural")
def _is_plural(original: Callable[[Element, Cite], bool], self: Element, item: Cite) -> bool:
    variable = self.get("variable") or ""
    if variable == "locator":
        if not item.has_locator:
            return False
        value: object | None = item.locator.identifier
    else:
        value = item.reference.get(variable.replace("-", "_"))
    return value is not None and is_plural(value, variable)

"""CSL 1.0.2 ``page-range-format`` (Appendix V "Page Range Formats"), for ``page`` and
for locators whose label is ``page``.

* expanded: 42–45, 321–328, 2787–2816
* minimal: all repeated digits go: 42–5, 321–8, 2787–816
* minimal-two: at least two digits stay: 42–45, 321–28, 2787–816
* chicago-16 (CMOS 16th and later): first number below 100 or a multiple of 100: in full
  (3–10, 71–72, 100–104, 1100–1123); 101–109 in multiples of 100: changed part only
  (107–8, 505–17, 1002–6); 110–199 in multiples of 100: at least two digits (321–25,
  415–532, 1536–38, 11564–68, 1496–504)
* chicago / chicago-15 (CMOS 15th): as chicago-16, but a four-digit range whose last three
  or more digits change is given in full (1496–1504, 2787–2816)

citeproc-py lacks chicago-16 (it applies the 15th edition's four-digit rule) and never
formats locators. Ranges use the ``page-range-delimiter`` term (default en dash); a range
whose second number is already abbreviated (321-8) is expanded first.
"""

from __future__ import annotations

import re
from typing import Any

from citeproc.model import FormatNumber, Text

from exilebib.engine.rules._switch import replace, replace_direct

_RANGE = re.compile(r"^\s*([A-Za-z]*)(\d+)\s*[-\u2013\u2014]+\s*([A-Za-z]*)(\d+)\s*$")


def _common_prefix(first: str, last: str) -> int:
    count = 0
    for a, b in zip(first, last, strict=False):
        if a != b:
            break
        count += 1
    return count


def format_last(first: str, last: str, fmt: str | None) -> str:
    """The second number of the range ``first``–``last`` in page-range-format ``fmt``."""
    if not fmt:
        return last
    if len(last) < len(first):  # "321-8" means 321-328
        last = first[: len(first) - len(last)] + last
    if fmt == "expanded" or len(first) != len(last) or int(last) <= int(first):
        return last
    common = _common_prefix(first, last)
    if fmt == "minimal":
        return last[common:]
    if fmt == "minimal-two":
        return last[min(common, max(len(last) - 2, 0)):]
    if fmt in ("chicago", "chicago-15", "chicago-16"):
        number = int(first)
        if number < 100 or number % 100 == 0:
            return last
        if number % 100 < 10:
            return last[common:]
        shortened = last[min(common, len(last) - 2):]
        if fmt != "chicago-16" and len(first) == 4 and len(shortened) >= 3:
            return last
        return shortened
    return last


def format_range(value: str, fmt: str | None, delimiter: str) -> str:
    """Every ``a-b`` range in a comma/ampersand list, formatted; other parts unchanged."""
    parts = re.split(r"(\s*[,&]\s*)", value)
    out = []
    for part in parts:
        match = _RANGE.match(part)
        if match and match.group(1) == match.group(3):
            prefix, first, _prefix2, last = match.groups()
            out.append(f"{prefix}{first}{delimiter}{prefix}{format_last(first, last, fmt)}")
        else:
            out.append(part)
    return "".join(out)


@replace(FormatNumber, "_format_last_page")
def format_last_page(original: Any, self: Any, first: str, last: str) -> str:
    if not (first.isdigit() and last.isdigit()):
        return last
    return format_last(first, last, self.get_root().get_option("page-range-format"))


def _delimiter(element: Any) -> str:
    term = element.get_term("page-range-delimiter")
    return str(term.single) if term is not None else "\u2013"


@replace_direct(Text, "_variable")
def locator_pages(original: Any) -> Any:
    def _variable(self: Any, item: Any, context: Any) -> Any:
        if self.get("variable") == "locator" and "locator" in item:
            locator = item["locator"]
            if str(locator.label) == "page":
                return format_range(
                    str(locator.identifier),
                    self.get_root().get_option("page-range-format"),
                    _delimiter(self),
                )
        return original(self, item, context)

    return _variable

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
from collections.abc import Callable

from citeproc.model import FormatNumber, Text

from exilebib.engine.rules.targets import replace, replace_direct
from exilebib.engine.types import (
    Cite,
    Element,
    NumberElement,
    NumberMethod,
    Rendered,
    VariableMethod,
    VariableValue,
)

_RANGE = re.compile(r"^\s*(\S+?)\s*[-\u2013\u2014]+\s*(\S+?)\s*$")
#: CSL-JSON's way to write a hyphen that is no range: "327\\-30", "3\\-B"
ESCAPED_HYPHEN = "\\-"
_LIST_SEPARATOR = re.compile(r"(\s*[,&]\s*)")
#: a page with an optional particle before its number: "N110", "123N110", "000c23"
_PARTICLE = re.compile(r"^([0-9]*[A-Za-z]+0*)?([0-9]+)$")
#: a lower- or upper-case roman numeral ("ix", "XIV"), which pages may be numbered with
_ROMAN = re.compile(r"^(?:[ivxlcdm]+|[IVXLCDM]+)$")
#: formats that drop the second number's particle along with its repeated digits
_SHORTENING = frozenset({"minimal", "minimal-two", "chicago", "chicago-15", "chicago-16"})


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
    given = last
    if len(last) < len(first):  # "321-8" means 321-328
        last = first[: len(first) - len(last)] + last
    if int(last) <= int(first):  # not a range upwards ("123-22"): as it was given
        return given
    if fmt == "expanded" or len(first) != len(last):
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


def format_particle_range(first: str, last: str, fmt: str | None, delimiter: str) -> str | None:
    """The range ``first``-``last`` when a page carries a particle ("N110-N115"), else None.

    As in citeproc-js: pages with different particles ("N110-5", "110-N6", "123N110-N5")
    are no range: they keep a plain hyphen. With the same particle the numbers are
    formatted as a range; expanded (or no) page-range-format repeats the particle on the
    second page ("N110–N115"), the shortening formats drop it with the digits ("n11564–8").
    """
    one, two = _PARTICLE.match(first), _PARTICLE.match(last)
    if one is None or two is None:
        return None
    particle, start = one.group(1) or "", one.group(2)
    if particle != (two.group(1) or ""):
        return f"{first}-{last}"
    if not particle:
        return None
    end = format_last(start, two.group(2), fmt)
    if fmt not in _SHORTENING or (end == two.group(2) and int(end) <= int(start)):
        end = particle + end
    return f"{particle}{start}{delimiter}{end}"


def _number_like(page: str) -> bool:
    """Whether a side of a hyphenated page is a page number (it has a digit, or is a roman
    numeral); "Michaelson-Morely" is no range and keeps its hyphen, as in citeproc-js."""
    return any(c.isdigit() for c in page) or bool(_ROMAN.match(page))


def _separator(separator: str, before: str, after: str, ampersand: str) -> str:
    """A list separator; "&" becomes the locale's ampersand (citeproc-js: spaced unless it
    joins two letters)."""
    if "&" not in separator or ampersand == "&":
        return separator
    if before[-1:].isalpha() and after[:1].isalpha():
        return ampersand
    return f" {ampersand} "


def format_range(value: str, fmt: str | None, delimiter: str, ampersand: str = "&") -> str:
    """Every ``a-b`` range in a comma/ampersand list, formatted; other parts unchanged."""
    parts = _LIST_SEPARATOR.split(value)
    out = []
    for index, part in enumerate(parts):
        if index % 2:
            out.append(_separator(part, parts[index - 1], parts[index + 1], ampersand))
            continue
        if ESCAPED_HYPHEN in part:  # "327\\-30": a hyphen that is no range
            out.append(part.replace(ESCAPED_HYPHEN, "-"))
            continue
        match = _RANGE.match(part)
        if match:
            first, last = match.groups()
            with_particle = format_particle_range(first, last, fmt, delimiter)
            if with_particle is not None:
                out.append(with_particle)
            elif first.isdigit() and last.isdigit():
                out.append(f"{first}{delimiter}{format_last(first, last, fmt)}")
            else:
                out.append(part)
        else:
            out.append(part)
    return "".join(out)


@replace(FormatNumber, "_format_last_page")
def format_last_page(original: Callable[[Element, str, str], str], self: Element, first: str,
                     last: str) -> str:
    if not (first.isdigit() and last.isdigit()):
        return last
    return format_last(first, last, self.get_root().get_option("page-range-format"))


@replace_direct(FormatNumber, "_process")
def particle_pages(original: NumberMethod) -> NumberMethod:
    def _process(self: NumberElement, value: object, variable: str) -> Rendered:
        text = str(value)
        if variable != "page" or not (
            "-" in text or "\u2013" in text or "&" in text or ESCAPED_HYPHEN in text
        ):
            return original(self, value, variable)
        fmt = self.get_root().get_option("page-range-format")
        delimiter = _delimiter(self)
        ampersand = _ampersand(self) if "&" in text else "&"
        parts = _LIST_SEPARATOR.split(text)
        out = []
        changed = ampersand != "&"
        for index, part in enumerate(parts):
            if index % 2:  # a separator, spaced as citeproc-py spaces it
                spaced = ", " if "," in part else " & "
                out.append(_separator(spaced, parts[index - 1], parts[index + 1], ampersand))
                continue
            match = None if ESCAPED_HYPHEN in part else _RANGE.match(part)
            formatted = (
                format_particle_range(match.group(1), match.group(2), fmt, delimiter)
                if match else None
            )
            if ESCAPED_HYPHEN in part:
                formatted = part.replace(ESCAPED_HYPHEN, "-")
            elif match and not (_number_like(match.group(1)) and _number_like(match.group(2))):
                formatted = part
            changed = changed or formatted is not None
            out.append(formatted if formatted is not None else str(original(self, part, variable)))
        return "".join(out) if changed else original(self, value, variable)

    return _process


def _ampersand(element: Element) -> str:
    """The locale's "and" symbol, for "&" between numbers; "&" when the locale has no own
    symbol (citeproc-js: when the symbol form is the same as the long form)."""
    symbol = element.get_term("and", "symbol")
    long = element.get_term("and")
    if symbol is None or (long is not None and str(long.single) == str(symbol.single)):
        return "&"
    return str(symbol.single)


def _delimiter(element: Element) -> str:
    term = element.get_term("page-range-delimiter")
    return str(term.single) if term is not None else "\u2013"


@replace_direct(Text, "_variable")
def locator_pages(original: VariableMethod) -> VariableMethod:
    def _variable(self: Element, item: Cite, context: Element) -> VariableValue | None:
        if self.get("variable") == "locator" and "locator" in item:
            locator = item["locator"]
            if str(locator.label) == "page":
                identifier = str(locator.identifier)
                return format_range(
                    identifier,
                    self.get_root().get_option("page-range-format"),
                    _delimiter(self),
                    _ampersand(self) if "&" in identifier else "&",
                )
        return original(self, item, context)

    return _variable

"""CSL 1.0.2 "Sorting": sort keys are values, not formatted output.

Spec: keys are compared per cs:key in order; "Items with an empty sort key value are placed
at the end of the sort, both for ascending and descending sorts"; a macro key renders the
macro with names in sort order (``name-as-sort-order="all"``, and ``names-min``/
``names-use-first``/``names-use-last`` overriding et-al); date keys compare as dates and
number keys as numbers; ``demote-non-dropping-particle="sort-only"`` or
``"display-and-sort"`` files "Ludwig van Beethoven" under B.

citeproc-py compares the rendered key *with its markup*: quotation marks and, in HTML, the
``<i>`` tags enter the key, so italic titles all sort first. Here keys are read from the
intermediate markup with every marker stripped, compared case- and accent-insensitively,
and ties keep the input order (the sort is stable).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping, Sequence
from typing import cast

from citeproc import DATES, NAMES, NUMBERS
from citeproc.model import Date, Key, Name, Number, Sort, Text
from citeproc.source import DateRange

from exilebib.engine.markup import strip_markers
from exilebib.engine.rules.caches import ElementMemo
from exilebib.engine.rules.name_list import SortOptions
from exilebib.engine.rules.render_state import current
from exilebib.engine.rules.targets import replace, replace_direct
from exilebib.engine.types import (
    Cite,
    DateElement,
    DateRangeValue,
    DateValue,
    DateVariable,
    Element,
    NameElement,
    NameValue,
    NumberElement,
    Rendered,
    SortElement,
    VariableMethod,
    VariableValue,
)

SortValue = tuple[int, int, str] | None


#: deletes the ASCII punctuation (Unicode category P): for ASCII text, the whole of what
#: :func:`collation_key` removes
_ASCII_PUNCTUATION = str.maketrans(
    "", "", "".join(c for c in map(chr, range(128)) if unicodedata.category(c)[0] == "P"))


def collation_key(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form of ``text`` for comparison
    (citeproc-js compares "Simple title, here A" before "Simple title here B" and files
    "’t Horvath" under T)."""
    plain = strip_markers(text)
    if plain.isascii():  # nothing to decompose: the same key at a fifth of the cost
        return " ".join(plain.translate(_ASCII_PUNCTUATION).lower().split())
    decomposed = unicodedata.normalize("NFKD", plain)
    plain = "".join(
        c for c in decomposed
        if not unicodedata.combining(c) and not unicodedata.category(c).startswith("P")
    )
    return " ".join(plain.casefold().split())


def _string(text: object) -> SortValue:
    if text is None:
        return None
    key = collation_key(str(text))
    return (1, 0, key) if key else None


def _number(value: object) -> SortValue:
    if value is None:
        return None
    digits = ""
    for char in str(value).strip():
        if char.isdigit():
            digits += char
        elif digits:
            break
    if digits:
        return (0, int(digits), collation_key(str(value)))
    return _string(value)


def _name_key(key: Element, names: Sequence[NameValue]) -> SortValue:
    demote = key.get_root().get("demote-non-dropping-particle", "display-and-sort").lower()
    parts = []
    for name in names:
        given, family, dp, ndp, suffix = name.parts()
        if demote in ("sort-only", "display-and-sort"):
            words = [family, given, dp, ndp, suffix]
        else:
            words = [" ".join(n for n in (ndp, family) if n), given, dp, suffix]
        parts.append(" ".join(str(w) for w in words if w))
    return _string(", ".join(parts))


#: per cs:key with a macro: the name options it gives the macro's names
_KEY_OPTIONS: ElementMemo[SortOptions] = ElementMemo("sort-key-options")


def _key_options(key: Element) -> SortOptions:
    """The name options of a macro key: names in sort order, no "and", the key's
    ``names-*`` options, particles demoted if the style demotes them in sorting only."""
    found = key.__dict__.get(_KEY_OPTIONS.slot)
    if found is None:
        options: dict[str, object] = {"name-as-sort-order": "all", "and": None}
        for option in ("names-min", "names-use-first", "names-use-last"):
            if option in key.attrib:
                options[option.replace("names", "et-al")] = key.get(option)
        demote = key.get_root().get("demote-non-dropping-particle", "display-and-sort")
        if demote.lower() == "sort-only":
            options["demote-non-dropping-particle"] = "display-and-sort"
        found = key.__dict__[_KEY_OPTIONS.slot] = SortOptions(options)
    return found


def sort_value(key: Element, item: Cite, context: Element) -> SortValue:
    """One item's value for one cs:key (``context``: the cs:citation or cs:bibliography)."""
    current().start_item()
    if "variable" in key.attrib:
        variable = key.attrib["variable"].replace("-", "_")
        reference = item.reference
        if variable in NAMES:
            names = cast("list[NameValue] | None", reference.get(variable))
            return _name_key(key, names) if names else None
        if variable in DATES:
            date = cast("DateVariable | None", reference.get(variable))
            return (1, 0, date.sort_key()) if date is not None else None
        if variable in NUMBERS:
            return _number(reference.get(variable))
        if variable == "citation_number":
            return (0, item.number, "")
        value = reference.get(variable)
        return _string(value)
    if "macro" in key.attrib:
        # names in a macro key: each in sort order, joined by the delimiter without the
        # "and" term (as citeproc-js builds keys; "Fairbanks, Farid, and Zielinski" must not
        # sort before "Fairbanks, Farid, Underhill" on the word "and")
        options = _key_options(key)
        layout = context.get_layout()
        layout.repressed = {}
        macro = key.get_macro(key.attrib["macro"])
        state = current()
        state.sorting = True
        state.key_options = options
        try:
            text = macro.render(item, context=context, sort_options=options)
        finally:
            state.sorting = False
            state.key_options = None
        return _string(text)
    return None


@replace_direct(Name, "process")
def key_name_options(original: Callable[..., Rendered]) -> Callable[..., Rendered]:
    """A macro key's name options reach every cs:name of it: citeproc-py passes them to the
    key's macro but drops them where a cs:text calls another macro (Chicago's author key
    calls "author-bib"), and its names then sorted in display order, "and" included."""

    def process(self: NameElement, item: Cite, variable: str, context: Element | None = None,
                sort_options: Mapping[str, object] | None = None) -> Rendered:
        if sort_options is None:
            state = current()
            if state.sorting:
                sort_options = state.key_options
        return original(self, item, variable, context, sort_options)

    return process


@replace_direct(Name, "et_al")
def no_et_al_in_keys(original: Callable[[NameElement], Rendered]
                     ) -> Callable[[NameElement], Rendered]:
    """No "et al." in a sort key: the names shown are the key, so "Bellamy et al. 1944"
    sorts with "Bellamy 2016" by its date, as citeproc-js sorts them."""

    def et_al(self: NameElement) -> Rendered:
        if current().sorting:
            return ""
        return original(self)

    return et_al


@replace(Sort, "sort")
def sort(original: Callable[[SortElement, list[Cite], Element], list[Cite]],
         self: SortElement, items: list[Cite], context: Element) -> list[Cite]:
    keys = [(key, key.get("sort", "ascending").lower() == "descending")
            for key in self.findall("cs:key", self.nsmap)]
    return [items[i] for i in _refine(list(range(len(items))), 0, keys, items, context)]


def _refine(indices: list[int], level: int, keys: list[tuple[Element, bool]],
            items: list[Cite], context: Element) -> list[int]:
    """``indices`` (of ``items``) ordered by the keys from ``level`` on. A key is computed
    only for the items the keys before it leave tied (a macro key is a whole rendering):
    same order as comparing every key, ties in input order. (A module function: a nested
    one that calls itself holds itself in its closure, a cycle that kept every cite and
    reference of a render alive until the garbage collector ran.)"""
    if len(indices) < 2 or level == len(keys):
        return indices
    key, descending = keys[level]
    values = {i: sort_value(key, items[i], context) for i in indices}
    # empty values last in both directions; sorted() is stable, also with reverse=True,
    # so ties keep the input order
    present = {i: value for i in indices if (value := values[i]) is not None}
    ordered = sorted(present, key=present.__getitem__, reverse=descending)
    ordered += [i for i in indices if values[i] is None]
    out: list[int] = []
    start = 0
    for end in range(1, len(ordered) + 1):
        if end == len(ordered) or values[ordered[end]] != values[ordered[start]]:
            out += _refine(ordered[start:end], level + 1, keys, items, context)
            start = end
    return out


@replace(Key, "sort_keys")
def sort_keys(original: Callable[[Element, list[Cite], Element], list[SortValue]],
              self: Element, items: list[Cite], context: Element) -> list[SortValue]:
    return [sort_value(self, item, context) for item in items]


@replace_direct(Text, "_variable")
def no_year_suffix_in_keys(original: VariableMethod) -> VariableMethod:
    def _variable(self: Element, item: Cite, context: Element) -> VariableValue | None:
        # citeproc-js sorts "Swain 2014c" with "Swain 2014b" by the date alone
        if current().sorting and self.get("variable") == "year-suffix":
            return None
        return original(self, item, context)

    return _variable


@replace_direct(Date, "process")
def date_for_sorting(original: Callable[..., Rendered]) -> Callable[..., Rendered]:
    def process(self: DateElement, item: Cite, variable: str | None = None,
                show_parts: Sequence[str] | None = None, context: Element | None = None,
                **kwargs: object) -> Rendered:
        if current().sorting:
            name = (variable or self.get("variable") or "").replace("-", "_")
            date = item.reference.get(name) if name else None
            if date is None:
                return None
            return _date_key(self, date)
        return original(self, item, variable, show_parts, context, **kwargs)

    return process


def _date_key(element: DateElement, date: object) -> str:
    """A date's sort value limited to the parts the cs:date shows (``date-parts``); a
    range sorts by its first date, then its last (citeproc-js).

    ``date`` is what the variable the cs:date names holds: a :data:`DateVariable`, or the
    text of a variable that is not a date."""
    if isinstance(date, DateRange):  # (the only value with a begin)
        span = cast("DateRangeValue", date)
        end = span.get("end")
        return _date_key(element, span.begin) + (_date_key(element, end) if end is not None
                                                 else "")
    # (a literal date has no year: citeproc-py raises VariableError for it here, and the
    # date adds nothing to the key)
    if not hasattr(date, "year"):
        return str(date.sort_key()) if hasattr(date, "sort_key") else str(date)
    single = cast("DateValue", date)  # (only a date has a year)
    parts = element.get("date-parts")
    if parts is None and element.get("form") is None:
        shown = {child.get("name") for child in element.iterchildren()}
    else:
        shown = set((parts or "year-month-day").split("-"))
    year = single.get("year", 0) if "year" in shown else 0
    month = single.get("month", 0) if "month" in shown else 0
    day = single.get("day", 0) if "day" in shown else 0
    try:
        return f"{int(year) + 10000:05}{int(month):02}{int(day):02}"
    except (TypeError, ValueError):
        return str(single.sort_key())


@replace_direct(Number, "process")
def number_for_sorting(original: Callable[..., Rendered]) -> Callable[..., Rendered]:
    def process(self: NumberElement, item: Cite, context: Element | None = None,
                **kwargs: object) -> Rendered:
        text = original(self, item, context, **kwargs)
        if current().sorting and text is not None and str(text).isdigit():
            return str(text).zfill(10)
        return text

    return process

"""CSL 1.0.2 date ranges (cs:date-part ``range-delimiter``).

Spec: "range-delimiter: Specifies the delimiter for the date-part in a date range ... The
delimiter of the largest date-part that differs between the start and end of the range is
used", and parts the two dates share are printed once: "May 1–3, 2008", "May 1 – June 3,
2008" style output comes from printing the differing parts of each date around the
delimiter and the shared parts once.

citeproc-py joins the pieces through an element that has no ``join`` (``TypeError:
'NoneType' object is not callable``) for a day range such as ``[[1937,4,10],[1937,4,17]]``
in chicago-author-date, losing the whole bibliography, and prints "10,–17, April 1937" in
chicago-notes-bibliography. Here the range is rebuilt from its date-parts.
"""

from __future__ import annotations

from collections.abc import Sequence

from citeproc.model import Date
from citeproc.source import VariableError
from citeproc.string import String

from exilebib.engine.rules.localized_dates import date_delimiter, localized_part
from exilebib.engine.rules.punctuation_seams import join
from exilebib.engine.rules.targets import replace
from exilebib.engine.types import (
    DateElement,
    DatePartElement,
    DateRangeMethod,
    DateRangeValue,
    DateValue,
    Element,
    Rendered,
    RichText,
)

_ORDER = ("year", "month", "day")


def _value(date: DateValue, name: str) -> object:
    return date.get(name) if hasattr(date, "get") else None


def _piece(part: DatePartElement, date: DateValue, context: Element | None, *, prefix: bool,
           suffix: bool) -> RichText | None:
    try:
        text = part.process(date, context)
    except (VariableError, KeyError, AttributeError):
        return None
    if text is None or text == "":
        return None
    body = part.format(part.case(part.strip_periods(text)))
    before = part.get("prefix", "") if prefix else ""
    after = part.get("suffix", "") if suffix else ""
    return String(before) + body + String(after) if before or after else body


@replace(Date, "render_date_range")
def render_date_range(original: DateRangeMethod, self: DateElement,
                      date_range: DateRangeValue, show_parts: Sequence[str] | None = None,
                      context: DateElement | None = None) -> Rendered:
    begin, end = date_range.begin, date_range.get("end")
    shown = list(show_parts or _ORDER)
    if end is None or end.is_nil():  # an open range: "1987–"
        single = self.render_single_date(begin, shown, context)
        return single + String("\u2013") if single is not None else None
    differing = [name for name in _ORDER
                 if name in shown and _value(begin, name) != _value(end, name)]
    if not differing:
        return self.render_single_date(begin, shown, context)
    largest = differing[0]
    varying = set(_ORDER[_ORDER.index(largest):])
    # a locale's parts with the calling date's overrides (their range-delimiter too)
    parts = [localized_part(p, context if context is not self else None)
             for p in self.iterchildren() if p.get("name") in shown]
    indexes = [i for i, p in enumerate(parts) if p.get("name") in varying]
    if not indexes:
        return self.render_single_date(begin, shown, context)
    first, last = indexes[0], indexes[-1]
    delimiter = date_delimiter(self, context)

    def run(date: DateValue, chosen: list[DatePartElement], *, cut_first_prefix: bool = False,
            cut_last_suffix: bool = False) -> Rendered:
        # the affixes cut are those of the first and last parts the date has ("March–May
        # 2001": a missing day must not keep the month's suffix before the dash)
        ctx = context if context is not self else None
        present = [part for part in chosen
                   if _piece(part, date, ctx, prefix=False, suffix=False) is not None]
        out = []
        for index, part in enumerate(present):
            piece = _piece(
                part, date, ctx,
                prefix=not (cut_first_prefix and index == 0),
                suffix=not (cut_last_suffix and index == len(present) - 1),
            )
            if piece is not None:
                out.append(piece)
        return join(out, delimiter) if out else None

    range_part = parts[indexes[0]]
    for part in parts:
        if part.get("name") == largest:
            range_part = part
    range_delimiter = range_part.get("range-delimiter", "\u2013")
    head = run(begin, parts[:first])
    start = run(begin, parts[first:last + 1], cut_last_suffix=True)
    stop = run(end, parts[first:last + 1], cut_first_prefix=True)
    tail = run(end, parts[last + 1:])
    if start is None or stop is None:
        return self.render_single_date(begin, shown, context)
    middle = start + String(range_delimiter) + stop
    pieces = [p for p in (head, middle, tail) if p is not None]
    return join(pieces, delimiter)

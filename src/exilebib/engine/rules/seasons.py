"""Seasons written as months 13–24 in CSL-JSON dates ("date-parts": [[1999, 21]]).

CSL 1.0.2 ("Seasons"): the terms ``season-01`` to ``season-04`` (Spring, Summer, Autumn,
Winter) are printed for a date that gives a season instead of a month. CSL-JSON (and
citeproc-js, the reference processor) writes a season in the month's place: 13–16 and
21–24 are seasons 1–4 (17–20 count on: 17 is season 1 again). citeproc-js prints the season
term where a month name would go (long or short form: "Spring 1999", "Spring 1999–Summer
2001"), leaves the month out of a numeric form, and leaves out a month it cannot read (0,
-1, 60). citeproc-py looked up a term "month-21" (nothing) or printed "21/1999".
"""

from __future__ import annotations

from collections.abc import Callable

from citeproc.model import Date_Part

from exilebib.engine.rules.targets import replace_direct
from exilebib.engine.types import (
    DatePartElement,
    DatePartMethod,
    DatePartText,
    DateValue,
    Element,
)

#: the months that stand for seasons, and the last one
FIRST_SEASON_MONTH, LAST_SEASON_MONTH = 13, 24


def season_of(month: int) -> int | None:
    """The season (1–4) a CSL-JSON month number stands for, None for a real month or none."""
    if FIRST_SEASON_MONTH <= month <= LAST_SEASON_MONTH:
        return (month - FIRST_SEASON_MONTH) % 4 + 1
    return None


@replace_direct(Date_Part, "process")
def season_months(original: DatePartMethod) -> Callable[..., DatePartText]:
    def process(self: DatePartElement, date: DateValue,
                context: Element | None = None) -> DatePartText:
        text = original(self, date, context)
        if self.get("name") != "month":
            return text
        month = date.get("month")
        if not isinstance(month, int) or 1 <= month <= 12:
            return text
        season = season_of(month)
        if season is None or self.get("form", "long") not in ("long", "short"):
            return None
        element = context if context is not None else self
        return element.get_single_term(name=f"season-{season:02}")

    return process

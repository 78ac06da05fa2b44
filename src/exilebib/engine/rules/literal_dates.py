"""CSL 1.0.2 dates given as ``literal`` ("Spring 1937"): printed where the year would be.

A literal date cannot be split into date-parts, so citeproc-js prints it in full by a
cs:date that shows the year, and not at all by one that shows only the month or day.
citeproc-py printed it by every cs:date: Chicago author-date, which adds the month and day
after a journal's title ("J, May 4"), gave "J, Spring 1937" after "Smith, Ann. Spring
1937."; APA gave "(Spring 1937, Spring 1937)".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from citeproc.model import Date
from citeproc.source import LiteralDate

from exilebib.engine.rules.caches import ElementMemo
from exilebib.engine.rules.targets import replace_direct
from exilebib.engine.types import Cite, DateElement, Element, Rendered

_SHOWS_YEAR: ElementMemo[bool] = ElementMemo("shows-year")


def _shows_year(date: DateElement) -> bool:
    """Whether a cs:date of the style (not a locale's) shows the year: a localized one
    unless its ``date-parts`` leave it out, else one with a year date-part."""
    shows = _SHOWS_YEAR.get(date)
    if shows is None:
        if date.get("form") is not None:
            shows = "year" in date.get("date-parts", "year-month-day").split("-")
        else:
            shows = any(part.get("name") == "year" for part in date.iterchildren())
        shows = _SHOWS_YEAR[date] = bool(shows)
    return shows


@replace_direct(Date, "process")
def literal_where_the_year_is(original: Callable[..., Rendered]) -> Callable[..., Rendered]:
    def process(self: DateElement, item: Cite, variable: str | None = None,
                show_parts: Sequence[str] | None = None, context: Element | None = None,
                **kwargs: object) -> Rendered:
        if not self.is_locale_date():
            name = (variable or self.get("variable") or "").replace("-", "_")
            value = item.reference.get(name) if name else None
            if isinstance(value, LiteralDate) and not _shows_year(self):
                return None
        return original(self, item, variable, show_parts, context, **kwargs)

    return process

"""CSL 1.0.2 localized dates: whose ``delimiter`` joins the date-parts.

Spec (Localized Date Formats): a cs:date with ``form`` uses the locale's cs:date of that form;
"cs:date may carry the delimiter attribute" in a locale, and the calling cs:date may set
affixes and the ``delimiter`` too. citeproc-js joins the parts with the calling date's
delimiter when it sets one, else with the locale date's. citeproc-py always took the
calling date's, so a style's own locale date ``<date form="text" delimiter=" ">`` (the NLM
styles: "2024 Dec 18") came out as "2024Dec18".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from citeproc.model import Date

from exilebib.engine.rules.punctuation_seams import join
from exilebib.engine.rules.targets import replace_direct
from exilebib.engine.types import DateElement, DateValue, Rendered, SingleDateMethod


def date_delimiter(date: DateElement, context: DateElement | None) -> str:
    """The delimiter between the parts of ``date`` rendered for ``context`` (the calling
    cs:date when ``date`` is a locale's)."""
    if context is not None and context is not date and date.is_locale_date():
        own = context.get("delimiter")
        return str(own) if own is not None else str(date.get("delimiter", ""))
    return str(date.get("delimiter", ""))


@replace_direct(Date, "render_single_date")
def render_single_date(original: SingleDateMethod) -> Callable[..., Rendered]:
    def render_single_date(self: DateElement, date: DateValue,
                           show_parts: Sequence[str] | None = None,
                           context: DateElement | None = None) -> Rendered:
        if context is None or context is self or not self.is_locale_date():
            return original(self, date, show_parts, context)
        parts = self.parts(date, show_parts, context)
        return join(parts, date_delimiter(self, context)) if parts else None

    return render_single_date

"""CSL 1.0.2 localized dates: whose ``delimiter`` joins the date-parts, and whose attributes
a date-part renders with.

Spec (Localized Date Formats): a cs:date with ``form`` uses the locale's cs:date of that form;
"cs:date may carry the delimiter attribute" in a locale, and the calling cs:date may set
affixes and the ``delimiter`` too. citeproc-js joins the parts with the calling date's
delimiter when it sets one, else with the locale date's. citeproc-py always took the
calling date's, so a style's own locale date ``<date form="text" delimiter=" ">`` (the NLM
styles: "2024 Dec 18") came out as "2024Dec18".

"cs:date-part elements [of the calling cs:date] may be used to override the attributes of the
localized date-parts": for that date only. citeproc-py copies them onto the locale's
date-part, where they stay for every later date of the style, in every later render and
thread: a month given a suffix in one date kept it in the next ("May!6, 2024" for "May 6,
2024"). Here a locale's date-part rendered for a calling date whose date-part overrides it
is rendered by an element with the locale part's attributes and the overrides over them,
made once per pair and never changed; the locale's own date-parts are never written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

from citeproc.model import Date, Date_Part

from exilebib.engine.rules.caches import ElementMemo, adopt
from exilebib.engine.rules.punctuation_seams import join
from exilebib.engine.rules.targets import replace_direct
from exilebib.engine.types import (
    DateElement,
    DatePartElement,
    DateValue,
    Element,
    Rendered,
    SingleDateMethod,
)


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


#: on a calling cs:date: the locale's date-part -> the element that renders it for this date
_RENDERED_BY: ElementMemo[dict[object, DatePartElement]] = ElementMemo("localized-date-parts")
#: on an element made here: it renders as it is
_MADE = "exilebib:made-date-part"


def localized_part(part: DatePartElement, context: Element | None) -> DatePartElement:
    """The element that renders ``part`` for the calling cs:date ``context``: ``part``
    itself, or where ``context`` has a cs:date-part of the same name (the first, as
    citeproc-py looks it up), one with ``part``'s attributes and that part's over them."""
    if context is None or context is part or part.__dict__.get(_MADE):
        return part
    memo = context.__dict__.get(_RENDERED_BY.slot)
    if memo is None:
        memo = context.__dict__[_RENDERED_BY.slot] = {}
    found = memo.get(part)
    if found is None:
        overrides = context.xpath_search(f'./cs:date-part[@name="{part.get("name")}"]')
        if not overrides or overrides[0] is part:
            found = part
        else:
            attributes = dict(part.attrib)
            attributes.update(overrides[0].attrib)
            # (an lxml element: makeelement gives the same class, from the same parser)
            found = cast(Any, part).makeelement(part.tag, attributes)
            found.__dict__[_MADE] = True
            adopt(found, part)
        memo[part] = found
    return found


DatePartRender = Callable[[DatePartElement, DateValue, Element | None], Rendered]


@replace_direct(Date_Part, "render")
def overridden_part(original: DatePartRender) -> DatePartRender:
    def render(self: DatePartElement, date: DateValue, context: Element | None = None
               ) -> Rendered:
        part = localized_part(self, context)
        if part is self:
            return original(self, date, context)
        # the whole chain for the part that renders (the year-suffix goes on with its
        # attributes); this chain then finds nothing left to do
        rendered: Rendered = cast(Any, part).render(date, context)
        return rendered

    return render

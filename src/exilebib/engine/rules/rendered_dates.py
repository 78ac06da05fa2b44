"""Rendered dates, remembered per cs:date: not a CSL rule but the engine's speed.

A date's text depends on the cs:date that renders it, the cs:date it renders for (a
locale's date renders for a style's), the parts shown and the date's own parts; of the
render's state only a pending year-suffix reaches it (disambiguation puts the suffix after
the year): it is part of the key, and whether the year took it is kept with the text, so a
date found again takes the suffix as rendering it would have. Bibliographies repeat dates
(years above all), so each distinct date is rendered once per cs:date and the text kept on
the element (rendered text is never changed in place: citeproc-py's strings build new
ones). A locale's date-parts render with the calling date's
overrides without changing any element (:func:`.localized_dates.localized_part`), so
nothing of one date's rendering reaches another's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from citeproc.model import Date

from exilebib.engine.rules.caches import ElementMemo
from exilebib.engine.rules.render_state import current
from exilebib.engine.rules.targets import replace_direct
from exilebib.engine.types import DateElement, DateValue, Rendered, SingleDateMethod

#: per cs:date: (the date rendered for, parts shown, the date's parts, the pending
#: year-suffix) -> its text and whether its year took the suffix
_RENDERED: ElementMemo[dict[object, tuple[Rendered, bool]]] = ElementMemo("rendered-dates")
#: dates kept per cs:date (a long-lived engine renders many bibliographies with one style)
_MAX_DATES = 4096


@replace_direct(Date, "render_single_date")
def remembered_dates(original: SingleDateMethod) -> Callable[..., Rendered]:
    slot = _RENDERED.slot

    def render_single_date(self: DateElement, date: DateValue,
                           show_parts: Sequence[str] | None = None,
                           context: DateElement | None = None) -> Rendered:
        state = current()
        suffix = state.year_suffix_pending
        try:
            key = (context, None if show_parts is None else tuple(show_parts),
                   tuple(date.items()), suffix)
            hash(key)
        except TypeError:  # a date part that is not a plain value: rendered as it is
            return original(self, date, show_parts, context)
        memo = self.__dict__.get(slot)
        if memo is None:
            memo = self.__dict__[slot] = {}
        found = memo.get(key)
        if found is None:
            text = original(self, date, show_parts, context)
            # whether the date's year took the pending suffix (then it is no longer pending)
            found = (text, suffix is not None and state.year_suffix_pending is None)
            # (a suffixed year belongs to one item or two: those leave room for the rest)
            if len(memo) < (_MAX_DATES if suffix is None else _MAX_DATES // 2):
                memo[key] = found
        elif found[1]:
            state.year_suffix_pending = None
        return found[0]

    return render_single_date

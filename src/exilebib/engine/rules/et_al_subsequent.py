"""CSL 1.0.2 name options ``et-al-subsequent-min`` and ``et-al-subsequent-use-first``.

Spec (Name, "et-al-subsequent-min / et-al-subsequent-use-first"): "If used, the values of
these attributes replace those of respectively et-al-min and et-al-use-first for
subsequent cites (cites referencing earlier cited items)." citeproc-py reads the options and
never applies them, so a subsequent cite showed as many names as the first ("John Doe, Jane
Roe, Katie Harper, Emmanuel Clutterbuck" where citeproc-js gives "John Doe et al.").

A cite is subsequent when its position is not "first" (ibid cites included, as the spec's
positions nest). The options count as used when ``et-al-subsequent-min`` is set.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from citeproc.model import Name

from exilebib.engine.rules.render_state import current
from exilebib.engine.rules.targets import replace_direct
from exilebib.engine.types import Element, NameElement

#: Name.get_option as the rules below this one answer it
OptionMethod = Callable[[NameElement, str, "Element | None", "Mapping[str, object] | None"],
                        object]

#: et-al option -> the option that replaces it for subsequent cites
SUBSEQUENT_OPTION = {
    "et-al-min": "et-al-subsequent-min",
    "et-al-use-first": "et-al-subsequent-use-first",
}


@replace_direct(Name, "get_option")
def subsequent_et_al(original: OptionMethod) -> OptionMethod:
    # a direct rule: get_option is among the engine's hottest calls
    def get_option(self: NameElement, name: str, context: Element | None = None,
                   sort_options: Mapping[str, object] | None = None) -> object:
        replacement = SUBSEQUENT_OPTION.get(name)
        if replacement is None or sort_options:
            return original(self, name, context, sort_options)
        state = current()
        if (state.in_citation and state.subsequent
                and original(self, "et-al-subsequent-min", context, sort_options)):
            return original(self, replacement, context, sort_options)
        return original(self, name, context, sort_options)

    return get_option

"""CSL 1.0.2 ``et-al-use-first="0"``.

Spec (name options): "et-al-use-first: When truncation of name lists is enabled, specifies the
number of names rendered before et-al" — with 0 no name is rendered, and a list of no names
is no list: the cs:names prints nothing (neither "et al." nor its label), as in citeproc-js.
citeproc-py printed " et al." alone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import cast

from citeproc.model import Name

from exilebib.engine.rules.targets import replace_direct
from exilebib.engine.types import Cite, Element, NameElement, NameValue, Rendered


@replace_direct(Name, "process")
def no_names_shown(original: Callable[..., Rendered]) -> Callable[..., Rendered]:
    # a direct rule: every name list goes through it
    def process(self: NameElement, item: Cite, variable: str, context: Element | None = None,
                sort_options: Mapping[str, object] | None = None) -> Rendered:
        # a name variable holds a list of names
        names = (cast("list[NameValue] | None", item.reference.get(variable)) if variable
                 else None)
        if names and len(names) > 1:
            et_al_min = self.get_option("et-al-min", context, sort_options)
            if (et_al_min and len(names) >= et_al_min
                    and self.get_option("et-al-use-first", context, sort_options) == 0):
                return None
        return original(self, item, variable, context, sort_options)

    return process

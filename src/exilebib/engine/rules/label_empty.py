"""CSL 1.0.2 ``cs:label``: "Must be used to render the term for a variable that is
non-empty" — a label whose variable is empty (or already consumed by cs:substitute) renders
nothing. citeproc-py renders the term anyway (Chicago's spurious "Edition." after a
magazine article comes from ``<label variable="edition"/>``).
"""

from __future__ import annotations

from typing import Any

from citeproc.model import Label

from exilebib.engine.rules._switch import replace
from exilebib.engine.rules.render_state import RENDER


@replace(Label, "process")
def process(original: Any, self: Any, item: Any, variable: Any = None, plural: Any = None,
            context: Any = None, **kwargs: Any) -> Any:
    if RENDER.sorting:  # "cs:label ... is not rendered in sort keys" (name labels)
        return None
    if variable is None:  # a stand-alone cs:label (inside cs:names the role is known)
        name = self.get("variable") or ""
        if name == "locator":
            if "locator" not in item:
                return None
        else:
            key = name.replace("-", "_")
            if not name or key not in item.reference or RENDER.is_suppressed(name):
                return None
            if not str(item.reference[key]).strip():
                return None
    return original(self, item, variable, plural, context, **kwargs)

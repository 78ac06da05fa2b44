"""CSL 1.0.2 ``cs:label`` for an empty variable, as the reference processor reads it.

The spec says the term "is only rendered if the selected variable is non-empty"; citeproc-js
renders the label's term and lets cs:group suppression decide (a group whose variables are
all empty goes, its labels with it: :mod:`group_suppression`). Styles are written against
that reading: Cite Them Right prints "(4 vol)" from ``<text variable="number-of-volumes"/>``
and ``<label variable="volume"/>`` in one group when the item has no ``volume``, and
Chicago's ``<label variable="edition"/>`` vanishes with its group. citeproc-py decides per
label with no group context; here a label renders its term unless it sits in a sort key
("cs:label ... is not rendered in sort keys"), its variable was consumed by cs:substitute, or
it is a ``locator`` label in a cite without a locator.
"""

from __future__ import annotations

from collections.abc import Callable

from citeproc.model import Label

from exilebib.engine.rules.render_state import current
from exilebib.engine.rules.targets import replace_direct
from exilebib.engine.types import Cite, Element, Rendered


@replace_direct(Label, "process")
def process(original: Callable[..., Rendered]) -> Callable[..., Rendered]:
    def process(self: Element, item: Cite, variable: str | None = None,
                plural: bool | None = None, context: Element | None = None,
                **kwargs: object) -> Rendered:
        if current().sorting:  # "cs:label ... is not rendered in sort keys" (name labels)
            return None
        if variable is None:  # a stand-alone cs:label (inside cs:names the role is known)
            name = self.get("variable") or ""
            if name == "locator":
                if "locator" not in item:
                    return None
            else:
                if not name or current().is_suppressed(name):
                    return None
        return original(self, item, variable, plural, context, **kwargs)

    return process

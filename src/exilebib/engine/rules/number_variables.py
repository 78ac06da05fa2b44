"""CSL 1.0.2 ``cs:number``: every number variable, hyphenated names included.

Spec (Number): "cs:number ... can be used to render number variables"; the number variables
include ``number-of-volumes``, ``number-of-pages``, ``chapter-number`` and
``collection-number``. citeproc-py looked them up under their hyphenated names, which its
items store with underscores, so ``<number variable="number-of-volumes"/>`` printed nothing:
APA's "Capital (Vols. 1–3)" lost its volumes.
"""

from __future__ import annotations

from collections.abc import Callable

from citeproc.model import Number
from citeproc.source import VariableError

from exilebib.engine.rules.targets import replace
from exilebib.engine.types import Cite, Element, NumberElement, Rendered


@replace(Number, "process")
def hyphenated_number_variables(original: Callable[..., Rendered], self: NumberElement,
                                item: Cite, context: Element | None = None,
                                **kwargs: object) -> Rendered:
    variable = self.get("variable") or ""
    if "-" not in variable or variable in ("page-first", "citation-number"):
        return original(self, item, context, **kwargs)
    value = item.reference.get(variable.replace("-", "_"))
    if value is None or not str(value).strip():
        raise VariableError(variable)
    return self._process(value, variable)

"""A ``cs:names`` without a ``cs:name`` child, built from the engine's classes.

CSL 1.0.2 ("Names"): cs:name is optional inside cs:names; without it the names render with
the default name options. citeproc-py then inserts a ``cs:name`` it constructs from its own
class, so on the first render of such a cs:names no rule of the engine reaches the names
(particles, disambiguation, initials); later renders find the element through the tree and
get the engine's class. Here the missing cs:name is created through the style's own parser
(lxml builds a child with the document's class lookup), so every render uses the engine's
class.
"""

from __future__ import annotations

from typing import Any

from citeproc.model import Names
from lxml import etree

from exilebib.engine.rules.targets import replace

_NAME_TAG = "{http://purl.org/net/xbiblio/csl}name"


@replace(Names, "process")
def names_with_name(original: Any, self: Any, item: Any, names_context: Any = None,
                    context: Any = None, **kwargs: Any) -> Any:
    holder = self if names_context is None else names_context
    if holder.find(_NAME_TAG) is None:
        holder.insert(0, etree.SubElement(holder, _NAME_TAG))
    return original(self, item, names_context, context, **kwargs)

"""A ``cs:names`` without a ``cs:name`` child, given one of the engine's classes.

CSL 1.0.2 ("Names"): cs:name is optional inside cs:names; without it the names render with
the default name options. citeproc-py then inserts a ``cs:name`` it constructs from its own
class, so no rule of the engine would reach those names (particles, disambiguation,
initials). Here the missing cs:name is created through the style's own parser (lxml builds
a child with the document's class lookup), so every render uses the engine's class. Not a
rule of its own: name_list's ``Names.process`` asks :func:`name_of` once per cs:names.
"""

from __future__ import annotations

from typing import cast

from lxml import etree

from exilebib.engine.types import Element, NameElement

_NAME_TAG = "{http://purl.org/net/xbiblio/csl}name"


def name_of(holder: Element) -> NameElement:
    """``holder``'s cs:name, added first among its children when it has none."""
    name = holder.find(_NAME_TAG)
    if name is not None:
        return cast(NameElement, name)
    tree = cast(etree._Element, holder)
    added = etree.SubElement(tree, _NAME_TAG)
    tree.insert(0, added)
    return cast(NameElement, added)

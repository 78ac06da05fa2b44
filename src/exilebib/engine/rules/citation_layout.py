"""CSL 1.0.2 citation layout: cite order, cite affixes, positions.

* "Sorting": cites are sorted only by the citation's cs:sort; "In the absence of cs:sort,
  cites ... are rendered in the order in which they were cited" (citeproc-py always puts
  them in bibliography order).
* Cite-level ``prefix``/``suffix`` (citation data, CSL-JSON citation items) wrap the cite.
* "Position" conditions use the positions of :mod:`.positions`, decided over all citations
  in order; in the bibliography every position test is false. ``near-note`` uses the
  citation's ``near-note-distance`` (default 5; citeproc-py crashes looking it up).
* Entries and cites each start with fresh per-item state (substitution, author
  suppression).
"""

from __future__ import annotations

from typing import Any

from citeproc.model import If, Layout

from exilebib.engine.rules._switch import replace
from exilebib.engine.rules.render_state import RENDER


def render_cite(layout: Any, cite: Any, *, suppress_author: bool = False) -> Any:
    """One cite, with its own prefix and suffix, or None when it renders nothing."""
    RENDER.start_item(cite)
    RENDER.suppress_author = RENDER.suppress_author or suppress_author
    layout.repressed = {}
    text = layout.render_children(cite)
    if text is None:
        return None
    prefix = cite.get("prefix") or ""
    suffix = cite.get("suffix") or ""
    return prefix + text + suffix if prefix or suffix else text


def ordered_cites(layout: Any, citation: Any) -> list[Any]:
    cites = [cite for cite in citation.cites if not cite.is_bad()]
    sort = layout.getparent().sort
    if sort is not None:
        cites = sort.sort(cites, layout)
    return cites


@replace(Layout, "render_citation")
def render_citation(original: Any, self: Any, citation: Any, callback: Any) -> Any:
    from exilebib.engine.rules import collapse  # the cite-grouping rule builds on this one

    cites = ordered_cites(self, citation)
    RENDER.in_citation = True
    try:
        out = collapse.render_cites(self, cites)
    finally:
        RENDER.in_citation = False
    for cite in citation.cites:
        if cite.is_bad():
            out.append(callback(cite) or f"{cite.key}?")
    if not out:
        return None
    return self.format(self.wrap(self.join(out)))


@replace(Layout, "render_bibliography")
def render_bibliography(original: Any, self: Any, citation_items: Any) -> Any:
    output = []
    for item in citation_items:
        RENDER.start_item()
        self.repressed = {}
        text = self.format(self.wrap(self.render_children(item)))
        if text is not None:
            output.append(text)
    return output


def _near_note_distance(element: Any) -> int:
    citation = element.get_root().citation
    try:
        return int(citation.get("near-note-distance", "5")) if citation is not None else 5
    except ValueError:
        return 5


@replace(If, "_position")
def position(original: Any, self: Any, item: Any, context: Any) -> list[bool]:
    where = item.get("position")
    if where is None:  # bibliography entries carry no position
        return [False]
    ibid = item.get("ibid")
    results = []
    for test in self.get("position").split():
        if test == "first":
            results.append(where == "first")
        elif test == "subsequent":
            results.append(where == "subsequent")
        elif test == "ibid":
            results.append(ibid is not None)
        elif test == "ibid-with-locator":
            results.append(ibid == "ibid-with-locator")
        elif test == "near-note":
            gap = item.get("note_gap")
            results.append(gap is not None and gap <= _near_note_distance(self))
        else:
            results.append(False)
    return results

"""CSL 1.0.2 citation layout: cite order, cite affixes, positions.

* "Sorting": cites are sorted only by the citation's cs:sort; "In the absence of cs:sort,
  cites ... are rendered in the order in which they were cited" (citeproc-py always puts
  them in bibliography order).
* Cite-level ``prefix``/``suffix`` (citation data, CSL-JSON citation items) wrap the cite;
  they are rich text as field values are (quotes, ``<i>``, ``<sc>``, ... see flipflop), and
  punctuation they bring replaces the layout delimiter at that seam, as in citeproc-js.
* "Position" conditions use the positions of :mod:`.positions`, decided over all citations
  in order; in the bibliography every position test is false. A test passes for its
  position and every later one, as in citeproc-js: ``subsequent`` also for ibid cites,
  ``ibid`` also for ibid-with-locator; ``near-note`` for a near cite that is not first.
* A term that is the first thing a note-style citation prints is capitalized ("Ibid."), as
  is one right after a cite prefix ending in terminal punctuation ("... he said. Ibid."),
  as citeproc-js does; in-text styles keep the term as it is.
* Entries and cites each start with fresh per-item state (substitution, author
  suppression).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import cast

from citeproc.model import If, Layout, Text

from exilebib.engine.markup import strip_markers
from exilebib.engine.rules import positions
from exilebib.engine.rules.flipflop import parse_rich_text
from exilebib.engine.rules.punctuation_seams import join
from exilebib.engine.rules.render_state import current
from exilebib.engine.rules.targets import replace, replace_direct
from exilebib.engine.types import (
    Citation,
    Cite,
    Element,
    LayoutElement,
    Rendered,
    RichText,
    TermMethod,
)

#: what a citation prints for a cite of an unknown item (citeproc-py's callback)
Callback = Callable[[Cite], "str | None"]

#: citeproc-js's terminal punctuation: a cite prefix ending in one of these (and holding a
#: space) starts a sentence, so a term right after it is capitalized
_TERMINAL = frozenset(":.;!?")
_TAGS = re.compile(r"<[^>]+>")
_TRAILING = re.compile("[\"'\u201d\u2019\u00bb\u202f\u00a0 ]+$")


def _starts_sentence(prefix: str) -> bool:
    test = _TRAILING.sub("", _TAGS.sub("", prefix))
    return bool(test) and test[-1] in _TERMINAL and " " in prefix.strip()


def _capitalizes(layout: LayoutElement) -> bool:
    return bool(current().in_citation) and layout.get_root().get("class") != "in-text"


def _leading(plain: str, term: str) -> bool:
    """Whether the cite's plain text begins with the term (periods may have been stripped)."""
    if plain.startswith(term):
        return True
    bare = term.replace(".", "")
    return bool(bare) and plain.replace(".", "").startswith(bare)


def _render_body(layout: LayoutElement, cite: Cite, suppress_author: bool) -> Rendered:
    current().start_item(cite)
    current().suppress_author = current().suppress_author or suppress_author
    layout.repressed = {}
    return layout.render_children(cite)


def render_cite(layout: LayoutElement, cite: Cite, *, suppress_author: bool = False
                ) -> Rendered:
    """One cite, with its own prefix and suffix, or None when it renders nothing."""
    prefix = cite.get("prefix") or ""
    # a prefix is printed before the cite: only one that ends a sentence lets a term
    # capitalize ("See ibid.", but "He said so. Ibid.")
    starts = _starts_sentence(prefix) if prefix else cite is current().capitals.first_cite
    capital = starts and _capitalizes(layout)
    if not capital:
        text = _render_body(layout, cite, suppress_author)
    else:
        current().capitals.watch, current().capitals.first_term = True, None
        try:
            text = _render_body(layout, cite, suppress_author)
        finally:
            current().capitals.watch = False
        first = current().capitals.first_term
        if text is not None and first is not None and first[1][:1].islower() \
                and _leading(strip_markers(str(text)), first[1]):
            # the term is the first thing printed: render again, capitalizing it at source
            current().capitals.force = first[0]
            try:
                text = _render_body(layout, cite, suppress_author)
            finally:
                current().capitals.force = None
    if text is None:
        return None
    suffix = cite.get("suffix") or ""
    if not prefix and not suffix:
        return text
    # cite affixes are rich text like field values: quotes, <i>, <b>, <sc>, ...
    return parse_rich_text(prefix) + text + parse_rich_text(suffix)


def ordered_cites(layout: LayoutElement, citation: Citation) -> list[Cite]:
    cites = [cite for cite in citation.cites if not cite.is_bad()]
    sort = layout.getparent().sort
    if sort is not None:
        cites = sort.sort(cites, layout)
    return cites


#: a cite suffix ending in one of these, or a prefix starting with one, takes the place of
#: the layout delimiter at that seam (citeproc-js)
_SEAM_MARKS = frozenset(";.,")


def _join_with_affixes(layout: LayoutElement, cites: list[Cite]) -> Rendered:
    """The cites joined by the layout delimiter, except where a cite affix brings its own
    punctuation: after a suffix ending in ";", "." or "," only the delimiter's space stays
    ("is one source, Jones"), and before a prefix starting with one (the cite before having
    no suffix) the delimiter goes ("Book A, cited in Book B")."""
    delimiter = layout.get("delimiter", "")
    output: Rendered = None
    previous: Cite | None = None
    for cite in cites:
        text = render_cite(layout, cite)
        if text is not None:
            if output is None:
                output = text
            else:
                seam = delimiter
                before = (previous.get("suffix") or "") if previous is not None else ""
                prefix = cite.get("prefix") or ""
                if before and before[-1] in _SEAM_MARKS:
                    space = seam.find(" ")
                    seam = seam[space:] if space > -1 else ""
                elif not before and prefix[:1] in _SEAM_MARKS and prefix:
                    seam = ""
                output = join([output, text], seam)
        previous = cite
    return output


@replace(Layout, "render_citation")
def render_citation(original: Callable[[LayoutElement, Citation, Callback], Rendered],
                    self: LayoutElement, citation: Citation, callback: Callback) -> Rendered:
    from exilebib.engine.rules import collapse  # the cite-grouping rule builds on this one

    cites = ordered_cites(self, citation)
    if cites and all(cite.get("author_only") for cite in cites):
        return _author_only(self, cites)
    current().in_citation = True
    current().capitals.first_cite = cites[0] if cites else None
    style_citation = self.getparent()
    try:
        if (not style_citation.get("collapse")
                and style_citation.get("cite-group-delimiter") is None
                and any(cite.get("prefix") or cite.get("suffix") for cite in cites)):
            joined = _join_with_affixes(self, cites)
            out: list[RichText | str] = [joined] if joined is not None else []
        else:
            out = collapse.render_cites(self, cites)
    finally:
        current().in_citation = False
        current().capitals.first_cite = None
    for cite in citation.cites:
        if cite.is_bad():
            out.append(callback(cite) or f"{cite.key}?")
    if not out:
        return None
    return self.format(self.wrap(self.join(out)))


def _author_only(layout: LayoutElement, cites: list[Cite]) -> Rendered:
    """Author-only cites ("Smith says"): each cite's first cs:names alone, without the
    layout's affixes, as citeproc-js prints them."""
    names: list[RichText | str] = []
    state = current()
    state.in_citation = True
    try:
        for cite in cites:
            render_cite(layout, cite)
            if state.first_names_text is not None:
                # the first cs:names as rendered (RenderState holds it as an object)
                names.append(cast("RichText | str", state.first_names_text))
    finally:
        state.in_citation = False
    return join(names, layout.get("delimiter", "")) if names else None


@replace(Layout, "render_bibliography")
def render_bibliography(original: Callable[[LayoutElement, list[Cite]], list[RichText | str]],
                        self: LayoutElement, citation_items: list[Cite]
                        ) -> list[RichText | str]:
    output = []
    for item in citation_items:
        current().start_item()
        self.repressed = {}
        text = self.format(self.wrap(self.render_children(item)))
        if text is not None:
            output.append(text)
    return output


@replace_direct(Text, "_term")
def leading_term(original: TermMethod) -> TermMethod:
    def _term(self: Element, item: Cite) -> RichText | str | None:
        text = original(self, item)
        caps = current().capitals
        if caps.watch and text:
            if caps.first_term is None:
                caps.first_term = (self, str(text))
        elif caps.force is self and text:
            text = text[:1].upper() + text[1:]
        return text

    return _term


#: the position tests: which positions pass each (a later position implies the earlier)
_PASSES = {
    "first": frozenset({positions.FIRST}),
    "subsequent": frozenset(
        {positions.SUBSEQUENT, positions.IBID, positions.IBID_WITH_LOCATOR}
    ),
    "ibid": frozenset({positions.IBID, positions.IBID_WITH_LOCATOR}),
    "ibid-with-locator": frozenset({positions.IBID_WITH_LOCATOR}),
}


@replace(If, "_position")
def position(original: Callable[[Element, Cite, Element], list[bool]], self: Element,
             item: Cite, context: Element) -> list[bool]:
    where = item.get(positions.POSITION_KEY)
    if where is None:  # bibliography entries carry no position
        return [False]
    results = []
    for test in self.get("position", "").split():  # called only when it is set
        if test == "near-note":
            results.append(where != positions.FIRST and bool(item.get(positions.NEAR_NOTE_KEY)))
        else:
            passes = _PASSES.get(test)
            results.append(passes is not None and where in passes)
    return results

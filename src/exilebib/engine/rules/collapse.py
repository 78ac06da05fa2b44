"""CSL 1.0.2 "Cite Grouping" and "Cite Collapsing" (cs:citation options).

Spec: "With cite grouping, cites in in-text citations with identical rendered names are
grouped together ... the group stays at the position of its first cite"; grouping applies
when ``cite-group-delimiter`` or ``collapse`` is set; "cite-group-delimiter" (default ", ")
separates the cites of a group. ``collapse="year"``: "Collapses cites by suppressing
repeating names" ("(Doe 2000, 2001; Jones 2000)"); ``year-suffix`` and
``year-suffix-ranged`` also drop a repeated year ("(Doe 2000a, b)"); ``citation-number``
turns runs of three or more consecutive numbers into ranges ("[1–3]").
``after-collapse-delimiter`` separates a collapsed group from the next cite.

citeproc-py 0.11.1 neither groups nor collapses: "(Trotsky 1937; Trotsky 1958, 54)"
where citeproc-js gives "(Trotsky 1937, 1958, 54)". The names of a cite are its first
rendered cs:names (see :mod:`.substitute`); a suppressed author is left out the same way as
for a cite's ``suppress-author``.
"""

from __future__ import annotations

from typing import Any

from citeproc.string import String, join

from exilebib.engine.markup import strip_markers
from exilebib.engine.rules.render_state import RENDER


def _render(layout: Any, cite: Any, *, suppress_author: bool = False) -> tuple[Any, str]:
    from exilebib.engine.rules.citation_layout import render_cite

    text = render_cite(layout, cite, suppress_author=suppress_author)
    return text, RENDER.first_names


def _number_runs(layout: Any, cites: list[Any], delimiter: str) -> list[Any]:
    rendered: list[tuple[int | None, Any]] = []
    for cite in cites:
        text, _names = _render(layout, cite)
        if text is not None:
            plain = cite.get("locator") is None and not cite.get("prefix") \
                and not cite.get("suffix")
            rendered.append((cite.number if plain else None, text))
    out: list[Any] = []
    index = 0
    while index < len(rendered):
        text = rendered[index][1]
        end = index
        while end + 1 < len(rendered):
            this, following = rendered[end][0], rendered[end + 1][0]
            if this is None or following != this + 1:
                break
            end += 1
        if end - index >= 2:
            out.append(text + String("\u2013") + rendered[end][1])
            index = end + 1
        else:
            out.append(text)
            index += 1
    return out


def render_cites(layout: Any, cites: list[Any]) -> list[Any]:
    """The rendered cites of one citation, grouped and collapsed as the style asks."""
    citation = layout.getparent()
    collapse = citation.get("collapse")
    group_delimiter = citation.get("cite-group-delimiter")
    if collapse == "citation-number":
        return _number_runs(layout, cites, layout.get("delimiter", ""))
    if not collapse and group_delimiter is None:
        out = []
        for cite in cites:
            text, _names = _render(layout, cite)
            if text is not None:
                out.append(text)
        return out
    delimiter = group_delimiter if group_delimiter is not None else ", "
    groups: dict[str, list[tuple[Any, Any]]] = {}
    order: list[str] = []
    for index, cite in enumerate(cites):
        text, names = _render(layout, cite)
        if text is None:
            continue
        key = strip_markers(names) if names else f"\0{index}"
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append((cite, text))
    out = []
    for key in order:
        members = groups[key]
        if len(members) == 1 or not collapse:
            out.append(join([text for _cite, text in members], delimiter))
            continue
        pieces = [members[0][1]]
        for cite, _text in members[1:]:
            short, _names = _render(layout, cite, suppress_author=True)
            if short is not None:
                pieces.append(short)
        out.append(join(pieces, delimiter))
    return out

"""CSL 1.0.2 "Cite Grouping" and "Cite Collapsing" (cs:citation options).

Spec: "With cite grouping, cites in in-text citations with identical rendered names are
grouped together ... the group stays at the position of its first cite"; grouping applies
when ``cite-group-delimiter`` or ``collapse`` is set; "cite-group-delimiter" (default ", ")
separates the cites of a group. ``collapse="year"``: "Collapses cites by suppressing
repeating names" ("(Doe 2000, 2001; Jones 2000)"); ``year-suffix`` and
``year-suffix-ranged`` also drop a repeated year ("(Doe 2000a, b)"); ``citation-number``
turns runs of three or more consecutive numbers into ranges ("[1–3]").
``after-collapse-delimiter`` separates a collapsed group from the next cite.

Year-suffix collapsing ("year-suffix", "year-suffix-ranged"): within a group, a cite of the
same year as the cite before it (both with a year-suffix, same rendered short form without
the suffix, no locator) prints only its suffix, after ``year-suffix-delimiter`` (default:
the layout's delimiter); "year-suffix-ranged" writes three or more consecutive suffixes as
a range with the ``citation-range-delimiter`` term (en dash): "Smith 2000a–c, e".
Without ``cite-group-delimiter`` the cites of a collapsed group are separated by ", " in
an in-text style and by the layout's delimiter in a note style (citeproc-js's reading, on
which the CSL test suite's collapse fixtures rely).

citeproc-py 0.11.1 neither groups nor collapses: "(Trotsky 1937; Trotsky 1958, 54)"
where citeproc-js gives "(Trotsky 1937, 1958, 54)". The names of a cite are its first
rendered cs:names (see :mod:`.substitute`); a suppressed author is left out the same way as
for a cite's ``suppress-author``.
"""

from __future__ import annotations

from collections.abc import Sequence

from citeproc.string import String

from exilebib.engine.markup import strip_markers
from exilebib.engine.rules.punctuation_seams import join
from exilebib.engine.rules.render_state import current
from exilebib.engine.types import Cite, LayoutElement, Rendered, RichText

#: a rendered cite (or group of cites)
Text = RichText | str


def _render(layout: LayoutElement, cite: Cite, *, suppress_author: bool = False
            ) -> tuple[Rendered, str]:
    from exilebib.engine.rules.citation_layout import render_cite

    text = render_cite(layout, cite, suppress_author=suppress_author)
    return text, current().first_names


def _number_runs(layout: LayoutElement, cites: list[Cite], delimiter: str) -> list[Text]:
    rendered: list[tuple[int | None, Text]] = []
    for cite in cites:
        text, _names = _render(layout, cite)
        if text is not None:
            plain = cite.get("locator") is None and not cite.get("prefix") \
                and not cite.get("suffix")
            rendered.append((cite.number if plain else None, text))
    out: list[Text] = []
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


def render_cites(layout: LayoutElement, cites: list[Cite]) -> list[Text]:
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
    if group_delimiter is not None:
        delimiter = group_delimiter
    elif collapse and layout.get_root().get("class") != "in-text":
        delimiter = layout.get("delimiter", "")
    else:
        delimiter = ", "
    layout_delimiter = layout.get("delimiter", "")
    after_collapse = citation.get("after-collapse-delimiter", layout_delimiter)
    groups: dict[str, list[tuple[Cite, Text]]] = {}
    order: list[str] = []
    for index, cite in enumerate(cites):
        text, names = _render(layout, cite)
        if text is None:
            continue
        # cites that print no names at all share their (empty) names, as in citeproc-js
        key = (strip_markers(names) if names or not cite.get("suppress_author")
               else f"\0{index}")
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append((cite, text))
    rendered: list[tuple[Text, bool]] = []  # (rendered group, collapsed)
    for key in order:
        members = groups[key]
        if len(members) == 1 or not collapse:
            rendered.append((join([text for _cite, text in members], delimiter), False))
            continue
        if collapse in ("year-suffix", "year-suffix-ranged"):
            suffix_delimiter = citation.get("year-suffix-delimiter", group_delimiter
                                            if group_delimiter is not None else layout_delimiter)
            pieces = _year_suffix_runs(layout, members, collapse, suffix_delimiter)
            rendered.append((join(pieces, delimiter), True))
            continue
        joined = members[0][1]
        previous = members[0][0]
        for cite, _text in members[1:]:
            short, _names = _render(layout, cite, suppress_author=True)
            if short is not None:
                # a cite with a locator closes its run: a style's after-collapse-delimiter
                # follows it (citeproc-js; without one the group's delimiter stays)
                seam = (after_collapse if previous.get("locator") is not None
                        and "after-collapse-delimiter" in citation.attrib else delimiter)
                joined = join([joined, short], seam)
                previous = cite
        rendered.append((joined, True))
    if not collapse:
        return [text for text, _collapsed in rendered]
    # after-collapse-delimiter follows a collapsed group, the layout's delimiter the others
    if not rendered:
        return []
    result = rendered[0][0]
    for (text, _collapsed), (_previous, collapsed) in zip(rendered[1:], rendered,
                                                          strict=False):
        result = join([result, text], after_collapse if collapsed else layout_delimiter)
    return [result]


def _without_suffix(layout: LayoutElement, cite: Cite) -> str | None:
    """The cite's short form (no author) as plain text, rendered without its year-suffix."""
    reference = cite.reference
    suffix = reference.pop("year_suffix", None)
    try:
        short, _names = _render(layout, cite, suppress_author=True)
    finally:
        if suffix is not None:
            reference["year_suffix"] = suffix
    return strip_markers(str(short)) if short is not None else None


def _year_suffix_runs(layout: LayoutElement, members: Sequence[tuple[Cite, Rendered]],
                      collapse: str, suffix_delimiter: str) -> list[Text]:
    """The cites of one name group with same-year cites reduced to their year-suffixes."""
    term = layout.get_term("citation-range-delimiter")
    dash = str(term.text) if term is not None and term.text else "\u2013"
    pieces: list[Text] = []
    runs: list[list[str]] = []  # the suffixes of the current piece, grouped by sequence
    previous: tuple[str | None, str | None] = (None, None)
    for index, (cite, text) in enumerate(members):
        suffix = cite.reference.get("year_suffix") or ""
        base = _without_suffix(layout, cite) if suffix and not cite.get("locator") else None
        if base is not None and pieces and previous == (base, "suffix"):
            if ord(suffix[-1]) == ord(runs[-1][-1][-1]) + 1 and len(suffix) == len(runs[-1][-1]):
                runs[-1].append(suffix)
            else:
                runs.append([suffix])
            continue
        if pieces:
            pieces[-1] = _close(pieces[-1], runs, collapse, suffix_delimiter, dash)
        if index:
            text, _names = _render(layout, cite, suppress_author=True)
        if text is None:
            previous = (None, None)
            continue
        pieces.append(text)
        runs = [[suffix]] if base is not None else []
        previous = (base, "suffix") if base is not None else (None, None)
    if pieces:
        pieces[-1] = _close(pieces[-1], runs, collapse, suffix_delimiter, dash)
    return pieces


def _close(text: Text, runs: list[list[str]], collapse: str, delimiter: str, dash: str
           ) -> Text:
    """``text`` (which prints the first suffix) followed by the other suffixes."""
    out = text
    for number, run in enumerate(runs):
        members = run if number else run[1:]
        if not members and number == 0:
            continue
        if collapse == "year-suffix-ranged" and len(run) >= 3:
            out = out + String(dash + run[-1]) if number == 0 else \
                out + String(delimiter + run[0] + dash + run[-1])
        else:
            out = out + String("".join(delimiter + suffix for suffix in members))
    return out

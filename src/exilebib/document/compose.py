"""From a parsed essay to its finished parts: every citation rendered where it belongs (a
new footnote, or in place), the footnotes numbered, and the bibliography placed.

Note numbers follow pandoc: every note, the author's (``[^label]``, ``^[...]``) and, in a
note style, every citation in the running text, is numbered in the order its mark appears.
A citation inside the author's own note is rendered in that note, under that note's
number. The citations are handed to the engine in this reading order (a note's citations
at the point of its mark), each with its note number (0 in the running text of an in-text
style), so first, subsequent and ibid positions are decided across the whole document as
citeproc-js decides them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass

from exilebib.citekeys import Citation, Cite, CitedKeys, Cluster
from exilebib.config import Group
from exilebib.document.essay import Essay, Heading, containing
from exilebib.engine import CitationLayout, CiteCluster, CiteRequest, Engine
from exilebib.errors import Diagnostic
from exilebib.model import Library, Location
from exilebib.render import Rendering, engine_for, render_bibliography
from exilebib.styles import ResolvedStyle

#: Headings under which the bibliography goes when the essay has one (compared in lower case).
BIBLIOGRAPHY_HEADINGS = ("bibliography", "references", "works cited")
#: The heading a note style's new bibliography gets, and an in-text style's.
NOTE_STYLE_HEADING = "Bibliography"
IN_TEXT_HEADING = "References"
#: Punctuation that a note mark follows rather than precedes ("... text.¹", as pandoc).
_NOTE_PUNCTUATION = ".,;:!?"


@dataclass(frozen=True, slots=True)
class Placed:
    """What replaces one citation cluster (``start``..``end`` of the essay's text).

    ``html`` is the text put in place (the in-text citation; for a note style's author in
    the text, the author). ``note`` is the number of the new footnote holding the citation
    (None: no new note), whose mark follows ``html`` and the moved ``punctuation``.
    """

    start: int
    end: int
    html: str
    note: int | None = None
    punctuation: str = ""


@dataclass(frozen=True, slots=True)
class NewNote:
    """A footnote made from a citation: its number and its text (the engine's HTML)."""

    number: int
    html: str


@dataclass(frozen=True, slots=True)
class BibliographyPlace:
    """Where the bibliography goes: at ``offset`` (a line start, or the text's end), under
    ``heading`` at ``level`` (None: the essay's own heading, already above ``offset``);
    group titles are headings of ``level + 1``."""

    offset: int
    level: int
    heading: str | None


@dataclass(frozen=True, slots=True)
class Composed:
    """An essay with every citation rendered, ready for a writer."""

    essay: Essay
    style: ResolvedStyle
    placed: tuple[Placed, ...]
    notes: tuple[NewNote, ...]
    #: the number of each of the author's notes, by label (inline notes by their offset)
    author_notes: Mapping[str, int]
    bibliography: Rendering
    place: BibliographyPlace
    #: what the engine was asked, in order: the clusters and the author-only cites
    requests: tuple[CiteCluster, ...]
    rendered: tuple[str, ...]
    author_requests: tuple[CiteCluster, ...]
    author_rendered: tuple[str, ...]

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        return self.bibliography.diagnostics

    @property
    def title(self) -> str | None:
        return self.essay.front.title


_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1|(\*|_)(.+?)\3")


def affix_html(markdown: str) -> str:
    """A prefix or suffix (Markdown) as the engine's HTML: escaped, emphasis as tags."""

    def tag(match: re.Match[str]) -> str:
        if match.group(1):
            return f"<b>{match.group(2)}</b>"
        return f"<i>{match.group(4)}</i>"

    return _EMPHASIS.sub(tag, html.escape(markdown, quote=False))


def _request(cite: Cite, suppress: bool | None = None) -> CiteRequest:
    prefix = affix_html(cite.prefix)
    if prefix and not prefix.endswith(" "):
        prefix += " "  # pandoc puts a space between the prefix and the cite
    return CiteRequest(
        cite.key,
        cite.locator.value if cite.locator else None,
        cite.locator.label if cite.locator else "page",
        prefix,
        affix_html(cite.suffix),
        cite.suppress_author if suppress is None else suppress,
    )


def citation_layout(engine: Engine) -> CitationLayout:
    """The style's citation layout with its affixes as HTML, the form the engine's citations
    come in: pandoc's citeproc places a key with no entry inside it, as a cite."""
    layout = engine.citation_layout()
    return CitationLayout(
        html.escape(layout.prefix, quote=False),
        html.escape(layout.suffix, quote=False),
        html.escape(layout.delimiter, quote=False),
        layout.sorted,
    )


def _missing(cite: Cite) -> str:
    """pandoc's mark for a key with no entry, ``**key?**``, after the author's prefix
    (``see **key?**``; pandoc drops the locator and suffix)."""
    prefix = affix_html(cite.prefix)
    mark = f"<b>{html.escape(cite.key)}?</b>"
    return f"{prefix} {mark}" if prefix else mark


def with_missing(
    rendered: str | None, cites: Sequence[Cite], known: Set[str], layout: CitationLayout
) -> str:
    """A citation's text when some of its ``cites`` have no entry: their marks stand
    inside the layout's affixes, joined by its delimiter, as pandoc shows them —
    ``(Tuason, n.d.; **x?**)``. The marks of keys cited before every known one go first
    (unless the style sorts its cites, which puts them last, as pandoc's sort does);
    the rest follow the cites the engine ``rendered``."""
    first_known = next((i for i, c in enumerate(cites) if c.key in known), len(cites))
    lead = 0 if layout.sorted else first_known
    before = [_missing(c) for c in cites[:lead] if c.key not in known]
    after = [_missing(c) for c in cites[lead:] if c.key not in known]
    inner = rendered
    if rendered is not None:
        wrapped = rendered.startswith(layout.prefix) and rendered.endswith(layout.suffix)
        if not wrapped or len(rendered) < len(layout.prefix) + len(layout.suffix):
            # the engine's text is not the layout's (punctuation merged into it): the
            # marks go beside it rather than into it
            return "; ".join([*before, rendered, *after])
        inner = rendered[len(layout.prefix) : len(rendered) - len(layout.suffix)]
    parts = [*before, *([inner] if inner else []), *after]
    return layout.prefix + layout.delimiter.join(parts) + layout.suffix


@dataclass(slots=True)
class _Job:
    """One cluster on its way through the engine."""

    cluster: Cluster
    note: int  #: the note number it sits in (0: running text of an in-text style)
    in_author_note: bool
    request: int | None = None  #: index into the engine's clusters
    author: int | None = None  #: index into the author-only cites


def _order(essay: Essay, is_note: bool) -> tuple[list[_Job], dict[str, int]]:
    """The clusters in reading order with their note numbers, and the author's notes'."""
    containers = [(n.start, n.end, n.label) for n in essay.definitions.values()]
    inline = [(n.start, n.end, f"^{n.start}") for n in essay.inline_notes]
    # definitions and the inline notes of the main text do not overlap; an inline note
    # nested in another is inside the outer one, whose label it takes (the first found)
    ordered = sorted((*containers, *inline), key=lambda c: (c[0], -c[1]))
    outermost: list[tuple[int, int, str | None]] = []
    for start, end, label in ordered:
        if outermost and start < outermost[-1][1]:
            continue
        outermost.append((start, end, label))
    ranges = [(start, end) for start, end, _label in outermost]

    def container(offset: int) -> str | None:
        index = containing(ranges, offset)
        return outermost[index][2] if index is not None else None

    in_notes: dict[str, list[Cluster]] = {}
    main: list[tuple[int, str, Cluster | None]] = []
    for cluster in essay.clusters:
        label = container(cluster.start)
        if label is None:
            main.append((cluster.start, "cluster", cluster))
        else:
            in_notes.setdefault(label, []).append(cluster)
    main += [(offset, label, None) for offset, label in essay.references]
    main += [(start, label, None) for start, _end, label in inline]
    main.sort(key=lambda event: event[0])
    jobs: list[_Job] = []
    numbers: dict[str, int] = {}
    counter = 0
    for _offset, label, event in main:
        if event is not None:
            if is_note:
                counter += 1
            jobs.append(_Job(event, counter if is_note else 0, False))
        elif label not in numbers:
            counter += 1
            numbers[label] = counter
            jobs += [_Job(c, counter, True) for c in in_notes.get(label, [])]
    for label, clusters in in_notes.items():  # notes never referenced: pandoc drops them
        if label not in numbers:
            counter += 1
            numbers[label] = counter
            jobs += [_Job(c, counter, True) for c in clusters]
    return jobs, numbers


def _heading_level(headings: Sequence[Heading], title: str | None) -> int:
    """The level of the essay's sections: its top level, below a lone title heading."""
    if not headings:
        return 1
    top = min(h.level for h in headings)
    tops = [h for h in headings if h.level == top]
    deeper = [h.level for h in headings if h.level > top]
    if len(tops) == 1 and tops[0] is headings[0] and deeper and title is None:
        return min(deeper)
    return top


def _place(essay: Essay, is_note: bool) -> BibliographyPlace:
    headings = essay.headings
    named = [h for h in headings if h.text.strip().casefold() in BIBLIOGRAPHY_HEADINGS]
    text = essay.text
    if named:
        heading = named[-1]
        following = [h for h in headings if h.start > heading.start and h.level <= heading.level]
        offset = following[0].start if following else len(text)
        level, title = heading.level, None
    else:
        offset = len(text)
        level = _heading_level(headings, essay.front.title)
        title = NOTE_STYLE_HEADING if is_note else IN_TEXT_HEADING
    # footnote definitions that end the section belong to no visible place: go before
    # them, the last first (one pass: each step can only move to the definition just
    # before, the one that ends where the text before the place ends)
    floor = heading.end if named else essay.front.end
    starts = sorted(
        ((text.rfind("\n", 0, note.start) + 1, note.end) for note in essay.definitions.values()),
        reverse=True,
    )
    for line_start, end in starts:
        if line_start >= offset:
            continue
        if end < _stripped_end(text, offset) or line_start < floor:
            break
        offset = line_start
    return BibliographyPlace(offset, level, title)


def _stripped_end(text: str, offset: int) -> int:
    """``len(text[:offset].rstrip())``, without copying the text."""
    while offset > 0 and text[offset - 1].isspace():
        offset -= 1
    return offset


def compose(
    essay: Essay,
    library: Library,
    style: ResolvedStyle,
    groups: Sequence[Group] | None,
    everything: bool = False,
) -> Composed:
    """Render ``essay``'s citations and bibliography from ``library`` in ``style``.

    ``groups`` splits the bibliography as ``render`` does (None: one list); with
    ``everything`` (or ``nocite: '@*'``) every entry is listed, not only the cited ones.
    """
    jobs, numbers = _order(essay, style.is_note)
    citations = [
        Citation(cite.key, cite.location) for cluster in essay.clusters for cite in cluster.cites
    ]
    nocite = essay.front.nocite
    citations += [
        Citation(key, _front_location(essay)) for key in nocite if key != "*"
    ]
    cited = CitedKeys(essay.path, tuple(citations), everything or "*" in nocite)
    rendering = render_bibliography(library, style, groups, [cited])
    known = {str(item["id"]) for item in rendering.items}
    requests: list[CiteCluster] = []
    author_requests: list[CiteCluster] = []
    for job in jobs:
        cites = [c for c in job.cluster.cites if c.key in known]
        if not cites:
            continue
        split = job.cluster.author_in_text and not (style.is_note and job.in_author_note)
        job.request = len(requests)
        requests.append(
            CiteCluster(tuple(_request(c, True if split else None) for c in cites), job.note)
        )
        if split:
            job.author = len(author_requests)
            author_requests.append(
                CiteCluster((CiteRequest(cites[0].key, author_only=True),), job.note)
            )
    engine = engine_for(style.path, style.locale)
    items = list(rendering.items)
    rendered = engine.citations(items, requests, "html") if requests else []
    author_rendered = engine.citations(items, author_requests, "html") if author_requests else []
    placed: list[Placed] = []
    notes: list[NewNote] = []
    layout = citation_layout(engine)
    for job in jobs:
        text = rendered[job.request] if job.request is not None else ""
        if any(c.key not in known for c in job.cluster.cites):
            text = with_missing(
                text if job.request is not None else None, job.cluster.cites, known, layout
            )
        author = author_rendered[job.author] if job.author is not None else None
        new_note = style.is_note and not job.in_author_note
        if not new_note:
            if author is not None:
                text = f"{author} {text}"
            elif style.is_note and text:
                # pandoc: a citation in the author's own note is part of its sentence,
                # without the suffix (the period) that ends the style's notes; a
                # bracketed one is parenthetical there
                if layout.suffix:
                    text = text.removesuffix(layout.suffix)
                if not job.cluster.author_in_text:
                    text = f"({text})"
            # "citing [@a]." in a note: the citation's closing period yields to the text's
            if text.endswith(".") and essay.text[job.cluster.end : job.cluster.end + 1] in (
                tuple(_NOTE_PUNCTUATION)
            ):
                text = text[:-1]
            placed.append(Placed(job.cluster.start, job.cluster.end, text))
            continue
        start, end, punctuation = _note_span(essay.text, job.cluster, author is not None)
        if job.cluster.cites[0].prefix or job.cluster.cites[0].key not in known:
            # the author's "see", or a missing key's mark, opens a note: a note is a
            # sentence (pandoc capitalises it)
            text = _capitalize_first(text)
        notes.append(NewNote(job.note, text))
        placed.append(Placed(start, end, author or "", job.note, punctuation))
    return Composed(
        essay,
        style,
        tuple(sorted(placed, key=lambda p: p.start)),
        tuple(sorted(notes, key=lambda n: n.number)),
        numbers,
        rendering,
        _place(essay, style.is_note),
        tuple(requests),
        tuple(rendered),
        tuple(author_requests),
        tuple(author_rendered),
    )


_FIRST_LETTER = re.compile(r"^((?:<[^>]*>)*)([a-z])")


def _capitalize_first(html_text: str) -> str:
    """``html_text`` with its first letter capitalised, when it is a lower-case one."""
    return _FIRST_LETTER.sub(lambda m: m.group(1) + m.group(2).upper(), html_text, count=1)


def _note_span(text: str, cluster: Cluster, author_in_text: bool) -> tuple[int, int, str]:
    """The range a note citation replaces and the punctuation its mark follows: the
    spaces before ``[@key]`` go, and a following stop or comma moves before the mark."""
    start, end = cluster.start, cluster.end
    if author_in_text:
        return start, end, ""
    while start > 0 and text[start - 1] in " \t":
        start -= 1
    if start > 0 and text[start - 1] == "\n":
        previous = text[text.rfind("\n", 0, start - 1) + 1 : start - 1]
        if previous.strip():
            # a line break inside a paragraph is a space to Markdown: it goes with the
            # spaces (a blank line before is a paragraph break, and stays)
            start -= 1
            while start > 0 and text[start - 1] in " \t\r":
                start -= 1
    punctuation = ""
    while end < len(text) and text[end] in _NOTE_PUNCTUATION:
        punctuation += text[end]
        end += 1
    return start, end, punctuation


def _front_location(essay: Essay) -> Location:
    line = next((i + 1 for i, row in enumerate(essay.text.split("\n")) if "nocite" in row), 1)
    return Location(essay.path, line)

"""Bibliographies and citations as data: sources in, :class:`Rendering` out.

Nothing here prints. Problems that concern single entries (an entry the style renders as
nothing, one the engine fails on, data CSL cannot express) come back as located
diagnostics next to the entries that did render.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from exilebib import crossref
from exilebib.citekeys import CitedKeys
from exilebib.config import Group
from exilebib.csl import CslItem, convert
from exilebib.engine import CiteCluster, CiteRequest, Engine
from exilebib.errors import Diagnostic, Severity, UsageError
from exilebib.model import Library, Source
from exilebib.sources import rendered_sources
from exilebib.styles import ResolvedStyle
from exilebib.suggest import did_you_mean

#: Title of the section that collects sources matching none of the groups.
OTHER_TITLE = "Other"


@dataclass(frozen=True, slots=True)
class Entry:
    """One rendered bibliography entry; ``html`` is the engine's marked-up text."""

    key: str
    html: str


@dataclass(frozen=True, slots=True)
class Section:
    """A titled run of entries (``title`` is ``None`` when the bibliography is not grouped)."""

    title: str | None
    entries: tuple[Entry, ...]


@dataclass(frozen=True, slots=True)
class Rendering:
    """A rendered bibliography: sections in order, the items behind them, and diagnostics."""

    style: ResolvedStyle
    sections: tuple[Section, ...]
    items: tuple[CslItem, ...]
    diagnostics: tuple[Diagnostic, ...]

    @property
    def entries(self) -> tuple[Entry, ...]:
        return tuple(entry for section in self.sections for entry in section.entries)


@dataclass(frozen=True, slots=True)
class CitationRendering:
    """The citation of some sources: for note styles the first (full) note and the note
    used after it; for in-text styles the in-text citation alone."""

    style: ResolvedStyle
    keys: tuple[str, ...]
    first: str  #: HTML of the first (full) citation
    subsequent: str | None  #: HTML of a later citation (note styles only)
    items: tuple[CslItem, ...]
    #: what reading and converting the cited entries reported (the file's read errors, and
    #: the cited entries' crossref and date warnings), as ``render`` reports them
    diagnostics: tuple[Diagnostic, ...] = ()


@cache
def engine_for(path: Path, locale: str) -> Engine:
    """One engine per style file and locale: parsing a large style costs seconds."""
    return Engine(path, locale)


def to_items(
    sources: Sequence[Source], *, sentence_case: bool = True
) -> tuple[list[CslItem], list[Diagnostic]]:
    """CSL-JSON items for ``sources`` and what the conversion could not carry over;
    ``sentence_case``: English titles in sentence case (see :func:`exilebib.csl.convert`)."""
    items: list[CslItem] = []
    diagnostics: list[Diagnostic] = []
    for source in sources:
        conversion = convert(source, sentence_case=sentence_case)
        items.append(conversion.item)
        diagnostics.extend(conversion.problems)
        # the date fields' own warnings come with conversion.problems; a year field that
        # is no year is reported here
        for name in conversion.literal_dates:
            if name != "year":
                continue
            diagnostics.append(
                Diagnostic(
                    Severity.WARNING,
                    "date-literal",
                    f"entry '{source.key}': {name} '{source.get(name)}' is not a date "
                    "exilebib can read; it is printed as written and sorts as text",
                    (source.field(name) or source).location,
                    key=source.key,
                    hint="write it as YYYY, YYYY-MM or YYYY-MM-DD; exilebib lint shows each one",
                )
            )
        for name in conversion.et_al:
            diagnostics.append(
                Diagnostic(
                    Severity.WARNING,
                    "names-and-others",
                    f"entry '{source.key}': '{name}' ends in 'and others', which CSL cannot "
                    "print; the named people are rendered",
                    (source.field(name) or source).location,
                    key=source.key,
                    hint="name every person, or accept that 'et al.' is not shown",
                )
            )
    return items, diagnostics


def only_cited(
    sources: Sequence[Source], cited: Sequence[CitedKeys]
) -> tuple[list[Source], list[Diagnostic]]:
    """The sources that ``cited`` names (all of them after ``\\nocite{*}``), in their
    order, and a warning for every cited key that has no entry."""
    if any(document.everything for document in cited):
        wanted = {source.key for source in sources}
    else:
        wanted = {c.key for document in cited for c in document.citations}
    known = {source.key for source in sources}
    diagnostics: list[Diagnostic] = []
    reported: set[str] = set()
    for document in cited:
        for citation in document.citations:
            if citation.key not in known and citation.key not in reported:
                reported.add(citation.key)
                diagnostics.append(
                    Diagnostic(
                        Severity.WARNING,
                        "cited-missing",
                        f"'{citation.key}' is cited but no entry has that key",
                        citation.location,
                        key=citation.key,
                        hint="add an entry with this key, or correct the citation",
                    )
                )
    return [source for source in sources if source.key in wanted], diagnostics


def render_bibliography(
    library: Library,
    style: ResolvedStyle,
    groups: Sequence[Group] | None = None,
    cited: Sequence[CitedKeys] | None = None,
    *,
    sentence_case: bool = True,
) -> Rendering:
    """Render the sources of ``library``; with ``groups``, split into titled sections.

    A source goes to the first group whose keyword it carries; sources with none of the
    keywords go to a final section titled :data:`OTHER_TITLE`, so nothing is dropped.
    With ``cited`` (the citations of some documents), only the cited sources are
    rendered, as pandoc does.
    """
    sources = rendered_sources(library)
    diagnostics = list(library.diagnostics) + crossref.problems(sources)
    if cited is not None:
        sources, missing = only_cited(sources, cited)
        diagnostics += missing
    items, conversion_notes = to_items(sources, sentence_case=sentence_case)
    diagnostics += conversion_notes
    engine = engine_for(style.path, style.locale)
    by_key = {source.key: source for source in sources}
    # each entry's section, so that what depends on the preceding entry (the style's
    # subsequent-author-substitute) follows the order within each printed section
    section_of = None
    if groups is not None:
        section_of = {key: _section(source, groups) for key, source in by_key.items()}
    result = engine.bibliography(items, "html", sections=section_of)
    for key in result.empty:
        diagnostics.append(
            Diagnostic(
                Severity.WARNING,
                "renders-empty",
                f"entry '{key}' renders as nothing in {style.style_id}",
                by_key[key].location,
                key=key,
                hint="check its type and fields, or choose a style that covers this type",
            )
        )
    for key, reason in result.failed:
        diagnostics.append(
            Diagnostic(
                Severity.ERROR,
                "render-failed",
                f"entry '{key}' could not be rendered in {style.style_id}: {reason}",
                by_key[key].location,
                key=key,
                hint="simplify the entry's dates and names, and report the case to exilebib",
            )
        )
    entries = [Entry(rendered.id, rendered.text) for rendered in result.entries]
    if groups is None:
        sections: tuple[Section, ...] = (Section(None, tuple(entries)),)
    else:
        buckets: dict[str, list[Entry]] = {group.keyword: [] for group in groups}
        other: list[Entry] = []
        for entry in entries:
            target = _section(by_key[entry.key], groups)
            (buckets[target] if target else other).append(entry)
        found = [Section(g.title, tuple(buckets[g.keyword])) for g in groups if buckets[g.keyword]]
        if other:
            found.append(Section(OTHER_TITLE, tuple(other)))
        sections = tuple(found)
    return Rendering(style, sections, tuple(items), tuple(diagnostics))


def applicable_groups(
    library: Library, groups: Sequence[Group], configured: bool
) -> Sequence[Group] | None:
    """The sections to split ``library`` into, or ``None`` for one list.

    Groups the user configured (or named with ``--groups``) always apply: a source in none
    of them goes to the final :data:`OTHER_TITLE` section. The default groups are the
    essay's convention: they apply only to a file that follows it, where at least one
    source carries one of their keywords; any other file is one list with no headings
    (``exilebib lint`` reports ``missing-group`` by the same rule).
    """
    if configured or any(_section(source, groups) for source in library.sources):
        return groups
    return None


def _section(source: Source, groups: Sequence[Group]) -> str | None:
    """The keyword of the first group ``source`` belongs to (None: the final section)."""
    keywords = source.keywords
    return next((g.keyword for g in groups if g.keyword in keywords), None)


def render_citation(
    library: Library,
    style: ResolvedStyle,
    keys: Sequence[str],
    locator: str | None = None,
    label: str = "page",
    *,
    sentence_case: bool = True,
) -> CitationRendering:
    """The citation of ``keys`` together; the locator applies to the last cite.

    For note styles both the first (full) note and a subsequent (short) note are rendered.
    """
    sources = rendered_sources(library)
    known = {source.key for source in sources}
    missing = [key for key in keys if key not in known]
    if missing:
        hints = [f"'{key}'{did_you_mean(key, known)}" for key in missing]
        raise UsageError(
            f"{library.path}: no entry with key {', '.join(hints)} "
            "(run 'exilebib lint' or check the spelling)"
        )
    items, notes = to_items(sources, sentence_case=sentence_case)
    wanted = set(keys)
    diagnostics = [
        *library.diagnostics,
        *(d for d in (*crossref.problems(sources), *notes) if d.key in wanted),
    ]
    cluster = [CiteRequest(key) for key in keys[:-1]]
    cluster.append(CiteRequest(keys[-1], locator, label))
    engine = engine_for(style.path, style.locale)
    # a note style: the first note, then the same cite in the next note (the short form,
    # or ibid where the style uses it); an in-text style: one citation in running text
    clusters: list[CiteCluster] = (
        [CiteCluster(tuple(cluster), 1), CiteCluster(tuple(cluster), 2)]
        if style.is_note
        else [CiteCluster(tuple(cluster))]
    )
    rendered = engine.citations(items, clusters, "html")
    cited = tuple(item for item in items if item["id"] in wanted)
    return CitationRendering(
        style,
        tuple(keys),
        rendered[0],
        rendered[1] if style.is_note else None,
        cited,
        tuple(diagnostics),
    )

"""The CSL rendering engine: the only package that imports citeproc-py.

:class:`Engine` turns CSL-JSON items into bibliography entries and citations for one style
and locale. It hides citeproc-py's API hazards: entries are mapped back to their ids (never
zipped by position), ids keep their case, entries that render nothing are reported, and a
citation's locator never reaches the bibliography.

citeproc-py 0.11.1 misses many rules of CSL 1.0.2. :mod:`exilebib.engine.rules` implements
them, one module per rule, and :mod:`exilebib.engine.elements` builds the engine's own
element classes from them (citeproc-py's classes stay as they are). ``fixes=False`` (or the
environment's ``EXILEBIB_ENGINE_FIXES=0``) renders with citeproc-py's classes alone, to
measure citeproc-py on the CSL test suite.

One :class:`Engine` may be used from several threads: all the state of a render belongs to
that render, and a parsed style renders one request at a time (its lock).
"""

from __future__ import annotations

import functools
import io
import os
import threading
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, cast

from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    Locator,
)
from citeproc.formatter import html as html_formatter
from citeproc.formatter import plain as plain_formatter

from exilebib.engine import elements, rules
from exilebib.engine import types as citeproc_types
from exilebib.engine.markup import MarkupFormatter, QuoteStyle, serialize, trim_display
from exilebib.engine.rules import author_substitute, positions
from exilebib.engine.rules.input_items import InputItemError, prepare_source
from exilebib.engine.rules.locator_labels import locator_label
from exilebib.engine.rules.render_state import RenderState, rendering
from exilebib.errors import RenderError

EngineFormat = Literal["text", "html"]

#: environment variable that switches the CSL rules off ("0") for measurements
FIXES_ENV = "EXILEBIB_ENGINE_FIXES"

_FORMATTERS: dict[str, citeproc_types.Formatter] = {"text": plain_formatter, "html": html_formatter}


def fixes_default() -> bool:
    """Whether the rules are on when ``Engine`` is not told: on unless the env says "0"."""
    return os.environ.get(FIXES_ENV, "1").strip().lower() not in {"0", "false", "no", "off"}


@dataclass(frozen=True, slots=True)
class RenderedEntry:
    """One bibliography entry: the item's ``id`` and its text in the requested format."""

    id: str
    text: str


@dataclass(frozen=True, slots=True)
class Bibliography:
    """A rendered bibliography in the style's order, plus what could not be rendered."""

    entries: tuple[RenderedEntry, ...]
    #: ids of items the style renders as nothing (e.g. Chicago 18th skips interviews)
    empty: tuple[str, ...] = ()
    #: ids of items the engine failed on, with the reason
    failed: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class CiteRequest:
    """One cite inside a citation: the item ``id`` and an optional locator.

    ``label`` is a CSL locator term: page, chapter, section, paragraph, volume, ...
    ``prefix``/``suffix`` are printed around the cite; ``suppress_author`` drops the author
    (as in "Smith says (2001)") and ``author_only`` prints only the author.
    """

    id: str
    locator: str | None = None
    label: str = "page"
    prefix: str = ""
    suffix: str = ""
    suppress_author: bool = False
    author_only: bool = False


@dataclass(frozen=True, slots=True)
class CiteCluster:
    """One citation (a note or an in-text cite) made of several cites.

    ``note_number`` is the footnote the citation sits in (0 or None for in-text citations);
    it decides ``near-note`` and ``first-reference-note-number``.
    """

    cites: tuple[CiteRequest, ...]
    note_number: int | None = None


ClusterLike = CiteCluster | Sequence[CiteRequest]


@dataclass(slots=True)
class _Loaded:
    style: citeproc_types.StyleFile
    quotes: QuoteStyle


def _parse_style(source: str | bytes | Path, locale: str | None, fixes: bool
                 ) -> citeproc_types.StyleFile:
    if fixes:
        return elements.LoadedStyle(source, locale)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if isinstance(source, Path):
            style: citeproc_types.StyleFile = CitationStylesStyle(
                str(source), locale=locale, validate=False)
        else:
            data = source.encode("utf-8") if isinstance(source, str) else source
            style = CitationStylesStyle(io.BytesIO(data), locale=locale, validate=False)
    style.lock = threading.RLock()  # as elements.LoadedStyle has
    style.item_facts = {}
    style.names_citation_label = True
    return style



_CSL_NS = "{http://purl.org/net/xbiblio/csl}"


@dataclass(frozen=True, slots=True)
class CitationLayout:
    """A style's citation layout: the affixes around a citation and the delimiter between
    its cites, as the style writes them, and whether the style sorts the cites."""

    prefix: str = ""
    suffix: str = ""
    delimiter: str = "; "
    sorted: bool = False


class Engine:
    """Renders CSL-JSON items with one style and one locale.

    ``style`` is a :class:`~pathlib.Path` to a ``.csl`` file, or a string: one of exilebib's
    presets (``chicago``, ``harvard``, ...), a style ID of the installed styles
    (``apa``), or a path. ``locale`` (``en-GB``) defaults to the preset's locale, else the
    style's ``default-locale``. An unknown style raises :class:`~exilebib.errors.UsageError`,
    a style that cannot be read or parsed :class:`~exilebib.errors.RenderError`.

    Thread safety: one engine may be used from several threads at once. Each call keeps
    its state to itself; calls on engines that share a style file take turns.
    """

    def __init__(
        self,
        style: str | Path,
        locale: str | None = None,
        *,
        fixes: bool | None = None,
        style_xml: str | bytes | None = None,
    ) -> None:
        if isinstance(style, str) and style_xml is None:
            from exilebib.styles import resolve_style

            resolved = resolve_style(style, locale)
            style, locale = resolved.path, resolved.locale
        self.style_path = Path(style)
        self.locale = locale
        self.fixes = fixes_default() if fixes is None else fixes
        try:
            if style_xml is not None:
                self._style = _parse_style(style_xml, locale, self.fixes)
            else:
                self._style = _cached_style(self.style_path, locale, self.fixes)
        except RenderError:
            raise
        except Exception as exc:  # lxml and citeproc raise many kinds here
            raise RenderError(f"{self.style_path}: cannot load the style: {exc}") from None
        self._lock = self._style.lock
        self._quotes = rules.quote_style(self._style) if self.fixes else QuoteStyle()

    @classmethod
    def from_xml(
        cls, style_xml: str | bytes, locale: str | None = None, *, fixes: bool | None = None
    ) -> Engine:
        """An engine for a style given as XML text (the CSL test suite's fixtures)."""
        return cls(Path("<inline>"), locale, fixes=fixes, style_xml=style_xml)

    @property
    def has_bibliography(self) -> bool:
        return bool(self._style.has_bibliography())

    def citation_layout(self) -> CitationLayout:
        """What the style's ``<citation><layout>`` puts around and between the cites of a
        citation, as written in the style, and whether ``<citation><sort>`` reorders them
        (read from the parsed style, so the file is read once)."""
        citation = self._style.root.find(f"{_CSL_NS}citation")
        layout = citation.find(f"{_CSL_NS}layout") if citation is not None else None
        if citation is None or layout is None:
            return CitationLayout()
        return CitationLayout(
            layout.get("prefix", ""),
            layout.get("suffix", ""),
            layout.get("delimiter", "; "),
            citation.find(f"{_CSL_NS}sort") is not None,
        )

    def _formatter(self, fmt: EngineFormat) -> citeproc_types.Formatter:
        if fmt not in _FORMATTERS:
            raise RenderError(f"unknown output format '{fmt}' (use text or html)")
        return MarkupFormatter if self.fixes else _FORMATTERS[fmt]

    def _finish(self, text: citeproc_types.Rendered, fmt: EngineFormat) -> str:
        if text is None:
            return ""
        return serialize(str(text), fmt, self._quotes) if self.fixes else str(text)

    def _new_bibliography(
        self, items: Sequence[Mapping[str, object]], fmt: EngineFormat
    ) -> tuple[citeproc_types.Bibliography, dict[str, str], dict[str, str]]:
        try:
            source, internal, external = prepare_source(
                items, strict=self.fixes,
                source_class=elements.CiteProcJSON if self.fixes else None,
                citation_labels=self._style.names_citation_label)
        except InputItemError as exc:
            raise RenderError(str(exc)) from None
        if self.fixes:
            bib = elements.RenderBibliography(self._style, source, self._formatter(fmt))
        else:
            bib = CitationStylesBibliography(self._style, source, self._formatter(fmt))
        item_class = elements.CitationItem if self.fixes else CitationItem
        # One locator-free registration per item, so no cite's locator leaks in.
        bib.register(Citation([item_class(internal[str(i["id"])]) for i in items]))
        return bib, internal, external

    def bibliography(
        self,
        items: Sequence[Mapping[str, object]],
        fmt: EngineFormat = "text",
        *,
        sections: Mapping[str, object] | None = None,
    ) -> Bibliography:
        """The bibliography of ``items``, sorted by the style.

        ``sections`` maps item ids to the section (of a grouped bibliography) each entry is
        printed in: what depends on the preceding entry (``subsequent-author-substitute``)
        then looks at the preceding entry of the same section.
        """
        if not self.has_bibliography:
            raise RenderError(f"{self.style_path.name}: the style defines no bibliography")
        with self._lock, rendering(RenderState(self._style.item_facts)):
            bib, _internal, external = self._new_bibliography(items, fmt)
            try:
                if self.fixes:
                    author_substitute.start(self._style)
                return self._render_bibliography(bib, external, fmt, sections)
            finally:
                _release(bib.items)

    def _render_bibliography(
        self,
        bib: citeproc_types.Bibliography,
        external: Mapping[str, str],
        fmt: EngineFormat,
        sections: Mapping[str, object] | None = None,
    ) -> Bibliography:
        if self.fixes:
            rules.prepare_bibliography(bib)
        else:
            bib.sort()
        # (bibliography() has checked that the style has one)
        layout = self._style.root.bibliography.layout  # type: ignore[union-attr]
        entries: list[RenderedEntry] = []
        empty: list[str] = []
        failed: list[tuple[str, str]] = []
        for item in bib.items:
            user_id = external[item.key]
            if sections is not None and self.fixes:
                author_substitute.enter_section(sections.get(user_id))
            try:
                text = layout.render_bibliography([item])
            except Exception as exc:  # citeproc-py bugs must not lose the other entries
                failed.append((user_id, f"{type(exc).__name__}: {exc}"))
                continue
            if text and text[0] is not None:
                marked = str(text[0])  # (rich text: made a string once)
                rendered = self._finish(marked, fmt)
                if self.fixes:
                    rendered = trim_display(marked, rendered)
            else:
                rendered = ""
            if rendered.strip():
                entries.append(RenderedEntry(user_id, rendered))
            else:
                empty.append(user_id)
        return Bibliography(tuple(entries), tuple(empty), tuple(failed))

    def citations(
        self,
        items: Sequence[Mapping[str, object]],
        clusters: Sequence[ClusterLike],
        fmt: EngineFormat = "text",
    ) -> list[str]:
        """Each cluster rendered as the style's citation (an in-text cite or a note).

        Clusters are taken in document order: the first cite of an item has position
        "first", later ones "subsequent", and "ibid"/"ibid-with-locator" follow CSL 1.0.2.
        """
        with self._lock, rendering(RenderState(self._style.item_facts)):
            bib, internal, _external = self._new_bibliography(items, fmt)
            citations: list[citeproc_types.Citation] = []
            try:
                # each item's type, for the labels of locators (engine key -> type)
                types = {cite.key: str(getattr(cite.reference, "type", ""))
                         for cite in bib.items}
                citations = [self._citation(bib, internal, cluster, types)
                             for cluster in clusters]
                if self.fixes:
                    positions.assign(citations)
                    rules.prepare_citations(bib, citations)
                out = []
                for citation in citations:
                    try:
                        text = bib.cite(citation, lambda _item: None)
                    except Exception as exc:  # one bad cite must not lose the others
                        raise RenderError(
                            f"cannot render the citation of {_keys(citation)}: "
                            f"{type(exc).__name__}: {exc}"
                        ) from None
                    out.append(self._finish(text, fmt))
                return out
            finally:
                _release(bib.items)
                for citation in citations:
                    _release(citation.cites)

    def _has_term(self, name: str) -> bool:
        return self._style.root.get_term(name) is not None

    def _citation(self, bib: citeproc_types.Bibliography, internal: Mapping[str, str],
                  cluster: ClusterLike,
                  types: Mapping[str, str]) -> citeproc_types.Citation:
        requests = cluster.cites if isinstance(cluster, CiteCluster) else tuple(cluster)
        note = cluster.note_number if isinstance(cluster, CiteCluster) else None
        cites = []
        for request in requests:
            if request.id not in internal:
                raise RenderError(f"no entry with key '{request.id}' to cite")
            extra: dict[str, object] = {}
            if request.locator and request.locator.strip():
                label, locator = request.label, request.locator.strip()
                if self.fixes:
                    label, locator = locator_label(
                        label, locator, types.get(internal[request.id], ""), self._has_term)
                extra["locator"] = Locator(label, locator)
            if self.fixes:
                if request.prefix:
                    extra["prefix"] = request.prefix
                if request.suffix:
                    extra["suffix"] = request.suffix
            item_class = elements.CitationItem if self.fixes else CitationItem
            cite = item_class(internal[request.id], **extra)
            if self.fixes:
                cite["suppress_author"] = request.suppress_author
                cite["author_only"] = request.author_only
            cites.append(cite)
        citation: citeproc_types.Citation = Citation(cites)
        if self.fixes:
            citation["note_number"] = note
        bib.register(citation)
        return citation


@functools.lru_cache(maxsize=32)
def _load_style(path: str, mtime: float, locale: str | None, fixes: bool
                ) -> citeproc_types.StyleFile:
    return _parse_style(Path(path), locale, fixes)


def _cached_style(path: Path, locale: str | None, fixes: bool) -> citeproc_types.StyleFile:
    """The parsed style: parsing a 240 KB Chicago style and its locales takes most of a
    small render and depends only on the file (as of its mtime) and the locale."""
    try:
        mtime = path.stat().st_mtime
    except OSError as exc:
        raise RenderError(f"{path}: cannot read the style: {exc.strerror}") from None
    return _load_style(str(path), mtime, locale, fixes)


def _release(cites: Iterable[citeproc_types.Cite]) -> None:
    """Break the cycles a finished render leaves: each cite refers to its citation, which
    refers to its cites and to the bibliography holding them. Without this, a render's
    cites, references and their data (61,000 objects for 5,000 entries) stayed until the
    garbage collector ran (``tests/engine/test_garbage.py``)."""
    for cite in cites:
        dict.pop(cast("dict[str, object]", cite), "citation", None)


def _keys(citation: citeproc_types.Citation) -> str:
    return ", ".join(cite.key for cite in citation.cites)

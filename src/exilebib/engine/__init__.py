"""The CSL rendering engine: the only package that imports citeproc-py.

:class:`Engine` turns CSL-JSON items into bibliography entries and citations for one style
and locale. It hides citeproc-py's API hazards: entries are mapped back to their ids (never
zipped by position), ids keep their case, entries that render nothing are reported, and a
citation's locator never reaches the bibliography.
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    Locator,
)
from citeproc.formatter import html as html_formatter
from citeproc.formatter import plain as plain_formatter
from citeproc.source.json import CiteProcJSON

from exilebib.errors import RenderError

EngineFormat = Literal["text", "html"]

_FORMATTERS: dict[str, Any] = {"text": plain_formatter, "html": html_formatter}


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
    """

    id: str
    locator: str | None = None
    label: str = "page"


@dataclass(frozen=True, slots=True)
class _Prepared:
    source: CiteProcJSON
    internal: dict[str, str] = field(default_factory=dict)  # user id -> engine id
    external: dict[str, str] = field(default_factory=dict)  # engine id -> user id


class Engine:
    """Renders CSL-JSON items with one style file and one locale."""

    def __init__(self, style_path: Path, locale: str) -> None:
        self.style_path = style_path
        self.locale = locale
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                self._style = CitationStylesStyle(str(style_path), locale=locale, validate=False)
            except Exception as exc:  # lxml and citeproc raise many kinds here
                raise RenderError(f"{style_path}: cannot load the style: {exc}") from None

    @property
    def has_bibliography(self) -> bool:
        return bool(self._style.has_bibliography())

    def _prepare(self, items: Sequence[Mapping[str, Any]]) -> _Prepared:
        # citeproc-py lower-cases ids; give it ids of its own and map back.
        prepared = _Prepared(source=CiteProcJSON([]))
        data = []
        for index, item in enumerate(items):
            user_id = str(item["id"])
            engine_id = f"item{index}"
            prepared.internal[user_id] = engine_id
            prepared.external[engine_id] = user_id
            clean = copy.deepcopy(dict(item))
            clean["id"] = engine_id
            data.append(clean)
        return _Prepared(CiteProcJSON(data), prepared.internal, prepared.external)

    def bibliography(
        self, items: Sequence[Mapping[str, Any]], fmt: EngineFormat = "text"
    ) -> Bibliography:
        """The bibliography of ``items``, sorted by the style."""
        if not self.has_bibliography:
            raise RenderError(f"{self.style_path.name}: the style defines no bibliography")
        prepared = self._prepare(items)
        bib = CitationStylesBibliography(self._style, prepared.source, _FORMATTERS[fmt])
        # One locator-free registration per item, so no cite's locator leaks in.
        bib.register(Citation([CitationItem(prepared.internal[str(i["id"])]) for i in items]))
        bib.sort()
        entries: list[RenderedEntry] = []
        empty: list[str] = []
        failed: list[tuple[str, str]] = []
        for item in bib.items:
            user_id = prepared.external[item.key]
            try:
                text = self._style.root.bibliography.layout.render_bibliography([item])
            except Exception as exc:  # citeproc-py bugs must not lose the other entries
                failed.append((user_id, f"{type(exc).__name__}: {exc}"))
                continue
            rendered = str(text[0]) if text and text[0] is not None else ""
            if rendered.strip():
                entries.append(RenderedEntry(user_id, rendered))
            else:
                empty.append(user_id)
        return Bibliography(tuple(entries), tuple(empty), tuple(failed))

    def citations(
        self,
        items: Sequence[Mapping[str, Any]],
        clusters: Sequence[Sequence[CiteRequest]],
        fmt: EngineFormat = "text",
    ) -> list[str]:
        """Each cluster rendered as the style's citation (an in-text cite or a note)."""
        prepared = self._prepare(items)
        bib = CitationStylesBibliography(self._style, prepared.source, _FORMATTERS[fmt])
        bib.register(Citation([CitationItem(prepared.internal[str(i["id"])]) for i in items]))
        citations = []
        for cluster in clusters:
            cites = []
            for request in cluster:
                if request.id not in prepared.internal:
                    raise RenderError(f"no entry with key '{request.id}' to cite")
                engine_id = prepared.internal[request.id]
                if request.locator:
                    locator = Locator(request.label, request.locator)
                    cites.append(CitationItem(engine_id, locator=locator))
                else:
                    cites.append(CitationItem(engine_id))
            citation = Citation(cites)
            bib.register(citation)
            citations.append(citation)
        return [str(bib.cite(citation, lambda _item: None)) for citation in citations]

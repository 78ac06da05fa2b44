"""Output formats behind one registry: ``text``, ``html``, ``markdown``, ``rtf``, ``csl-json``.

Each format turns a :class:`~exilebib.render.Rendering` (the whole bibliography) or one
HTML fragment (a citation) into a string. Formats never render: they serialise what the
engine produced, so every format shows the same entries in the same order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from exilebib.formats import csljson, html, markdown, rtf, text
from exilebib.render import Rendering


class Format(Protocol):
    """What a format module provides."""

    def bibliography(self, rendering: Rendering) -> str: ...

    def fragment(self, html_fragment: str) -> str: ...

    def paragraphs(self, html_fragments: Sequence[str]) -> str: ...


FORMATS: Mapping[str, Format] = {
    "text": text,
    "html": html,
    "markdown": markdown,
    "rtf": rtf,
    "csl-json": csljson,
}

#: The names ``--format`` accepts, in the order help shows them.
FORMAT_NAMES: tuple[str, ...] = tuple(FORMATS)

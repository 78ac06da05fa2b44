"""Output formats behind one registry: ``text``, ``html``, ``markdown``, ``rtf``, ``csl-json``.

Each format turns a :class:`~exilebib.render.Rendering` (the whole bibliography) or one
HTML fragment (a citation) into a string. Formats never render: they serialise what the
engine produced, so every format shows the same entries in the same order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol

from exilebib.errors import UsageError
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

#: The format an output file's extension implies when ``--format`` is not given (lower-cased
#: suffix → format name). A new format adds its extensions here, e.g. ``".docx": "docx"``.
EXTENSIONS: Mapping[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".rtf": "rtf",
    ".json": "csl-json",
}

#: The format when neither ``--format`` nor the output file's extension names one.
DEFAULT_FORMAT = "text"


def format_for(requested: str | None, output: Path | None) -> str:
    """The output format: ``--format`` if given, else the one the output file's extension
    implies (``-o bib.html`` writes HTML), else text. A ``--format`` that contradicts a known
    extension (``-f text -o bib.html``) is a :class:`UsageError`: one of them is a mistake."""
    implied = EXTENSIONS.get(output.suffix.lower()) if output is not None else None
    if requested is None:
        return implied or DEFAULT_FORMAT
    if implied is not None and implied != requested:
        raise UsageError(
            f"--format {requested} contradicts the output file {output}, whose extension "
            f"means {implied}: drop --format to write {implied}, or name the file "
            f"{output.with_suffix(_extension(requested)) if output else ''}"
        )
    return requested


def _extension(name: str) -> str:
    """The first extension of format ``name`` (``.txt`` for text)."""
    return next((suffix for suffix, known in EXTENSIONS.items() if known == name), "")

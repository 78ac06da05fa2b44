"""The document writers behind one registry: Markdown, HTML, DOCX, RTF."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from exilebib.document import docx, html, markdown, rtf
from exilebib.document.blocks import read_blocks
from exilebib.document.compose import Composed


def _markdown(doc: Composed) -> str:
    return markdown.write(doc).text


def _html(doc: Composed) -> str:
    return html.write(doc, markdown.write(doc))


def _docx(doc: Composed) -> bytes:
    return docx.write(doc, read_blocks(markdown.write(doc)), html.page_title(doc))


def _rtf(doc: Composed) -> str:
    return rtf.write(doc, read_blocks(markdown.write(doc)), html.page_title(doc))


WRITERS: Mapping[str, Callable[[Composed], str | bytes]] = {
    "markdown": _markdown,
    "html": _html,
    "docx": _docx,
    "rtf": _rtf,
}

FORMAT_NAMES: tuple[str, ...] = tuple(WRITERS)


def write(doc: Composed, format_name: str) -> str | bytes:
    return WRITERS[format_name](doc)

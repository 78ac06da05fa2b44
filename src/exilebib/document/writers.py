"""The document writers behind one registry: Markdown, HTML, DOCX, RTF.

The writers other than Markdown load python-docx and markdown-it when they are used, so
that Markdown output (the common case, and what scripts pipe) starts without them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from exilebib.document import FORMAT_NAMES, markdown
from exilebib.document.compose import Composed


def _markdown(doc: Composed) -> str:
    return markdown.write(doc).text


def _html(doc: Composed) -> str:
    from exilebib.document import html

    return html.write(doc, markdown.write(doc))


def _docx(doc: Composed) -> bytes:
    from exilebib.document import docx, html
    from exilebib.document.blocks import read_blocks

    return docx.write(doc, read_blocks(markdown.write(doc)), html.page_title(doc))


def _rtf(doc: Composed) -> str:
    from exilebib.document import html, rtf
    from exilebib.document.blocks import read_blocks

    return rtf.write(doc, read_blocks(markdown.write(doc)), html.page_title(doc))


WRITERS: Mapping[str, Callable[[Composed], str | bytes]] = {
    "markdown": _markdown,
    "html": _html,
    "docx": _docx,
    "rtf": _rtf,
}

assert tuple(WRITERS) == FORMAT_NAMES


def write(doc: Composed, format_name: str) -> str | bytes:
    return WRITERS[format_name](doc)

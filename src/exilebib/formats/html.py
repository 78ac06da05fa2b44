"""HTML: each section an ``<h2>`` and a ``csl-bib-body`` list, as CSL processors mark it up."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from exilebib.render import Rendering


def fragment(html_fragment: str) -> str:
    return html_fragment


def bibliography(rendering: Rendering) -> str:
    parts = []
    for section in rendering.sections:
        if section.title:
            parts.append(f"<h2>{escape(section.title)}</h2>")
        parts.append('<div class="csl-bib-body">')
        parts.extend(f'  <div class="csl-entry">{entry.html}</div>' for entry in section.entries)
        parts.append("</div>")
    return "\n".join(parts) + "\n"


def paragraphs(html_fragments: Sequence[str]) -> str:
    return "".join(f"<p>{f}</p>\n" for f in html_fragments)


def standalone(body: str, title: str) -> str:
    """``body`` as a whole HTML5 document that declares its encoding."""
    return (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n</head>\n<body>\n{body}</body>\n</html>\n"
    )

"""HTML: each section an ``<h2>`` and a ``csl-bib-body`` list, as CSL processors mark it up."""

from __future__ import annotations

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

"""Plain text: one entry per line, a blank line and the section title between groups."""

from __future__ import annotations

from collections.abc import Sequence

from exilebib.render import Rendering
from exilebib.richtext import plain


def fragment(html_fragment: str) -> str:
    return plain(html_fragment)


def bibliography(rendering: Rendering) -> str:
    blocks = []
    for section in rendering.sections:
        lines = [plain(entry.html) for entry in section.entries]
        if section.title:
            lines = [section.title, "", *lines]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n" if blocks else ""


def paragraphs(html_fragments: Sequence[str]) -> str:
    return "".join(plain(f) + "\n" for f in html_fragments)

"""Markdown (CommonMark): ``*italic*``, ``**bold**``, inline HTML for what Markdown lacks.

URLs become ``<autolinks>`` so their underscores and percent signs reach the reader
unescaped; everything else that Markdown would read as syntax is backslash-escaped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from exilebib.render import Rendering
from exilebib.richtext import Mark, Run, parse_html

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
_URL = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:)\]]")

#: Marks with no Markdown syntax, written as inline HTML (CommonMark allows it).
_HTML_MARKS: dict[Mark, tuple[str, str]] = {
    Mark.SUPERSCRIPT: ("<sup>", "</sup>"),
    Mark.SUBSCRIPT: ("<sub>", "</sub>"),
    Mark.SMALL_CAPS: ('<span style="font-variant:small-caps;">', "</span>"),
    Mark.UNDERLINE: ("<u>", "</u>"),
}


def _escape(text: str) -> str:
    out = []
    position = 0
    for match in _URL.finditer(text):
        out.append(_SPECIAL.sub(r"\\\1", text[position : match.start()]))
        out.append(f"<{match.group(0)}>")
        position = match.end()
    out.append(_SPECIAL.sub(r"\\\1", text[position:]))
    return "".join(out)


def _run(run: Run) -> str:
    text = _escape(run.text)
    stripped = text.strip()
    if not stripped:
        return text
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    for mark, (start, end) in _HTML_MARKS.items():
        if mark in run.marks:
            stripped = f"{start}{stripped}{end}"
    if Mark.BOLD in run.marks:
        stripped = f"**{stripped}**"
    if Mark.ITALIC in run.marks:
        stripped = f"*{stripped}*"
    # Emphasis markers must touch the text they wrap, so spaces stay outside them.
    return f"{lead}{stripped}{trail}"


def fragment(html_fragment: str) -> str:
    return "".join(_run(run) for run in parse_html(html_fragment))


def bibliography(rendering: Rendering) -> str:
    blocks = []
    for section in rendering.sections:
        if section.title:
            blocks.append(f"## {_escape(section.title)}")
        blocks.extend(fragment(entry.html) for entry in section.entries)
    return "\n\n".join(blocks) + "\n"


def paragraphs(html_fragments: Sequence[str]) -> str:
    return "\n\n".join(fragment(f) for f in html_fragments) + "\n"

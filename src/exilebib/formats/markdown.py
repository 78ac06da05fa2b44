"""Markdown (CommonMark): ``*italic*``, ``**bold**``, inline HTML for what Markdown lacks.

URLs become ``<autolinks>`` so their underscores and percent signs reach the reader
unescaped; everything else that Markdown would read as syntax is backslash-escaped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from exilebib.formats.urls import URL as _URL
from exilebib.render import Rendering
from exilebib.richtext import Mark, Run, parse_html

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")

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


def _inline(run: Run) -> str:
    """A run's text, escaped, with the marks Markdown has no syntax for as inline HTML."""
    text = _escape(run.text)
    for mark, (start, end) in _HTML_MARKS.items():
        if mark in run.marks and text.strip():
            lead = text[: len(text) - len(text.lstrip())]
            trail = text[len(text.rstrip()) :]
            text = f"{lead}{start}{text.strip()}{end}{trail}"
    return text


def _emphasised(text: str, marker: str) -> str:
    """``text`` wrapped in ``marker``; emphasis must touch what it wraps, so the spaces at
    either end stay outside."""
    stripped = text.strip()
    if not stripped:
        return text
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return f"{lead}{marker}{stripped}{marker}{trail}"


def _spans(runs: list[Run], marks: tuple[Mark, ...]) -> str:
    """Consecutive runs that share the first of ``marks`` become one span of it (an
    italic title with a superscript in it is one ``*...*``, not two that CommonMark
    misreads), the runs inside split by the next mark, and so on."""
    if not marks:
        return "".join(_inline(run) for run in runs)
    mark, rest = marks[0], marks[1:]
    out: list[str] = []
    start = 0
    while start < len(runs):
        inside = mark in runs[start].marks
        end = start
        while end < len(runs) and (mark in runs[end].marks) == inside:
            end += 1
        text = _spans(runs[start:end], rest)
        out.append(_emphasised(text, _EMPHASIS[mark]) if inside else text)
        start = end
    return "".join(out)


#: Marks with Markdown syntax, outermost first.
_EMPHASIS: dict[Mark, str] = {Mark.ITALIC: "*", Mark.BOLD: "**"}


def fragment(html_fragment: str) -> str:
    return _spans(list(parse_html(html_fragment)), tuple(_EMPHASIS))


def bibliography(rendering: Rendering) -> str:
    blocks = []
    for section in rendering.sections:
        if section.title:
            blocks.append(f"## {_escape(section.title)}")
        blocks.extend(fragment(entry.html) for entry in section.entries)
    return "\n\n".join(blocks) + "\n"


def paragraphs(html_fragments: Sequence[str]) -> str:
    return "\n\n".join(fragment(f) for f in html_fragments) + "\n"

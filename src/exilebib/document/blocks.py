"""The finished essay as blocks of styled spans, for the writers that are not Markdown.

The Markdown writer's output is read back with markdown-it (CommonMark plus pandoc-style
footnotes and front matter), so every format shows the same text: each writer serialises
these blocks. Paragraphs on the bibliography's lines are bibliography entries (hanging
indent); footnote marks carry the note's index into :attr:`Blocks.footnotes`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from exilebib.document.markdown import MarkdownEssay
from exilebib.richtext import Mark

#: Inline HTML the Markdown formatter writes for marks Markdown lacks.
_HTML_MARKS = {
    "sup": Mark.SUPERSCRIPT,
    "sub": Mark.SUBSCRIPT,
    "u": Mark.UNDERLINE,
    "i": Mark.ITALIC,
    "em": Mark.ITALIC,
    "b": Mark.BOLD,
    "strong": Mark.BOLD,
}
_TAG = re.compile(r"<(/?)([a-z]+)([^>]*)>", re.IGNORECASE)
#: Characters XML 1.0 cannot hold (C0 controls but tab and line ends, lone surrogates,
#: U+FFFE/U+FFFF): a Word document would be refused, an RTF reader confused.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` with the characters XML cannot hold replaced by U+FFFD, as CommonMark
    replaces NUL: the text stays visible where it was broken."""
    return _NOT_XML.sub("\ufffd", text)


#: pandoc's heading attributes, ``# Bibliography {#refs .unnumbered}``: not text
_HEADING_ATTRIBUTES = re.compile(r"\s*\{[^{}]*\}\s*$")


def drop_heading_attributes(tokens: Sequence[Token]) -> None:
    """Remove pandoc's ``{#id .class}`` from the end of headings (CommonMark keeps it)."""
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or index + 1 >= len(tokens):
            continue
        children = tokens[index + 1].children or []
        if children and children[-1].type == "text":
            children[-1].content = _HEADING_ATTRIBUTES.sub("", children[-1].content)


def parser() -> MarkdownIt:
    """CommonMark with inline HTML, footnotes and front matter, as the essay is written."""
    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    return md.use(footnote_plugin).use(front_matter_plugin)


@dataclass(frozen=True, slots=True)
class Span:
    """Text with its marks; ``link`` is a URL; ``note`` makes it a footnote mark."""

    text: str
    marks: frozenset[Mark] = frozenset()
    link: str | None = None
    note: int | None = None


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph-level block: ``kind`` is heading, paragraph, entry (bibliography),
    item (list), quote, code or row (a table's row, its cells separated by tabs);
    ``level`` is a heading's level or a list's depth."""

    kind: str
    spans: tuple[Span, ...]
    level: int = 0


@dataclass(slots=True)
class Blocks:
    body: list[Block] = field(default_factory=list)
    #: each footnote's blocks, by its number (1-based, in order of first reference)
    footnotes: dict[int, list[Block]] = field(default_factory=dict)


def _inline(children: Sequence[Token]) -> tuple[Span, ...]:
    spans: list[Span] = []
    marks: list[Mark] = []
    html_stack: list[Mark | None] = []
    link: str | None = None
    for token in children:
        kind = token.type
        if kind == "text" or kind == "code_inline":
            if token.content:
                spans.append(Span(token.content, frozenset(marks), link))
        elif kind in ("softbreak",):
            spans.append(Span(" ", frozenset(marks), link))
        elif kind == "hardbreak":
            spans.append(Span("\n", frozenset(marks), link))
        elif kind == "em_open":
            marks.append(Mark.ITALIC)
        elif kind == "strong_open":
            marks.append(Mark.BOLD)
        elif kind in ("em_close", "strong_close") and marks:
            marks.pop()
        elif kind == "link_open":
            link = str(token.attrs.get("href", ""))
        elif kind == "link_close":
            link = None
        elif kind == "footnote_ref":
            spans.append(Span("", frozenset(), None, int(token.meta["id"]) + 1))
        elif kind == "image":
            spans.append(Span(token.content, frozenset(marks), link))
        elif kind == "html_inline":
            match = _TAG.fullmatch(token.content.strip())
            if match is None:
                continue
            closing, tag, attrs = match.group(1), match.group(2).lower(), match.group(3)
            mark = _HTML_MARKS.get(tag)
            if tag == "span" and "small-caps" in attrs:
                mark = Mark.SMALL_CAPS
            if closing:
                popped = html_stack.pop() if html_stack else None
                if popped is not None and popped in marks:
                    marks.remove(popped)
            else:
                html_stack.append(mark)
                if mark is not None:
                    marks.append(mark)
    return tuple(spans)


def read_blocks(essay: MarkdownEssay) -> Blocks:
    """The blocks of the finished Markdown essay."""
    tokens = parser().parse(xml_safe(essay.text))
    drop_heading_attributes(tokens)
    out = Blocks()
    target = out.body
    bib_start, bib_end = essay.bibliography_lines
    kinds: list[str] = []
    depth = 0
    pending: tuple[str, int] | None = None
    row: list[Span] = []
    for token in tokens:
        kind = token.type
        if kind == "footnote_open":
            target = out.footnotes.setdefault(int(token.meta["id"]) + 1, [])
        elif kind == "footnote_close":
            target = out.body
        elif kind in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif kind in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif kind == "blockquote_open":
            kinds.append("quote")
        elif kind == "blockquote_close" and kinds:
            kinds.pop()
        elif kind == "heading_open":
            pending = ("heading", int(token.tag[1:]))
        elif kind == "paragraph_open":
            line = token.map[0] if token.map else -1
            if bib_start <= line < bib_end:
                pending = ("entry", 0)
            elif depth:
                pending = ("item", depth)
            else:
                pending = (kinds[-1] if kinds else "paragraph", 0)
        elif kind == "tr_open":
            row = []
        elif kind in ("th_open", "td_open"):
            pending = ("cell", 0)
        elif kind == "tr_close":
            target.append(Block("row", tuple(row)))
        elif kind == "inline" and pending is not None and pending[0] == "cell":
            if row:
                row.append(Span("\t"))
            row.extend(_inline(token.children or []))
            pending = None
        elif kind == "inline" and pending is not None:
            spans = _inline(token.children or [])
            if spans:
                target.append(Block(pending[0], spans, pending[1]))
            pending = None
        elif kind in ("fence", "code_block"):
            target.append(Block("code", (Span(token.content.rstrip("\n")),)))
    return out

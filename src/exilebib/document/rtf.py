"""The finished essay as RTF 1.x: real footnotes (``\\chftn`` marks with ``\\footnote``
groups), headings with outline levels, hyperlink fields, and bibliography entries with a
half-inch hanging indent."""

from __future__ import annotations

from collections.abc import Sequence

from exilebib.document.blocks import Block, Blocks, Span, xml_safe
from exilebib.document.compose import Composed
from exilebib.formats.rtf import CONTROL_WORDS, escape

_HEADER = (
    r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\froman Times New Roman;}"
    r"{\f1\fmodern Courier New;}}\f0\fs24"
)
#: Half-point font sizes of headings by level (1 is the largest).
_HEADING_SIZES = (36, 32, 28, 26, 24, 24)


def _spans(spans: Sequence[Span], notes: dict[int, list[Block]], in_note: bool = False) -> str:
    out = []
    for span in spans:
        if span.note is not None and in_note:
            # RTF cannot nest footnotes (and a note citing itself would never end): a
            # mark inside a note is its number, as text
            out.append(f"{{\\super {span.note}}}")
            continue
        if span.note is not None:
            out.append(_footnote(notes.get(span.note, []), notes))
            continue
        controls = "".join(CONTROL_WORDS[m] for m in CONTROL_WORDS if m in span.marks)
        text = f"{{{controls} {escape(span.text)}}}" if controls else escape(span.text)
        if span.link:
            target = span.link.replace("\\", "\\\\").replace('"', "%22")
            text = (
                f'{{\\field{{\\*\\fldinst{{HYPERLINK "{escape(target)}"}}}}'
                f"{{\\fldrslt{{\\ul {text}}}}}}}"
            )
        out.append(text)
    return "".join(out)


def _footnote(blocks: Sequence[Block], notes: dict[int, list[Block]]) -> str:
    """The mark and the note's group: its paragraphs in small type, the first opening
    with the note's number; the last paragraph is closed by the group's end."""
    texts = [_spans(block.spans, notes, in_note=True) for block in blocks] or [""]
    body = r"\par\pard\plain\fs20 ".join(texts)
    return r"{\super\chftn}{\footnote\pard\plain\fs20{\super\chftn} " + body + "}"


def _paragraph(block: Block, notes: dict[int, list[Block]]) -> str:
    if block.kind == "heading":
        level = min(block.level, 6)
        start = (
            f"\\pard\\sb240\\sa120\\keepn\\outlinelevel{level - 1}\\b"
            f"\\fs{_HEADING_SIZES[level - 1]} "
        )
        return f"{start}{_spans(block.spans, notes)}\\b0\\fs24\\par\n"
    if block.kind == "entry":
        start = r"\pard\fi-720\li720\sa120 "
    elif block.kind == "item":
        start = f"\\pard\\fi-360\\li{360 * (block.level + 1)}\\sa60 \\u8226? "
    elif block.kind == "quote":
        start = r"\pard\li720\ri720\sa120 "
    elif block.kind == "code":
        return f"\\pard\\sa120\\f1 {escape(block.spans[0].text)}\\f0\\par\n"
    else:
        start = r"\pard\sa120 "
    return f"{start}{_spans(block.spans, notes)}\\par\n"


def write(doc: Composed, blocks: Blocks, title: str | None) -> str:
    parts = [_HEADER]
    if title:
        parts.append(f"{{\\info{{\\title {escape(xml_safe(title))}}}}}")
    parts.append("\n")
    if doc.title:
        parts.append(f"\\pard\\qc\\sa240\\b\\fs40 {escape(xml_safe(doc.title))}\\b0\\fs24\\par\n")
    parts.extend(_paragraph(block, blocks.footnotes) for block in blocks.body)
    parts.append("}\n")
    return "".join(parts)

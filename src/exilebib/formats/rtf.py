"""RTF 1.x for word processors: hanging-indent paragraphs, styled runs, Unicode escapes.

URLs are HYPERLINK fields, so Word and LibreOffice make them clickable, as the Markdown
and HTML formats do.
"""

from __future__ import annotations

from collections.abc import Sequence

from exilebib.formats.urls import URL
from exilebib.render import Rendering
from exilebib.richtext import Mark, parse_html

#: The RTF control word of each rich-text mark (shared with ``exilebib doc``'s writer).
CONTROL_WORDS: dict[Mark, str] = {
    Mark.ITALIC: r"\i",
    Mark.BOLD: r"\b",
    Mark.SMALL_CAPS: r"\scaps",
    Mark.SUPERSCRIPT: r"\super",
    Mark.SUBSCRIPT: r"\sub",
    Mark.UNDERLINE: r"\ul",
}
#: Bibliography paragraphs: half-inch hanging indent (720 twips), space after.
_ENTRY = r"\pard\fi-720\li720\sa120 "
_HEADING = r"\pard\sb240\sa120\b\fs28 "
_HEADER = r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\froman Times New Roman;}}\f0\fs24" + "\n"


def escape(text: str) -> str:
    """RTF text: ``\\ { }`` escaped, line breaks and tabs as controls, everything beyond
    ASCII as ``\\uN?`` (shared by the bibliography and ``exilebib doc``'s writer)."""
    out = []
    for char in text:
        code = ord(char)
        if char in "\\{}":
            out.append("\\" + char)
        elif char == "\n":
            out.append(r"\line ")
        elif char == "\t":
            out.append(r"\tab ")
        elif code < 128:
            out.append(char)
        elif code <= 0xFFFF:
            # \uN takes a signed 16-bit number; "?" is the fallback for old readers.
            out.append(f"\\u{code if code < 32768 else code - 65536}?")
        else:
            high, low = divmod(code - 0x10000, 0x400)
            out.extend(f"\\u{unit - 65536}?" for unit in (0xD800 + high, 0xDC00 + low))
    return "".join(out)


def _linked(text: str) -> str:
    """``text`` escaped, each URL in it a HYPERLINK field whose shown result is the URL."""
    out = []
    position = 0
    for match in URL.finditer(text):
        url = escape(match.group(0))
        out.append(escape(text[position : match.start()]))
        out.append(f'{{\\field{{\\*\\fldinst{{HYPERLINK "{url}"}}}}{{\\fldrslt{{{url}}}}}}}')
        position = match.end()
    out.append(escape(text[position:]))
    return "".join(out)


def fragment(html_fragment: str) -> str:
    parts = []
    for run in parse_html(html_fragment):
        controls = "".join(CONTROL_WORDS[m] for m in CONTROL_WORDS if m in run.marks)
        text = _linked(run.text)
        parts.append(f"{{{controls} {text}}}" if controls else text)
    return "".join(parts)


def bibliography(rendering: Rendering) -> str:
    lines = [_HEADER]
    for section in rendering.sections:
        if section.title:
            lines.append(f"{_HEADING}{escape(section.title)}\\b0\\fs24\\par\n")
        for entry in section.entries:
            lines.append(f"{_ENTRY}{fragment(entry.html)}\\par\n")
    lines.append("}\n")
    return "".join(lines)


def paragraphs(html_fragments: Sequence[str]) -> str:
    body = "".join(f"\\pard\\sa120 {fragment(f)}\\par\n" for f in html_fragments)
    return f"{_HEADER}{body}}}\n"

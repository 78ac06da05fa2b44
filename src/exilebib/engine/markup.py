"""The engine's intermediate markup, and its serialisation to text and HTML.

With the rules on, citeproc-py renders into a string in which formatting (italics, bold,
small caps, ...) and quotation marks are delimited by private-use code points instead of
final characters or tags. Only the last stage turns these markers into the output format.
This is how the rules that the CSL specification states about the *structure* of the output
are applied without touching rendered text: quotes nest by depth (flip-flop), punctuation
moves inside a closing quote when the locale asks for it, sort keys are read without
markup, and HTML escaping happens once, on text only.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from enum import IntEnum


#: formatting kinds; each has an opening and a closing marker
class Kind(IntEnum):
    ITALIC = 0
    OBLIQUE = 1
    BOLD = 2
    LIGHT = 3
    UNDERLINE = 4
    SUPERSCRIPT = 5
    SUBSCRIPT = 6
    SMALL_CAPS = 7
    NORMAL_STYLE = 8  # font-style="normal" (flips an enclosing italic back)
    NO_DECORATION = 9


_OPEN_BASE = 0xE000
_CLOSE_BASE = 0xE010
QUOTE_OPEN = "\ue020"
QUOTE_CLOSE = "\ue021"


#: CSL ``display`` values; each has an opening and a closing marker
class Display(IntEnum):
    BLOCK = 0
    LEFT_MARGIN = 1
    RIGHT_INLINE = 2
    INDENT = 3


_DISPLAY_OPEN_BASE = 0xE030
_DISPLAY_CLOSE_BASE = 0xE038
#: the attribute values of cs:* ``display``
DISPLAY_VALUES: dict[str, Display] = {
    "block": Display.BLOCK,
    "left-margin": Display.LEFT_MARGIN,
    "right-inline": Display.RIGHT_INLINE,
    "indent": Display.INDENT,
}


def open_marker(kind: Kind) -> str:
    return chr(_OPEN_BASE + kind)


def close_marker(kind: Kind) -> str:
    return chr(_CLOSE_BASE + kind)


def display_open(kind: Display) -> str:
    return chr(_DISPLAY_OPEN_BASE + kind)


def display_close(kind: Display) -> str:
    return chr(_DISPLAY_CLOSE_BASE + kind)


MARKERS = frozenset(
    [chr(_OPEN_BASE + k) for k in Kind]
    + [chr(_CLOSE_BASE + k) for k in Kind]
    + [QUOTE_OPEN, QUOTE_CLOSE]
    + [display_open(d) for d in Display]
    + [display_close(d) for d in Display]
)
_STRIP_TABLE = {ord(m): None for m in MARKERS}


def strip_markers(text: str) -> str:
    """The text without any marker: the plain content (used for sort keys)."""
    return text.translate(_STRIP_TABLE)


def is_marker(char: str) -> bool:
    return char in MARKERS


def _wrapper(kind: Kind) -> type[str]:
    opener, closer = open_marker(kind), close_marker(kind)

    class Wrapped(str):
        def __new__(cls, text: object) -> Wrapped:
            return super().__new__(cls, f"{opener}{text}{closer}")

    Wrapped.__name__ = kind.name.title().replace("_", "")
    return Wrapped


class MarkupFormatter:
    """A citeproc-py formatter (same attributes as ``citeproc.formatter.html``) that emits
    markers; see :func:`serialize`."""

    Italic = _wrapper(Kind.ITALIC)
    Oblique = _wrapper(Kind.OBLIQUE)
    Bold = _wrapper(Kind.BOLD)
    Light = _wrapper(Kind.LIGHT)
    Underline = _wrapper(Kind.UNDERLINE)
    Superscript = _wrapper(Kind.SUPERSCRIPT)
    Subscript = _wrapper(Kind.SUBSCRIPT)
    SmallCaps = _wrapper(Kind.SMALL_CAPS)

    @staticmethod
    def preformat(text: object) -> str:
        return str(text)


@dataclass(frozen=True, slots=True)
class QuoteStyle:
    """The locale's quotation marks and its ``punctuation-in-quote`` option."""

    open: str = "\u201c"
    close: str = "\u201d"
    inner_open: str = "\u2018"
    inner_close: str = "\u2019"
    punctuation_in_quote: bool = False


_HTML_TAGS: dict[Kind, tuple[str, str]] = {
    Kind.ITALIC: ("<i>", "</i>"),
    Kind.OBLIQUE: ("<i>", "</i>"),
    Kind.BOLD: ("<b>", "</b>"),
    Kind.LIGHT: ('<span style="font-weight:light;">', "</span>"),
    Kind.UNDERLINE: ('<span style="text-decoration:underline;">', "</span>"),
    Kind.SUPERSCRIPT: ("<sup>", "</sup>"),
    Kind.SUBSCRIPT: ("<sub>", "</sub>"),
    Kind.SMALL_CAPS: ('<span style="font-variant:small-caps;">', "</span>"),
    Kind.NORMAL_STYLE: ('<span style="font-style:normal;">', "</span>"),
    Kind.NO_DECORATION: ('<span style="text-decoration:none;">', "</span>"),
}
#: what each display's opening and closing markers become: citeproc-js's output formats
#: (text, then HTML), so entries compare with its output once trimmed
_DISPLAY_OUTPUT: dict[Display, tuple[tuple[str, str], tuple[str, str]]] = {
    Display.BLOCK: (("\n", ""), ('\n\n    <div class="csl-block">', "</div>\n")),
    Display.LEFT_MARGIN: (("", " "), ('\n    <div class="csl-left-margin">', "</div>")),
    Display.RIGHT_INLINE: (("", ""), ('<div class="csl-right-inline">', "</div>\n  ")),
    Display.INDENT: (("\n    ", ""), ('<div class="csl-indent">', "</div>\n  ")),
}
#: display marker -> (text, HTML)
_DISPLAY_MARKS: dict[str, tuple[str, str]] = {
    **{display_open(d): (t[0], h[0]) for d, (t, h) in _DISPLAY_OUTPUT.items()},
    **{display_close(d): (t[1], h[1]) for d, (t, h) in _DISPLAY_OUTPUT.items()},
}
#: superscript characters that HTML output writes as the base character in ``<sup>``, as
#: citeproc-js does ("1ʳᵉ" -> "1<sup>r</sup><sup>e</sup>"): the ones whose Unicode
#: decomposition is ``<super>``, in citeproc-js's set, plus four without one
_SUPERSCRIPT_CHARS = (
    "\u00aa\u00b2\u00b3\u00b9\u00ba" + "".join(map(chr, range(0x02B0, 0x02B9)))
    + "".join(map(chr, range(0x02E0, 0x02E5)))
    + "".join(chr(c) for c in range(0x1D2C, 0x1D62) if c not in (0x1D2F, 0x1D3B, 0x1D4E))
    + "\u2070\u2071" + "".join(map(chr, range(0x2074, 0x2080))) + "\u2120\u2122"
    + "".join(map(chr, range(0x3192, 0x31A0)))
)
_SUPERSCRIPT_BASES = {
    "\u02c0": "\u0294", "\u02c1": "\u0295", "\u06e5": "\u0648", "\u06e6": "\u064a",
}
#: what HTML output writes for a text character other than itself
_HTML_CHARS: dict[str, str] = {
    "&": "&amp;", "<": "&lt;", ">": "&gt;",
    **{
        char: "<sup>" + html.escape(
            "".join(chr(int(code, 16)) for code in unicodedata.decomposition(char).split()[1:])
        ) + "</sup>"
        for char in _SUPERSCRIPT_CHARS
    },
    **{char: f"<sup>{base}</sup>" for char, base in _SUPERSCRIPT_BASES.items()},
}
_NORMAL_STYLE_TAGS = ('<span style="font-style:normal;">', "</span>")
#: the decorations that flip back to normal when nested, and their normal form in HTML
_AXIS_NORMAL: dict[str, tuple[str, str]] = {
    "style": _NORMAL_STYLE_TAGS,
    "weight": ('<span style="font-weight:normal;">', "</span>"),
    "variant": ('<span style="font-variant:normal;">', "</span>"),
}
_KIND_AXIS: dict[Kind, str] = {
    Kind.ITALIC: "style", Kind.OBLIQUE: "style", Kind.BOLD: "weight",
    Kind.SMALL_CAPS: "variant",
}
#: the markers serialize acts on; everything else is text
_SERIALIZED_MARKERS = frozenset(
    {QUOTE_OPEN, QUOTE_CLOSE, *_DISPLAY_MARKS}
    | {chr(_OPEN_BASE + k) for k in Kind} | {chr(_CLOSE_BASE + k) for k in Kind}
)
_MARKER_SPLIT = re.compile("([" + "".join(sorted(_SERIALIZED_MARKERS)) + "])")
_HTML_TABLE = str.maketrans(_HTML_CHARS)
_CLOSERS = frozenset(chr(_CLOSE_BASE + k) for k in Kind) | {QUOTE_CLOSE}
_MOVABLE = ".,"
_TERMINAL = ".?!"


def _move_punctuation(text: str, quotes: QuoteStyle) -> str:
    """CSL 1.0.2 locale option ``punctuation-in-quote``: a period or comma that follows a
    closing quote goes inside it. Independently of the option, a period after a quote that
    already ends in terminal punctuation (``?``, ``!``, ``.``) is dropped, so a question mark
    is never followed by a period."""
    if QUOTE_CLOSE not in text:  # only a closing quote moves anything
        return text
    chars = list(text)
    i = 0
    while i < len(chars):
        if chars[i] != QUOTE_CLOSE:
            i += 1
            continue
        # find the first non-closing character after this run of closers
        j = i
        while j < len(chars) and chars[j] in _CLOSERS:
            j += 1
        if j < len(chars) and chars[j] in _MOVABLE:
            # the last content character before the quote closes
            k = i - 1
            while k >= 0 and chars[k] in MARKERS:
                k -= 1
            before = chars[k] if k >= 0 else ""
            punct = chars[j]
            if before and before in _TERMINAL and punct == ".":
                del chars[j]
                continue
            if quotes.punctuation_in_quote:
                if before == punct:
                    del chars[j]
                    continue
                del chars[j]
                chars.insert(i, punct)
                i += 1
        i += 1
    return "".join(chars)


def serialize(text: str, fmt: str, quotes: QuoteStyle) -> str:
    """Turn marked-up text into ``fmt`` ("text" or "html").

    Quotes alternate between the locale's outer and inner marks by nesting depth (CSL 1.0.2,
    "Quotes": flip-flop), an italic inside an italic comes out upright in HTML, and
    ``display`` parts become citeproc-js's divs (HTML) or line breaks and spaces (text).
    """
    html_out = fmt == "html"
    text = _move_punctuation(text, quotes)
    out: list[str] = []
    quote_depth = 0
    #: how many openers of each axis (style, weight, variant) are open: an odd count means
    #: the text is currently italic / bold / small caps
    depth = dict.fromkeys(_AXIS_NORMAL, 0)
    stack: list[tuple[str, tuple[str, ...]]] = []  # (closing tags, axes it opened)
    # the text between markers goes out in runs (escaped for HTML), markers one by one
    for piece in _MARKER_SPLIT.split(text):
        if len(piece) != 1 or piece not in _SERIALIZED_MARKERS:
            if piece:
                out.append(piece.translate(_HTML_TABLE) if html_out else piece)
            continue
        char = piece
        code = ord(char)
        if char == QUOTE_OPEN:
            out.append(quotes.open if quote_depth % 2 == 0 else quotes.inner_open)
            quote_depth += 1
        elif char == QUOTE_CLOSE:
            quote_depth = max(0, quote_depth - 1)
            out.append(quotes.close if quote_depth % 2 == 0 else quotes.inner_close)
        elif char in _DISPLAY_MARKS:
            out.append(_DISPLAY_MARKS[char][html_out])
        elif _OPEN_BASE <= code < _OPEN_BASE + len(Kind):
            if html_out:
                opened, closing, axes = _open_tags(Kind(code - _OPEN_BASE), depth)
                for axis in axes:
                    depth[axis] += 1
                out.append(opened)
                stack.append((closing, axes))
        elif html_out and stack:  # a closing formatting marker
            closing, axes = stack.pop()
            for axis in axes:
                depth[axis] = max(0, depth[axis] - 1)
            out.append(closing)
    return "".join(out)


def _open_tags(kind: Kind, depth: dict[str, int]) -> tuple[str, str, tuple[str, ...]]:
    """The HTML a formatting marker opens and closes, and the axes it flips.

    Flip-flop (citeproc-js): italic, bold or small caps inside the same decoration comes
    out as its normal form (an italic title inside an italic title is upright); font-style
    normal only matters inside italics; a ``nodecor`` span turns every decoration in force
    back to normal."""
    axis = _KIND_AXIS.get(kind)
    if axis is not None:
        if depth[axis] % 2:
            normal = _AXIS_NORMAL[axis]
            return normal[0], normal[1], (axis,)
        opened, closing = _HTML_TAGS[kind]
        return opened, closing, (axis,)
    if kind == Kind.NORMAL_STYLE:
        if depth["style"] % 2:
            return _NORMAL_STYLE_TAGS[0], _NORMAL_STYLE_TAGS[1], ("style",)
        return "", "", ()
    if kind == Kind.NO_DECORATION:
        axes = tuple(a for a in _AXIS_NORMAL if depth[a] % 2)
        return ("".join(_AXIS_NORMAL[a][0] for a in axes),
                "".join(_AXIS_NORMAL[a][1] for a in reversed(axes)), axes)
    opened, closing = _HTML_TAGS[kind]
    return opened, closing, ()


_DISPLAY_OPENERS = frozenset(display_open(d) for d in Display)
_DISPLAY_CLOSERS = frozenset(display_close(d) for d in Display)


def trim_display(marked: str, serialized: str) -> str:
    """``serialized`` (from ``marked``) without the line breaks and indentation that an
    entry's first or last display block puts around it: the entry as CSL processors hand
    it over (citeproc-js's entries, trimmed). Other leading or trailing spaces stay."""
    if marked[:1] in _DISPLAY_OPENERS:
        serialized = serialized.lstrip()
    if marked[-1:] in _DISPLAY_CLOSERS:
        serialized = serialized.rstrip()
    return serialized

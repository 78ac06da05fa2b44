"""The engine's HTML output as a list of styled runs, for formats other than HTML.

CSL processors mark up their output with a handful of inline tags (``<i>``, ``<b>``,
``<sup>``, ``<sub>``, small caps and "normal" spans); every non-HTML format is a
serialisation of the same runs, so the style's formatting reaches Markdown and RTF intact.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from html.parser import HTMLParser


class Mark(enum.Enum):
    """An inline formatting a run can carry."""

    ITALIC = "italic"
    BOLD = "bold"
    SMALL_CAPS = "small-caps"
    SUPERSCRIPT = "superscript"
    SUBSCRIPT = "subscript"
    UNDERLINE = "underline"


@dataclass(frozen=True, slots=True)
class Run:
    """Text with the set of marks that apply to all of it."""

    text: str
    marks: frozenset[Mark]


_TAG_MARKS: dict[str, Mark] = {
    "i": Mark.ITALIC,
    "em": Mark.ITALIC,
    "b": Mark.BOLD,
    "strong": Mark.BOLD,
    "sup": Mark.SUPERSCRIPT,
    "sub": Mark.SUBSCRIPT,
    "u": Mark.UNDERLINE,
}


#: CSL ``display`` blocks (citeproc-js's divs): the text put before and after each, as
#: citeproc-js writes them in plain text (a left-margin number is followed by a space),
#: except that a block (an author as heading) is a line of its own
_DISPLAY_TEXT: dict[str, tuple[str, str]] = {
    "csl-block": ("\n", "\n"),
    "csl-left-margin": ("", " "),
    "csl-right-inline": ("", ""),
    "csl-indent": ("\n    ", ""),
}


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.runs: list[Run] = []
        # Each open tag pushes (marks added, marks removed) so closing restores the state.
        self.stack: list[tuple[frozenset[Mark], frozenset[Mark]]] = []
        self.marks: frozenset[Mark] = frozenset()
        #: for each open tag, the text a display block puts after itself (None otherwise)
        self.blocks: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        added: set[Mark] = set()
        removed: set[Mark] = set()
        display = _DISPLAY_TEXT.get(dict(attrs).get("class") or "") if tag == "div" else None
        if display is not None and display[0] and self.runs:  # no break before the text
            self._append(display[0], frozenset())
        self.blocks.append(display[1] if display is not None else None)
        if tag in _TAG_MARKS:
            added.add(_TAG_MARKS[tag])
        style = (dict(attrs).get("style") or "").replace(" ", "").lower()
        if "font-variant:small-caps" in style:
            added.add(Mark.SMALL_CAPS)
        if "font-style:normal" in style:
            removed.add(Mark.ITALIC)
        if "font-weight:normal" in style:
            removed.add(Mark.BOLD)
        if "font-variant:normal" in style:
            removed.add(Mark.SMALL_CAPS)
        self.stack.append((frozenset(added), frozenset(removed)))
        self.marks = (self.marks - removed) | added

    def handle_endtag(self, tag: str) -> None:
        if not self.stack:
            return
        self.stack.pop()
        after = self.blocks.pop()
        if after:
            self._append(after, frozenset())
        marks: frozenset[Mark] = frozenset()
        for added, removed in self.stack:
            marks = (marks - removed) | added
        self.marks = marks

    def handle_data(self, data: str) -> None:
        if not data or (not data.strip() and "\n" in data):
            return  # the layout of display divs, not text (entries have no line breaks)
        self._append(data, self.marks)

    def _append(self, data: str, marks: frozenset[Mark]) -> None:
        if self.runs and self.runs[-1].marks == marks:
            self.runs[-1] = Run(self.runs[-1].text + data, marks)
        else:
            self.runs.append(Run(data, marks))


def parse_html(fragment: str) -> tuple[Run, ...]:
    """Runs of an HTML fragment as CSL processors write it."""
    parser = _Parser()
    parser.feed(fragment)
    parser.close()
    return tuple(parser.runs)


def plain(fragment: str) -> str:
    """The text of an HTML fragment, without markup."""
    return "".join(run.text for run in parse_html(fragment))

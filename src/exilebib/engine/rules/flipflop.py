"""CSL 1.0.2 quotes and rich text in field values: nested-quote flip-flop.

Spec, ``quotes`` formatting attribute: "Quoted text ... When a quoted term is nested inside
another, the inner quotes are rendered with the open-inner-quote/close-inner-quote terms"
and Appendix VI "Rich Text Markup Within Fields": ``<i>``, ``<b>``, ``<sc>``, ``<sup>``,
``<sub>``, ``<span style="font-variant:small-caps;">``, ``<span class="nocase">`` and
``<span class="nodecor">`` (every decoration back to normal, and no text-case, as in
citeproc-js) in a value are formatting, and quotation marks in a value are quotes
(citeproc-js treats straight and typographic double and single quotes so; an apostrophe
becomes ’).

citeproc-py adds the locale's outer quotes around a quoted title whatever it contains
(``the “Fourth International””``) and escapes markup in values. Here quotes become
structure: a cs:text with ``quotes="true"`` and every quote pair found in a value become
quote markers, and :func:`exilebib.engine.markup.serialize` picks outer or inner marks by
depth when the output is written.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from citeproc.model import Quoted
from citeproc.source.json import CiteProcJSON
from citeproc.string import MixedString, NoCase, String

from exilebib.engine.markup import (
    QUOTE_CLOSE,
    QUOTE_OPEN,
    Kind,
    close_marker,
    open_marker,
)
from exilebib.engine.rules.punctuation_seams import enclosed
from exilebib.engine.rules.targets import replace_direct
from exilebib.engine.types import Element, RichText

_TAGS: dict[str, Kind] = {
    "i": Kind.ITALIC,
    "b": Kind.BOLD,
    "sup": Kind.SUPERSCRIPT,
    "sub": Kind.SUBSCRIPT,
    "sc": Kind.SMALL_CAPS,
}
_TOKEN = re.compile(
    r'(<(/?)(i|b|sup|sub|sc)>|<span\s+style="font-variant:\s*small-caps;?">'
    r'|<span\s+class="nocase">|<span\s+class="nodecor">|</span>'
    r'|["\u201c\u201d\u2018\u2019\'])',
    re.I,
)
_OPENERS_BEFORE = set(" \t\n([{\u2014\u2013-/") | {""}


def _is_word(char: str) -> bool:
    return char.isalnum()


def parse_rich_text(value: str) -> RichText:
    """A value with its markup and quotes as markers (a MixedString; nocase spans kept)."""
    if not _TOKEN.search(value):
        plain: RichText = MixedString([String(value)]) if value else MixedString()
        return plain
    # the pieces in order: each one's text (changed below where a quote or tag is left
    # open) and whether it is case-protected
    texts: list[str] = []
    nocases: list[bool] = []
    stack: list[tuple[str, int]] = []  # (kind of open thing, index in texts)
    nocase = 0
    quote_openers: set[int] = set()

    def emit(text: str) -> int:
        texts.append(text)
        nocases.append(nocase > 0)
        return len(texts) - 1

    pos = 0
    for match in _TOKEN.finditer(value):
        if match.start() > pos:
            emit(value[pos:match.start()])
        token = match.group(0)
        before = value[match.start() - 1] if match.start() > 0 else ""
        after = value[match.end()] if match.end() < len(value) else ""
        lower = token.lower()
        pos = match.end()
        if match.group(3):
            kind = _TAGS[match.group(3).lower()]
            if match.group(2):
                if stack and stack[-1][0] == f"tag:{kind}":
                    stack.pop()
                    emit(close_marker(kind))
                else:
                    emit(token)
            else:
                stack.append((f"tag:{kind}", emit(open_marker(kind))))
            continue
        if lower.startswith("<span"):
            if "nocase" in lower:
                stack.append(("nocase", emit("")))
                nocase += 1
            elif "nodecor" in lower:
                stack.append((f"tag:{Kind.NO_DECORATION}", emit(open_marker(Kind.NO_DECORATION))))
                nocase += 1
            else:
                stack.append((f"tag:{Kind.SMALL_CAPS}", emit(open_marker(Kind.SMALL_CAPS))))
            continue
        if lower == "</span>":
            if stack and stack[-1][0] == "nocase":
                stack.pop()
                nocase -= 1
            elif stack and stack[-1][0] in (f"tag:{Kind.SMALL_CAPS}",
                                            f"tag:{Kind.NO_DECORATION}"):
                kind = Kind.SMALL_CAPS if stack.pop()[0] == f"tag:{Kind.SMALL_CAPS}" \
                    else Kind.NO_DECORATION
                emit(close_marker(kind))
                if kind == Kind.NO_DECORATION:
                    nocase -= 1
            else:
                emit(token)
            continue
        # quotation marks
        top = stack[-1][0] if stack else ""
        if token in ('"', "\u201c", "\u201d"):
            # a quote after a space closes nothing (citeproc-js): 'of "Obligations " of'
            if top == "dq" and token != "\u201c" and not before.isspace():
                stack.pop()
                emit(QUOTE_CLOSE)
            elif token != "\u201d" and after and not after.isspace():
                stack.append(("dq", emit(token)))
                quote_openers.add(stack[-1][1])
            else:
                emit(token)
            continue
        # single quotes and apostrophes
        if token in ("'", "\u2019") and top == "sq" and not _is_word(after):
            stack.pop()
            emit(QUOTE_CLOSE)
        elif token in ("'", "\u2018") and before in _OPENERS_BEFORE | set("\u201c\"") \
                and after and not after.isspace():
            stack.append(("sq", emit(token)))
            quote_openers.add(stack[-1][1])
        else:
            emit("\u2019")
    if pos < len(value):
        emit(value[pos:])
    # openers never closed stay literal; closed ones become markers
    open_indexes = {index for _kind, index in stack}
    for opened, index in stack:
        if opened.startswith("tag:"):
            texts[index] = ""  # an unclosed tag formats nothing
        if opened in ("dq", "sq"):
            original = texts[index]
            texts[index] = "\u2019" if original == "'" else original
    for index in quote_openers - open_indexes:
        texts[index] = QUOTE_OPEN
    # one segment per run of equal case-protection, so markers stay inside words
    merged: list[tuple[str, bool]] = []
    for text, is_nocase in zip(texts, nocases, strict=True):
        if not text:
            continue
        if merged and merged[-1][1] == is_nocase:
            merged[-1] = (merged[-1][0] + text, is_nocase)
        else:
            merged.append((text, is_nocase))
    rich: RichText = MixedString([NoCase(t) if nc else String(t) for t, nc in merged])
    return rich


@replace_direct(CiteProcJSON, "parse_string")
def parse_string(original: Callable[[object, object], RichText]) -> Callable[..., RichText]:
    def parse_string(self: object, string: object) -> RichText:
        return parse_rich_text(str(string))

    return parse_string


#: ``Quoted.quote(self, string)``: the rendered text of a cs:text, quoted if it asks
QuoteMethod = Callable[[Element, RichText], RichText]


@replace_direct(Quoted, "quote")
def quote(original: QuoteMethod) -> QuoteMethod:
    def quote(self: Element, string: RichText) -> RichText:
        if self.get("quotes", "false").lower() == "true":
            return enclosed(QUOTE_OPEN, string, QUOTE_CLOSE)
        return string

    return quote

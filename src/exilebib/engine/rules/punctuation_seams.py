"""Punctuation where two rendered pieces meet: no doubled or clashing marks at a seam.

CSL 1.0.2 leaves the joining of affixes and delimiters to rendered text to the processor;
the reference processor (citeproc-js) merges the punctuation on both sides of a seam, so a
title that ends in "?" or "!" takes no period from the next element's prefix ("Why Did It
Fail? 2nd ed.", not "Fail?. 2nd ed."), and a title ending in a period takes no second one.
citeproc-py merges only two identical marks, and only when they touch: with exilebib's
markup a closing formatting marker (an italic title) sits between them, so "Done.." and
"Wow!." reached the reader.

This rule applies where the engine joins pieces: affixes (``Affixed.wrap``), delimiters
(``Delimited.join`` and :func:`join`, which the other rules use); never inside a variable's
own text, so an ellipsis in a title is never touched. At each such seam it applies the
marks below first and then citeproc-py's own ``normalize_seam`` (a doubled space, a doubled
mark that touches). It looks through closing formatting markers on the left, never through a closing
quote (punctuation at a quote is :mod:`exilebib.engine.markup`'s ``punctuation-in-quote``),
and drops the right-hand mark where citeproc-js keeps only the left one:

- the same mark twice (". ." -> ".", ", ," -> ",", ...);
- "?" or "!" followed by "." or ":";
- ":" followed by ".";  ";" followed by "." or ":".

The pairs where citeproc-js keeps the *right* mark instead (":" then "?") would need the
already-joined left side rewritten; they are rare in styles and left as citeproc-py has them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar, cast, overload

import citeproc.string
from citeproc.model import Affixed, Delimited
from citeproc.string import MixedString, String

from exilebib.engine.markup import QUOTE_CLOSE, is_marker
from exilebib.engine.rules.targets import replace_direct
from exilebib.engine.types import Element, Rendered, RichText

#: a piece of rendered text: citeproc-py's rich text, or a plain ``str`` (an affix, a
#: delimiter, a value passed through); a piece keeps its class at a seam
Piece = TypeVar("Piece", bound="RichText | str")

#: (mark ending the left side, mark starting the right side) where the right one is dropped
DROP_RIGHT = frozenset(
    {(mark, mark) for mark in ".,;:!?"}
    | {("?", "."), ("!", "."), ("?", ":"), ("!", ":"), (":", "."), (";", "."), (";", ":")}
)


#: the first characters of a piece that a seam may change: a space after a space, a
#: punctuation mark after a mark (DROP_RIGHT, and citeproc-py's SEAM_PUNCTUATION)
_SEAM_FIRST = frozenset(" .,;:!?") | citeproc.string.SEAM_PUNCTUATION


def _first_of(text: object) -> str:
    """The first character of ``text`` ("" if none), read without making rich text a
    string (a MixedString's ``str`` joins all its segments)."""
    if isinstance(text, MixedString):
        for segment in text:
            char = _first_of(segment)
            if char:
                return char
        return ""
    return text[:1] if isinstance(text, str) else str(text)[:1]


def _last_of(text: object) -> str:
    """The last character of ``text`` ("" if none), as :func:`_first_of` reads it."""
    if isinstance(text, MixedString):
        for segment in reversed(text):
            char = _last_of(segment)
            if char:
                return char
        return ""
    return text[-1:] if isinstance(text, str) else str(text)[-1:]


def _visible_back(text: object) -> str | None:
    """:func:`_last_char` of ``text``, segment by segment; None where it has no character
    that decides (only markers, or nothing)."""
    if isinstance(text, MixedString):
        for segment in reversed(text):
            found = _visible_back(segment)
            if found is not None:
                return found
        return None
    for char in reversed(text if isinstance(text, str) else str(text)):
        if char == QUOTE_CLOSE:
            return ""
        if not is_marker(char):
            return char
    return None


def _last_char(text: object) -> str:
    """The last character of ``text`` that is not a formatting marker ("" if a closing
    quote comes first: punctuation there belongs to the quote rules)."""
    return _visible_back(text) or ""


def _citeproc_seam(last: str, first: str, piece: Piece) -> Piece:
    """citeproc-py's ``normalize_seam`` from the two characters at the seam: ``piece``
    less its first character after a space that it repeats or a mark it doubles."""
    if last and ((last == " " and first == " ")
                 or (last == first and first in citeproc.string.SEAM_PUNCTUATION)):
        stripped: Piece = citeproc.string._strip_first_char(piece)
        return stripped
    return piece


def _without_first_char(other: Piece) -> Piece:
    """``other`` less its first character, keeping its segments (nocase, markup)."""
    if isinstance(other, MixedString):
        segments = list(other)
        head = type(segments[0])(str(segments[0])[1:])
        rest: Piece = MixedString(([head] if head else []) + segments[1:])
        return rest
    if isinstance(other, str):  # a String, a NoCase or a plain str: the same class
        return type(other)(str(other)[1:])
    return other  # (there is no other kind of rich text)


def normalize_seam(left: RichText | str, other: Piece) -> Piece:
    """``other`` as it is appended to ``left``: its first mark dropped where
    :data:`DROP_RIGHT` says so, then citeproc-py's seam rules."""
    first = _first_of(other)
    if not first or first not in _SEAM_FIRST:  # citeproc-py's rules change nothing then
        return other
    if first != " " and (_last_char(left), first) in DROP_RIGHT:
        return _without_first_char(other)
    # citeproc-py's gives back ``other`` or ``other`` less its first character, same class
    return _citeproc_seam(_last_of(left), first, other)


@overload
def join(items: Iterable[RichText], delimiter: RichText | str = "") -> RichText: ...
@overload
def join(items: Iterable[RichText | str], delimiter: RichText | str = "") -> RichText | str: ...


def join(items: Iterable[RichText | str], delimiter: RichText | str = "") -> RichText | str:
    """The items joined by ``delimiter``, each seam through :func:`normalize_seam` (a
    single item comes back as it is: plain ``str`` pieces may give a ``str``).

    The result is what ``output + normalize_seam(output, piece)`` gives for each
    delimiter and item in turn, built by :class:`_Joined` where the output is rich text:
    citeproc-py's ``+`` turns the whole output into text at every seam to read its last
    character, which made joining quadratic in the pieces."""
    pieces = iter(items)
    output = next(pieces, None)
    if output is None:
        empty: RichText = String("")
        return empty
    if not isinstance(output, (String, MixedString)):  # plain text adds as str does
        for item in pieces:
            output = output + normalize_seam(output, delimiter)
            output = output + normalize_seam(output, item)
        return output
    joined = _Joined(output)
    for item in pieces:
        joined.add_seamed(delimiter)
        joined.add_seamed(item)
    return joined.result()


class _Joined:
    """Rich text as ``output + piece`` builds it, piece after piece (``String.__add__`` and
    ``MixedString.__add__``: an empty piece changes nothing, a String becomes a
    MixedString of itself, citeproc-py's seam rule trims the piece, a MixedString's
    segments are taken over), keeping the output's segments and last character instead of
    its text."""

    __slots__ = ("first", "segments", "tail")

    def __init__(self, first: RichText) -> None:
        self.first = first
        #: the segments once the output is no longer ``first`` itself
        self.segments: list[object] | None = None
        #: the output's last character ("" while it is empty)
        self.tail = _last_of(first)

    def _last_char(self) -> str:
        """:func:`_last_char` of the output's text, read from its end."""
        if self.segments is None:
            return _last_char(self.first)
        for segment in reversed(self.segments):
            found = _visible_back(segment)
            if found is not None:
                return found
        return ""

    def add_seamed(self, piece: RichText | str) -> None:
        """``output + normalize_seam(output, piece)``."""
        first = _first_of(piece)
        if first and first in _SEAM_FIRST:
            if first != " " and (self._last_char(), first) in DROP_RIGHT:
                piece = _without_first_char(piece)
            else:
                piece = _citeproc_seam(self.tail, first, piece)
        self._add(piece)

    def _add(self, piece: RichText | str) -> None:
        """``output + piece`` (the piece already through normalize_seam)."""
        if isinstance(piece, str) and piece == "":
            return
        if self.segments is None and not isinstance(self.first, MixedString):
            # String.__add__: a MixedString of the String from here on, whatever follows
            self.segments = [self.first]
        # MixedString.__add__'s own seam rule, on what normalize_seam gave
        first = _first_of(piece)
        if first:
            piece = _citeproc_seam(self.tail, first, piece)
        if (isinstance(piece, str) and piece == "") or (isinstance(piece, list) and not piece):
            return  # MixedString.__add__ gives the output back as it was
        if self.segments is None:  # (a MixedString is a list of its segments)
            self.segments = list(cast("list[object]", self.first))
        if isinstance(piece, list):
            self.segments.extend(piece)
        else:
            self.segments.append(piece)
        last = _last_of(piece)
        if last:
            self.tail = last

    def result(self) -> RichText:
        if self.segments is None:
            return self.first
        joined: RichText = MixedString(self.segments)
        return joined


#: ``Affixed.wrap(self, string)``: rendered text with the element's affixes
WrapMethod = Callable[[Element, Rendered], Rendered]


def affixed(prefix: str, string: RichText | str, suffix: str) -> RichText | str:
    """``string`` with its affixes: ``prefix + normalize_seam(prefix, string)``, then the
    suffix added the same way, built by :class:`_Joined` where the text is rich (citeproc-py's
    ``+`` turned the text into a plain string three times to find the two seams)."""
    if not isinstance(string, (String, MixedString)):  # plain text adds as str does
        text = prefix + normalize_seam(prefix, string)
        return text + normalize_seam(text, suffix)
    # ``prefix + rich`` is the MixedString of the prefix plus the rich text
    joined = _Joined(MixedString([prefix])) if prefix else _Joined(string)
    if prefix:
        joined.add_seamed(string)
    joined.add_seamed(suffix)
    return joined.result()


@overload
def enclosed(opener: str, string: RichText, closer: str) -> RichText: ...
@overload
def enclosed(opener: str, string: RichText | str, closer: str) -> RichText | str: ...


def enclosed(opener: str, string: RichText | str, closer: str) -> RichText | str:
    """``opener + string + closer`` (no seam rule of this module: markers, such as the
    quotation marks' stand-ins), built by :class:`_Joined` where ``string`` is rich."""
    if not isinstance(string, (String, MixedString)):
        return opener + string + closer
    joined = _Joined(MixedString([opener]))  # str + rich text: the rich text's __radd__
    joined._add(string)
    joined._add(closer)
    return joined.result()


@replace_direct(Affixed, "wrap")
def wrap(original: WrapMethod) -> WrapMethod:
    def wrap(self: Element, string: Rendered) -> Rendered:
        if string is None:
            return None
        return affixed(self.get("prefix", ""), string, self.get("suffix", ""))

    return wrap


@replace_direct(Delimited, "join")
def delimited_join(original: Callable[..., Rendered]) -> Callable[..., Rendered]:
    def join_strings(self: Element, strings: Iterable[Rendered], default_delimiter: str = ""
                     ) -> Rendered:
        delimiter = self.get("delimiter", default_delimiter)
        try:
            return join((s for s in strings if s is not None), delimiter)
        except TypeError:  # pieces that cannot be joined (citeproc-py gives up the same way)
            empty: RichText = String("")
            return empty

    return join_strings

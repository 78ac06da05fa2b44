"""Punctuation where two rendered pieces meet: no doubled or clashing marks at a seam.

CSL 1.0.2 leaves the joining of affixes and delimiters to rendered text to the processor;
the reference processor (citeproc-js) merges the punctuation on both sides of a seam, so a
title that ends in "?" or "!" takes no period from the next element's prefix ("Why Did It
Fail? 2nd ed.", not "Fail?. 2nd ed."), and a title ending in a period takes no second one.
citeproc-py merges only two identical marks, and only when they touch: with exilebib's
markup a closing formatting marker (an italic title) sits between them, so "Done.." and
"Wow!." reached the reader.

This rule takes over citeproc-py's ``normalize_seam`` (called for every affix, delimiter
and concatenation, never inside a variable's own text, so an ellipsis in a title is never
touched). It looks through closing formatting markers on the left, never through a closing
quote (punctuation at a quote is :mod:`exilebib.engine.markup`'s ``punctuation-in-quote``),
and drops the right-hand mark where citeproc-js keeps only the left one:

- the same mark twice (". ." -> ".", ", ," -> ",", ...);
- "?" or "!" followed by "." or ":";
- ":" followed by ".";  ";" followed by "." or ":".

The pairs where citeproc-js keeps the *right* mark instead (":" then "?") would need the
already-joined left side rewritten; they are rare in styles and left as citeproc-py has them.
"""

from __future__ import annotations

from typing import Any

import citeproc.model
import citeproc.string

from exilebib.engine.markup import QUOTE_CLOSE, is_marker
from exilebib.engine.rules._switch import replace_direct

#: (mark ending the left side, mark starting the right side) where the right one is dropped
DROP_RIGHT = frozenset(
    {(mark, mark) for mark in ".,;:!?"}
    | {("?", "."), ("!", "."), ("?", ":"), ("!", ":"), (":", "."), (";", "."), (";", ":")}
)


def _last_char(text: str) -> str:
    """The last character of ``text`` that is not a formatting marker ("" if a closing
    quote comes first: punctuation there belongs to the quote rules)."""
    for char in reversed(text):
        if char == QUOTE_CLOSE:
            return ""
        if not is_marker(char):
            return char
    return ""


def _seam(original: Any) -> Any:
    def normalize_seam(left: Any, other: Any) -> Any:
        other_text = str(other)
        if other_text:
            first = other_text[0]
            if first in ".,;:!?" and (_last_char(str(left)), first) in DROP_RIGHT:
                return citeproc.string._strip_first_char(other)
        return original(left, other)

    return normalize_seam


# citeproc-py looks the function up by name in both modules (string: concatenation and
# join; model: affixes), so both names are replaced; directly, as seams are many.
replace_direct(citeproc.string, "normalize_seam")(_seam)
replace_direct(citeproc.model, "normalize_seam")(_seam)

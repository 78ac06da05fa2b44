"""punctuation_seams.join builds what joining with citeproc-py's ``+`` builds: the same
text and the same segments (nocase spans, markers), for any pieces and delimiter."""

from __future__ import annotations

from typing import Any

import citeproc.string
from citeproc.string import MixedString, NoCase, String
from hypothesis import given, settings
from hypothesis import strategies as st

from exilebib.engine.markup import (
    QUOTE_CLOSE,
    QUOTE_OPEN,
    Kind,
    MarkupFormatter,
    close_marker,
    is_marker,
)
from exilebib.engine.rules.punctuation_seams import (
    DROP_RIGHT,
    _without_first_char,
    affixed,
    enclosed,
    join,
    normalize_seam,
)

# the characters the seam rules look at, a marker and some letters
_TEXT = st.text(alphabet=" .,;:!?ab" + QUOTE_OPEN + QUOTE_CLOSE + close_marker(next(iter(Kind))),
                max_size=4)
_SEGMENT = st.one_of(_TEXT.map(String), _TEXT.map(NoCase))
_PIECE: st.SearchStrategy[Any] = st.one_of(
    _SEGMENT,
    st.lists(_SEGMENT, max_size=3).map(MixedString),
    _TEXT,
)


def _added(items: list[Any], delimiter: Any) -> Any:
    """The join as ``output + normalize_seam(output, piece)`` for each piece in turn."""
    output = items[0]
    for item in items[1:]:
        output = output + normalize_seam(output, delimiter)
        output = output + normalize_seam(output, item)
    return output


def _shape(text: Any) -> Any:
    if isinstance(text, MixedString):
        return ("mixed", [(type(segment).__name__, str(segment)) for segment in text])
    return (type(text).__name__, str(text))


#: a piece a join may be given: rich text, plain text, formatted plain text (the markup
#: formatter's str subclasses, which add as str does)
_ITEM: st.SearchStrategy[Any] = st.one_of(
    _SEGMENT, st.lists(_SEGMENT, max_size=3).map(MixedString), _TEXT,
    _TEXT.map(MarkupFormatter.Italic))


@settings(max_examples=3000, deadline=None)
@given(st.lists(_ITEM, min_size=1, max_size=5), st.one_of(_PIECE, _ITEM))
def test_join_builds_what_adding_builds(items: list[Any], delimiter: Any) -> None:
    assert _shape(join(items, delimiter)) == _shape(_added(items, delimiter))


def test_a_single_item_comes_back_as_it_is() -> None:
    item = MixedString([String("a")])
    assert join([item], ", ") is item


_AFFIX = _TEXT  # an affix is plain text (a style's attribute)


@settings(max_examples=3000, deadline=None)
@given(_AFFIX, _PIECE, _AFFIX)
def test_affixes_build_what_adding_builds(prefix: str, string: Any, suffix: str) -> None:
    """``affixed`` is citeproc-py's ``Affixed.wrap`` with the seam rules: the prefix, the
    text and the suffix, each added with ``+`` after its seam."""
    text = prefix + normalize_seam(prefix, string)
    expected = text + normalize_seam(text, suffix)
    assert _shape(affixed(prefix, string, suffix)) == _shape(expected)


# rich text as renders nest it: a MixedString may hold MixedStrings (citeproc-py's __radd__)
_NESTED: st.SearchStrategy[Any] = st.recursive(
    _PIECE, lambda inner: st.lists(inner, max_size=3).map(MixedString), max_leaves=6)


def _seam_as_text(left: Any, other: Any) -> Any:
    """normalize_seam as it was written on the texts: the whole left side and piece made
    strings, the left side's last character that is not a marker (none after a closing
    quote), then citeproc-py's own rule."""
    text = str(other)
    if not text or text[0] not in " .,;:!?" + "".join(citeproc.string.SEAM_PUNCTUATION):
        return other
    last = ""
    for char in reversed(str(left)):
        if char == QUOTE_CLOSE:
            break
        if not is_marker(char):
            last = char
            break
    if text[0] != " " and (last, text[0]) in DROP_RIGHT:
        return _without_first_char(other)
    return citeproc.string.normalize_seam(left, other)


@settings(max_examples=3000, deadline=None)
@given(_NESTED, _NESTED)
def test_a_seam_reads_the_same_characters_as_the_texts(left: Any, other: Any) -> None:
    """normalize_seam reads the characters at the seam segment by segment: the same
    answer as reading the whole texts, for nested rich text and empty segments too."""
    assert _shape(normalize_seam(left, other)) == _shape(_seam_as_text(left, other))


@settings(max_examples=2000, deadline=None)
@given(st.lists(_NESTED, min_size=1, max_size=4), _PIECE)
def test_join_of_nested_rich_text_builds_what_adding_builds(items: list[Any],
                                                            delimiter: Any) -> None:
    assert _shape(join(items, delimiter)) == _shape(_added(items, delimiter))


@settings(max_examples=2000, deadline=None)
@given(st.one_of(_ITEM, _NESTED))
def test_enclosed_builds_what_adding_builds(string: Any) -> None:
    """Quotation marks (markers) around rendered text, as ``+`` puts them."""
    assert (_shape(enclosed(QUOTE_OPEN, string, QUOTE_CLOSE))
            == _shape(QUOTE_OPEN + string + QUOTE_CLOSE))

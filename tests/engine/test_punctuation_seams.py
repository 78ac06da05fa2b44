"""punctuation_seams.join builds what joining with citeproc-py's ``+`` builds: the same
text and the same segments (nocase spans, markers), for any pieces and delimiter."""

from __future__ import annotations

from typing import Any

from citeproc.string import MixedString, NoCase, String
from hypothesis import given, settings
from hypothesis import strategies as st

from exilebib.engine.markup import QUOTE_CLOSE, QUOTE_OPEN, Kind, close_marker
from exilebib.engine.rules.punctuation_seams import affixed, join, normalize_seam

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


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.one_of(_SEGMENT, st.lists(_SEGMENT, max_size=3).map(MixedString)),
                min_size=1, max_size=5), _PIECE)
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

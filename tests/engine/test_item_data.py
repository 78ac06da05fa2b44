"""The engine's reading of CSL-JSON items (rules/item_data.py): the same data citeproc-py's
reader gives, in the engine's classes, and malformed data as an error naming the item."""

from __future__ import annotations

from typing import Any

import pytest
from citeproc import source as plain
from citeproc.source import VariableError
from citeproc.source.json import CiteProcJSON as PlainCiteProcJSON
from citeproc.string import MixedString, String

from exilebib.engine import Engine, elements
from exilebib.engine.rules import item_data
from exilebib.errors import RenderError

ITEMS: list[dict[str, Any]] = [
    {
        "id": "Mixed-Case", "type": "chapter",
        "title": "On <i>Exile</i> and 'return' to <span class=\"nocase\">eBay</span>",
        "author": [{"family": "Deutscher", "given": "Isaac"}, {"literal": "Unesco"}],
        "editor": [{"family": "Beauvoir", "given": "Simone", "non-dropping-particle": "de"}],
        "container-title": "Essays", "shortTitle": "Exile", "language": "en-GB",
        "issued": {"date-parts": [[1963, "5", 2]], "circa": 1},
        "accessed": {"date-parts": [[2024, 12], [2025, 1]], "season": 2},
        "original-date": {"literal": "Spring 1920"},
        "event-date": {"raw": "nothing"}, "key": "ignored", "page": 12, "note": "x",
    },
    {"id": 7, "type": "book", "title": "Numbered", "issued": {"date-parts": []}},
]


def _plain_reading(items: list[dict[str, Any]]) -> Any:
    """What citeproc-py's own reader makes of ``items`` with the engine's field parsing."""
    source: Any = elements.CiteProcJSON.__new__(elements.CiteProcJSON)
    PlainCiteProcJSON.__init__(source, items)
    return source


def _shape(value: Any) -> Any:
    """A value's type and contents, recursively, keys in their order (a field that is one
    plain String is that String: the engine keeps it so)."""
    if type(value) is MixedString and len(value) == 1 and type(next(iter(value))) is String:
        value = next(iter(value))
    if isinstance(value, dict):
        return ("dict", [(key, _shape(inner)) for key, inner in value.items()])
    if isinstance(value, list):
        return (type(value).__name__, [_shape(inner) for inner in value])
    return (type(value).__name__, value)


def test_the_engine_reads_what_citeproc_reads() -> None:
    ours = elements.CiteProcJSON(ITEMS)
    theirs = _plain_reading(ITEMS)
    assert list(ours) == list(theirs) == ["mixed-case", "7"]
    for key in theirs:
        assert _shape(ours[key]) == _shape(theirs[key])
    reference = ours["mixed-case"]
    assert isinstance(reference, item_data.Reference)
    assert isinstance(reference, plain.Reference)
    assert all(isinstance(name, plain.Name) for name in reference["author"])
    assert isinstance(reference["issued"], plain.Date)
    assert isinstance(reference["accessed"], plain.DateRange)
    assert isinstance(reference["original_date"], plain.LiteralDate)
    assert reference["event_date"] is None
    assert type(reference["container_title"]) is String  # plain text: no MixedString
    assert type(reference["title"]) is MixedString  # a nocase span: segments


def test_lookups_raise_what_citeproc_raises() -> None:
    reference = elements.CiteProcJSON(ITEMS)["mixed-case"]
    assert reference.key == "mixed-case"
    assert reference["type"] == "chapter"
    assert reference.issued.year == 1963
    assert reference.get("volume") is None
    with pytest.raises(VariableError):
        reference["volume"]
    with pytest.raises(VariableError):
        reference.volume  # noqa: B018
    with pytest.raises(VariableError):
        reference.issued.day_of_week  # noqa: B018
    cite = elements.CitationItem("Mixed-Case", locator="3")
    assert list(cite.items()) == list(plain.CitationItem("Mixed-Case", locator="3").items())
    assert cite.key == "mixed-case"
    with pytest.raises(VariableError):
        cite.label  # noqa: B018


@pytest.mark.parametrize(("field", "value", "message"), [
    ("author", "Woolf", "'author' must be a list of names"),
    ("author", ["Woolf"], "'author' must hold name objects"),
    ("issued", "2024", "'issued' must be a date object"),
    ("issued", {"date-parts": [[]]}, "'issued' has a date without a year"),
    ("issued", {"date-parts": ["2024"]}, "'issued' has the date '2024' in its date-parts"),
    ("issued", {"date-parts": "2024"}, "'issued' has the date-parts '2024': write them as"),
    ("issued", {"date-parts": 2024}, "'issued' has the date-parts 2024: write them as"),
    ("issued", {"date-parts": [[2024, [5]]]},
     r"'issued' has the date-parts \[\[2024, \[5\]\]\]: a date's parts must be numbers"),
    ("issued", {"date-parts": [[float("inf")]]}, r"'issued' has the date-parts \[\[inf\]\]: a"),
    ("issued", {"date-parts": [[2024]], "season": None},
     "'issued' has the date-parts \\[\\[2024\\]\\] and the season None"),
])
def test_malformed_data_names_the_item_and_the_field(field: str, value: object,
                                                     message: str) -> None:
    """citeproc-py raised a bare TypeError or OverflowError, or read a string's characters
    as date parts."""
    engine = Engine("harvard-cite-them-right", "en-GB")
    item = {"id": "Woolf1929", "type": "book", "title": "A Room", field: value}
    with pytest.raises(RenderError, match=f"item 'Woolf1929': {message}"):
        engine.bibliography([item])


def test_names_may_be_a_tuple() -> None:
    """A name list given as a tuple (JSON has none, Python callers may) reads as a list."""
    engine = Engine("harvard-cite-them-right", "en-GB")
    item = {"id": "a", "type": "book", "title": "A Room", "author": ({"family": "Woolf"},)}
    assert engine.bibliography([item]).entries[0].text == "Woolf (no date) A Room."


def test_csl_1_0_2_name_variables_are_read_as_author_is() -> None:
    """``host`` (a name variable citeproc-py does not know): a name that is not an object is
    the same error as in ``author``; an empty list is no variable, as citeproc-js reads it
    (expected strings from citeproc-js 2.4.63; exilebib printed "Hosted by None")."""
    engine = Engine("chicago-notes-bibliography", "en-US")
    with pytest.raises(RenderError, match="item 'h': 'host' must hold name objects"):
        engine.bibliography([{"id": "h", "type": "broadcast", "title": "T", "host": ["Ann"]}])
    items = [{"id": "h", "type": "broadcast", "title": "T", "host": []},
             {"id": "a", "type": "book", "title": "T2", "author": [],
              "editor": [{"family": "Ed", "given": "X"}]}]
    texts = {entry.id: entry.text for entry in engine.bibliography(items).entries}
    assert texts == {"h": "T. n.d.", "a": "Ed, X., ed. T2. n.d."}

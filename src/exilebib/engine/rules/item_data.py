"""The items' data as the engine reads it: citeproc-py's classes, looked up at dict speed.

Not a CSL rule but the engine's speed and its errors. citeproc-py keeps an item's fields,
its names and its dates in dict subclasses whose ``__getitem__`` is a Python method (it turns
``KeyError`` into ``VariableError``) and whose attributes (``cite.key``, ``date.year``) go
through ``__getattr__`` and then that method: about 170,000 calls for a 5,000-entry
bibliography. Their constructors check keyword sets that the engine has already checked
(:mod:`.input_items`) and only warn about the rest.

The engine's source (``CiteProcJSON``, built by :mod:`exilebib.engine.elements`) therefore
reads CSL-JSON into the subclasses below: the same keys and values as citeproc-py's
reader gives (field names with underscores, names and dates parsed, other fields as rich
text through ``parse_string``; a field of plain text is its one ``String``, not a
``MixedString`` holding it: rendered alike, half the objects for the garbage collector to
walk), a missing key raising ``VariableError`` from ``__missing__``
(dict's own lookup calls it), attributes read in one call. The names the rules make later
(given names expanded by disambiguation, particles parsed, author substitutes) are this
module's :class:`Name` too; a cite (``CitationItem``) is built without citeproc-py's check
of its keyword names as well.

Where citeproc-py's reader failed on malformed data with a bare exception (a name that is
not an object, a date without a year, a date part no number can stand for) or read a
string's characters as date parts, the engine names the item and the field and says what
to write instead (:class:`.input_items.InputItemError`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, NoReturn

import citeproc.source as plain
from citeproc import DATES, NAMES
from citeproc.source import CitationItem, VariableError
from citeproc.source.json import CiteProcJSON
from citeproc.string import String

from exilebib.engine.rules.targets import replace_direct


class ItemDataError(ValueError):
    """Malformed item data in ``field`` of the item filed as ``item`` (input_items names
    the item by the caller's id in its InputItemError)."""

    def __init__(self, item: str, field: str, problem: str) -> None:
        super().__init__(f"'{field}' {problem}")
        self.item = item
        self.field = field


class _DictSpeed:
    """Lookups of citeproc-py's ``CustomDict`` with dict's own ``__getitem__``: a missing key
    still raises ``VariableError``, through ``__missing__``."""

    __slots__ = ()
    __getitem__ = dict.__getitem__

    def __missing__(self, key: object) -> NoReturn:
        raise VariableError

    def __getattr__(self, name: str) -> Any:  # (a field's value, of any kind)
        # (each class below is a dict: __getitem__ is dict's)
        return self[name]  # type: ignore[misc, arg-type]


class Reference(_DictSpeed, plain.Reference):  # type: ignore[misc]  # citeproc is untyped
    """An item's fields (citeproc-py's ``Reference``: ``key`` and ``type`` first)."""

    def __init__(self, key: str, type: object, fields: Mapping[str, object]) -> None:
        dict.__init__(self, key=key, type=type)
        self.update(fields)


class Name(_DictSpeed, plain.Name):  # type: ignore[misc]
    """One name's parts (citeproc-py's ``Name``, which only warns about other keys)."""

    def __init__(self, **parts: object) -> None:
        dict.__init__(self, parts)


def _number(value: object) -> object:
    """A date part as citeproc-py keeps it: a whole number where ``int`` reads one
    ("2024", 2024.0), else as given (a season name)."""
    if type(value) is int:
        return value
    try:
        return int(value)  # type: ignore[call-overload]
    except ValueError:
        return value


class Date(_DictSpeed, plain.Date):  # type: ignore[misc]
    """One date (citeproc-py's ``Date``): its parts in the order given, each read as a
    number where it is one (``circa`` too), ``circa`` added last (False) if not given."""

    def __init__(self, **parts: object) -> None:
        dict.__init__(self)
        for part, value in parts.items():
            self[part] = _number(value)
        if "circa" not in self:
            self["circa"] = False


class DateRange(_DictSpeed, plain.DateRange):  # type: ignore[misc]
    def __init__(self, begin: Date, end: Date, circa: bool = False) -> None:
        dict.__init__(self, begin=begin, end=end, circa=circa)


class LiteralDate(_DictSpeed, plain.LiteralDate):  # type: ignore[misc]
    def __init__(self, text: object, circa: bool = False) -> None:
        dict.__init__(self, text=text, circa=circa)


def _fail(item: str, field: str, problem: str) -> NoReturn:
    raise ItemDataError(item, field, problem)


def read_names(item: str, field: str, value: object) -> list[Name]:
    """A name variable's value as names (``item``: the key the item is filed under)."""
    if not value:  # "", [] or null: no names (as citeproc-py read an empty string)
        return []
    if not isinstance(value, (list, tuple)):
        _fail(item, field, 'must be a list of names ([{"family": "Woolf", "given": '
              '"Virginia"}] or [{"literal": "Unesco"}]), not '
              f"{type(value).__name__}")
    names = []
    for name in value:
        if not isinstance(name, dict) and not isinstance(name, Mapping):  # (dict: fast)
            _fail(item, field, 'must hold name objects ({"family": "Woolf", "given": '
                  f'"Virginia"}}), not {type(name).__name__} {name!r}')
        names.append(Name(**{str(key): part for key, part in name.items()}))
    return names


_DATE_PARTS = ("year", "month", "day")


def _date(item: str, field: str, value: object) -> Date | DateRange | LiteralDate | None:
    """citeproc-py's reading of a CSL-JSON date: the first two date-parts (a range from
    two), else the literal, else none (the date is left out)."""
    if not isinstance(value, dict) and not isinstance(value, Mapping):  # (dict: fast)
        _fail(item, field, 'must be a date object ({"date-parts": [[2024, 5, 1]]} or '
              f'{{"literal": "Spring 2024"}}), not {type(value).__name__} {value!r}')
    circa = value.get("circa", 0) != 0
    listed = value.get("date-parts", [])
    if not isinstance(listed, (list, tuple)):
        _fail(item, field, f"has the date-parts {listed!r}: write them as a list of dates, "
              "each a list [year, month, day] ([[2024, 5, 1]])")
    dates = []
    for parts in listed:
        if not isinstance(parts, (list, tuple)):
            _fail(item, field, f"has the date {parts!r} in its date-parts: write each date "
                  "as a list [year, month, day] ([[2024, 5, 1]])")
        if not parts:
            _fail(item, field, "has a date without a year: give [year, month, day] or "
                  "leave the date out")
        date = dict(zip(_DATE_PARTS, parts, strict=False))
        if "season" in value:
            date["season"] = value["season"]
        dates.append(date)
    try:
        if len(dates) == 1:
            return Date(circa=circa, **dates[0])
        if len(dates) > 1:
            return DateRange(Date(**dates[0]), Date(**dates[1]), circa)
    except (TypeError, OverflowError):  # a part that no number can stand for
        season = f" and the season {value['season']!r}" if "season" in value else ""
        _fail(item, field, f"has the date-parts {listed!r}{season}: a date's parts must be "
              "numbers (a season may be a name)")
    if "literal" in value:
        return LiteralDate(value["literal"], circa)
    return None


#: CSL-JSON fields kept as they are (citeproc-py parses every other plain field as text)
_AS_GIVEN = frozenset({"language"})


@replace_direct(CiteProcJSON, "__init__")
def read_items(original: object) -> Callable[[CiteProcJSON, Iterable[Mapping[str, object]]], None]:
    """The engine's source: each CSL-JSON item (already checked by input_items: it has an
    ``id`` and a ``type``) as a :class:`Reference`, under its id in lower case as
    citeproc-py files it. A field's key has underscores for hyphens; ``shortTitle`` is
    ``title_short``; a field named ``key`` is left out (it would be the reference's key)."""

    def __init__(self: CiteProcJSON, json_data: Iterable[Mapping[str, object]]) -> None:
        for data in json_data:
            key = str(data["id"]).lower()
            fields: dict[str, object] = {}
            for field, value in data.items():
                name = field.replace("-", "_")
                if name in ("id", "type", "key"):
                    continue
                if name == "shortTitle":
                    name = "title_short"
                if name in NAMES:
                    value = read_names(key, field, value)
                    if not value:  # no names: no variable (citeproc-js substitutes then)
                        continue
                elif name in DATES:
                    value = _date(key, field, value)
                elif field not in _AS_GIVEN:
                    value = self.parse_string(value)
                    if len(value) == 1:
                        (segment,) = value
                        if type(segment) is String:
                            value = segment
                fields[name] = value
            self[key] = Reference(key, data["type"], fields)

    return __init__


@replace_direct(CitationItem, "__getattr__")
def cite_attributes(original: object) -> Callable[[CitationItem, str], object]:
    """A cite's attributes (``key``, ``citation``) read in one call, a missing one raising
    ``VariableError`` as citeproc-py's does."""

    def __getattr__(self: CitationItem, name: str) -> object:
        try:
            return dict.__getitem__(self, name)
        except KeyError:
            raise VariableError from None

    return __getattr__


@replace_direct(CitationItem, "__init__")
def new_cite(original: object) -> Callable[..., None]:
    """A cite: its item's key in lower case (as citeproc-py files the item) and what the
    engine gives it (``locator``, ``prefix``, ``suffix``), without citeproc-py's check of
    those names (it only warns). Disambiguation makes one per trial cite."""

    def __init__(self: CitationItem, key: str, bibliography: object = None, **args: object
                 ) -> None:
        dict.__init__(self, key=key.lower())
        self.update(args)

    return __init__

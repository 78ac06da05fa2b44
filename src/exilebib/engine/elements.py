"""exilebib's CSL classes: citeproc-py's classes with the rules of :mod:`.rules` applied.

Design. citeproc-py builds a style's tree through an lxml parser whose class lookup maps
each CSL tag (``text``, ``names``, ``choose``, ...) to a class of :mod:`citeproc.model`.
The engine parses styles and locales with its own parser (:func:`new_parser`), whose lookup
maps each tag to a subclass of citeproc-py's class built here; the subclass carries the
methods the rules override. citeproc-py's classes are never changed, so plain citeproc-py
used elsewhere in the process renders as it always did, and nothing is switched on or off
around a render.

Each rule module names, next to each rule, the method it overrides (the decorators of
:mod:`.rules.targets`). Where several rules override one method, each receives the method
it overrides, so they form a chain: the first rule in :data:`RULE_ORDER` wraps citeproc-py's
method, the next wraps the first, and so on; a rule on a base class (``Parent``) reaches
every subclass that does not define the method itself, exactly as a method defined on the
base would. :data:`RULE_ORDER` is the one place that decides the order, and
``tests/engine/test_elements.py`` pins the chains where the order matters (``Text._variable``
has five rules; reversing them breaks 36 tests).

Besides the element classes, three citeproc-py classes that a render constructs carry rules
too: the source (:class:`CiteProcJSON`: rich text in fields, the items read into the classes
of :mod:`.rules.item_data`), the cite (:class:`CitationItem`, its reference and number looked
up once) and the style (:class:`LoadedStyle`).
"""

from __future__ import annotations

import io
import threading
import warnings
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from types import ModuleType
from typing import Any

from citeproc import model
from citeproc.frontend import CitationStylesBibliography, CitationStylesStyle
from citeproc.source import CitationItem as PlainCitationItem
from citeproc.source.json import CiteProcJSON as PlainCiteProcJSON
from lxml import etree

from exilebib.engine.rules import (
    author_substitute,
    caches,
    choose,
    citation_label,
    citation_layout,
    date_range,
    disambiguation,
    display,
    et_al,
    et_al_subsequent,
    flipflop,
    group_suppression,
    initialize,
    is_numeric,
    item_data,
    label_empty,
    label_plural,
    literal_dates,
    locales,
    localized_dates,
    name_list,
    name_parsing,
    number_range,
    number_variables,
    ordinals,
    page_range,
    positions,
    punctuation_seams,
    reach,
    rendered_dates,
    seasons,
    sort_keys,
    substitute,
    textcase,
)
from exilebib.engine.rules.targets import Target, targets
from exilebib.engine.types import ItemFacts

CSL_NAMESPACE = "http://purl.org/net/xbiblio/csl"

#: The order of the rules. Where rules override the same method, a later module's rule
#: wraps an earlier one's (it sees the earlier rule's result, or decides not to call it);
#: within a module, rules apply in the order they are defined.
RULE_ORDER: tuple[ModuleType, ...] = (
    item_data,          # the items' data read into the engine's classes (speed, errors)
    locales,            # the locale list built from the engine's classes
    punctuation_seams,  # punctuation where affixes and delimiters meet (wrapped by caches)
    name_list,          # how a cs:name prints its names (innermost Name.process)
    author_substitute,  # subsequent-author-substitute: Name/Names.process see names first
    caches,             # constant lookups (terms, macros, options)
    reach,              # children that provably print nothing are skipped
    choose,             # cs:choose tests its branches itself
    positions,          # first-reference-note-number, position tests
    flipflop,           # rich text in fields, quotes as markers
    citation_layout,    # cite affixes, leading-term capitals, citation layout
    localized_dates,    # locale date delimiters
    rendered_dates,     # a date's text, remembered per cs:date (speed)
    seasons,            # months 13-24 are seasons
    date_range,         # date ranges
    name_parsing,       # particles printed against the family name ("d’Jones")
    initialize,         # initialize-with
    disambiguation,     # names, given names, year-suffix, disambiguate condition
    et_al_subsequent,   # et-al-subsequent-*: wraps disambiguation's name options
    display,            # cs:layout display blocks
    group_suppression,  # cs:group suppression by called variables
    is_numeric,         # is-numeric
    label_empty,        # cs:label of an empty variable
    page_range,         # page-range-format, locator pages
    label_plural,       # label plurality
    literal_dates,      # literal dates in the year's place
    number_range,       # en dash in number ranges
    number_variables,   # hyphenated number variables
    ordinals,           # ordinal terms, gender
    sort_keys,          # sort keys: names, dates, numbers as sortable values
    et_al,              # et-al-use-first="0": no names, no "et al."
    substitute,         # cs:substitute suppression and inheritance
    citation_label,     # the implicit year-suffix on a rendered citation-label
    textcase,           # text-case
)

#: citeproc-py's element classes (the parser's lookup maps each tag to one), plus the
#: three classes a render constructs that carry rules
_ELEMENT_BASES: tuple[type, ...] = (
    model.CitationStylesElement,
    *model.CitationStylesElement.__subclasses__(),
)
_OTHER_BASES: tuple[type, ...] = (PlainCitationItem, PlainCiteProcJSON)

_ABSENT = object()


def rules_in_order() -> Iterator[tuple[Target, Callable[..., Any]]]:
    """Every (target, rule) of :data:`RULE_ORDER`, in the order they apply."""
    for module in RULE_ORDER:
        seen: set[int] = set()
        for value in vars(module).values():
            if (callable(value) and getattr(value, "__module__", None) == module.__name__
                    and id(value) not in seen):
                seen.add(id(value))
                for target in targets(value):
                    yield target, value


def _bind(rule: Callable[..., Any], overridden: Any, name: str) -> Any:
    if isinstance(overridden, property):  # a rule for a property overrides its getter
        return property(partial(rule, overridden.fget), doc=rule.__doc__)

    def method(*args: Any, **kwargs: Any) -> Any:
        return rule(overridden, *args, **kwargs)

    method.__name__ = name
    method.__doc__ = rule.__doc__
    method.__wrapped__ = overridden  # type: ignore[attr-defined]
    return method


class _Chains:
    """The methods the rules make, per (class, name): what Python's attribute lookup would
    find if each rule, in order, were defined on its target class."""

    def __init__(self) -> None:
        self.methods: dict[tuple[type, str], Any] = {}
        #: rule names per (class, name), outermost last (for the order test)
        self.names: dict[tuple[type, str], list[str]] = {}

    def lookup(self, cls: type, name: str) -> Any:
        for klass in cls.__mro__:
            method = self.methods.get((klass, name), _ABSENT)
            if method is not _ABSENT:
                return method
            if name in vars(klass):
                return getattr(klass, name)
        raise AttributeError(f"{cls.__name__} has no method {name}")

    def add(self, target: Target, rule: Callable[..., Any]) -> None:
        overridden = self.lookup(target.cls, target.name)
        key = (target.cls, target.name)
        self.methods[key] = (rule(overridden) if target.direct
                             else _bind(rule, overridden, target.name))
        self.names.setdefault(key, []).append(f"{rule.__module__.rsplit('.', 1)[1]}."
                                              f"{rule.__name__}")


def _build() -> tuple[dict[type, type], _Chains]:
    chains = _Chains()
    for target, rule in rules_in_order():
        chains.add(target, rule)
    built: dict[type, type] = {}
    for base in (*_ELEMENT_BASES, *_OTHER_BASES):
        namespace: dict[str, Any] = {"__module__": __name__, "__qualname__": base.__name__}
        for cls, name in chains.methods:
            if issubclass(base, cls):
                method = chains.lookup(base, name)
                if method is not getattr(base, name):
                    namespace[name] = method
        built[base] = type(base.__name__, (base,), namespace)
    unused = [f"{cls.__name__}.{name}" for cls, name in chains.methods
              if not any(issubclass(base, cls) for base in built)]
    if unused:  # a rule on a class the engine never builds would silently do nothing
        raise TypeError(f"rules target classes the engine does not build: {unused}")
    return built, chains


#: citeproc-py class -> the engine's subclass (built once, at import; never changed)
CLASSES, _CHAINS = _build()
CitationItem: type[PlainCitationItem] = CLASSES[PlainCitationItem]
CiteProcJSON: type[PlainCiteProcJSON] = CLASSES[PlainCiteProcJSON]


def chain(cls: type, name: str) -> tuple[str, ...]:
    """The rules that override ``cls.name``, the one citeproc-py's method is wrapped by
    first (the order test reads this)."""
    return tuple(_CHAINS.names.get((cls, name), ()))


def new_parser() -> etree.XMLParser:
    """An lxml parser that builds CSL trees from the engine's classes (one per style: lxml
    parsers must not parse in two threads at once)."""
    lookup = etree.ElementNamespaceClassLookup()
    namespace = lookup.get_namespace(CSL_NAMESPACE)
    namespace[None] = CLASSES[model.CitationStylesElement]
    for base in _ELEMENT_BASES[1:]:
        namespace[base.__name__.replace("_", "-").lower()] = CLASSES[base]
    parser = etree.XMLParser(remove_comments=True, encoding="UTF-8", no_network=True,
                             resolve_entities=False)
    parser.set_element_class_lookup(lookup)
    return parser


class LoadedStyle(CitationStylesStyle):  # type: ignore[misc]  # citeproc-py is untyped
    """A style (and its locales) parsed into the engine's classes.

    ``lock`` is held while the style renders: citeproc-py keeps a little state on the tree
    itself (the formatter, a citation's cites, date parts copied into the locale's), so one
    tree renders one thing at a time. The elements are kept alive with the style, so the
    values the rules remember on an element (see :mod:`.rules.caches`) last as long as the
    style and go with it.
    """

    def __init__(self, source: str | bytes | Path, locale: str | None = None) -> None:
        parser = new_parser()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if isinstance(source, Path):
                self.xml = etree.parse(str(source), parser)
            else:
                data = source.encode("utf-8") if isinstance(source, str) else source
                self.xml = etree.parse(io.BytesIO(data), parser)
        self.root = self.xml.getroot()
        if not isinstance(self.root, model.Style):
            raise ValueError("the root element is not a CSL cs:style")
        self.root.set_locale_list(locale or self.root.get("default-locale", "en-US"))
        self.lock = threading.RLock()
        #: see RenderState.item_facts (guarded by the lock, as the trees' memos are)
        self.item_facts: dict[ItemFacts, ItemFacts] = {}
        self._elements = [e for tree in (self.root, *self.root.locales) for e in tree.iter()]
        #: whether any attribute of the style names the citation-label variable (items get
        #: a generated label only then: see input_items.prepare_source)
        self.names_citation_label = any(
            "citation-label" in value for element in self.root.iter()
            for value in element.attrib.values())


class RenderBibliography(CitationStylesBibliography):  # type: ignore[misc]
    """citeproc-py's bibliography with the engine's cite class (disambiguation renders
    trial cites of its own)."""

    item_class = CitationItem

    def register(self, citation: Any, callback: Any = None) -> None:
        """citeproc-py's registration, with the keys already registered kept in a set:
        citeproc-py tests each key against the list of all keys (quadratic: a fifth of a
        10,000-entry render)."""
        citation.bibliography = self
        memo = self.__dict__.get("_registered")
        if memo is None or memo[0] is not self.keys:  # sorting replaces the list
            memo = self.__dict__["_registered"] = (self.keys, set(self.keys))
        registered: set[str] = memo[1]
        for item in citation.cites:
            if item.key in self.source:
                if item.key not in registered:
                    registered.add(item.key)
                    self.keys.append(item.key)
                    self.items.append(item)
            elif callback is not None:
                callback(item)

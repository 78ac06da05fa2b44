"""The shapes of citeproc-py's objects, as exilebib's rules use them.

citeproc-py 0.11.1 ships no type information, so to mypy every object it makes is ``Any``
and nothing a rule does with one is checked. The protocols below describe what the rules
rely on: the attributes and methods they call on a parsed CSL element (an lxml element of
citeproc-py's classes, or of the engine's subclasses of them), a cite, its reference, and
the rendered text. A rule annotates its values with them, and mypy checks every use against
the description. They are protocols (structural types): citeproc-py's classes need not
name them, and nothing checks them at run time (the rules make no ``isinstance`` test
against them, and annotations are not evaluated); ``tests/engine/
test_types.py`` checks that each member described exists on the citeproc-py class it
describes, with the parameters given here, so a citeproc-py upgrade that changes one fails
there and not in a render.

Each protocol lists only what the rules use; a rule that needs more adds it here, with the
citeproc-py method it describes. Arguments a rule passes on to citeproc-py untouched
(``**kwargs``) are ``object``: the rule does nothing with them.

Names follow CSL: an *element* is a node of the style (``cs:text``, ``cs:date``, ...), a
*cite* is one cited item (citeproc-py's ``CitationItem``), a *reference* is the item's data
(its variables, keyed by CSL name with ``_`` for ``-``).
"""

from __future__ import annotations

from collections.abc import (
    Callable,
    ItemsView,
    Iterable,
    Iterator,
    Mapping,
    MutableMapping,
    Sequence,
)
from contextlib import AbstractContextManager
from typing import Literal, Protocol, TypeAlias, TypedDict, TypeVar, overload

from lxml import etree

T = TypeVar("T")


class RichText(Protocol):
    """Rendered text: citeproc-py's ``String`` (a ``str``) or ``MixedString`` (a list of
    ``String`` and ``NoCase`` pieces, so that text-case can skip protected ones).

    Adding strings to rich text keeps the pieces apart; ``str(text)`` is the plain text.
    """

    def __add__(self, other: RichText | str, /) -> RichText: ...
    def __radd__(self, other: str, /) -> RichText: ...
    def replace(self, old: str, new: str, /) -> RichText: ...
    def __getitem__(self, index: int | slice, /) -> str:
        """Characters of the plain text (a MixedString slices ``str(self)``)."""
        ...


#: an item's type and the set of keys present for it (see ``rules.reach.facts``)
ItemFacts: TypeAlias = "tuple[str | None, frozenset[str]]"

#: what an element renders: rich text, or a plain ``str`` where citeproc-py passes a value
#: through unrendered (a locator, a number); None when it renders nothing
Rendered: TypeAlias = "RichText | str | None"

#: the value of a variable as ``cs:text`` receives it (``Text._variable``): rich text for
#: a field, ``str`` for a locator, ``int`` for ``citation-number``
VariableValue: TypeAlias = "RichText | str | int"


# --- the style tree -------------------------------------------------------------------


class Element(Protocol):
    """A CSL element of a parsed style or locale: ``citeproc.model.CitationStylesElement``,
    an lxml element (``get``, ``getparent``, ``iterchildren``, ``find``, ...) with
    citeproc-py's lookups of terms, options and the root."""

    @property
    def tag(self) -> str: ...
    @property
    def text(self) -> str | None: ...
    @property
    def attrib(self) -> MutableMapping[str, str]: ...
    #: citeproc-py's namespace prefixes (``cs``, ``xml``), for ``find`` and XPath
    @property
    def nsmap(self) -> Mapping[str, str]: ...

    @overload
    def get(self, key: str) -> str | None: ...
    @overload
    def get(self, key: str, default: T) -> str | T: ...

    def getparent(self) -> Element | None: ...
    def iterchildren(self, tag: str = ...) -> Iterator[Element]: ...
    def find(self, path: str, namespaces: Mapping[str, str] | None = None) -> Element | None: ...
    def findall(self, path: str, namespaces: Mapping[str, str] | None = None) -> list[Element]: ...
    def getroottree(self) -> etree._ElementTree: ...

    def xpath_search(self, expression: str) -> list[Element]:
        """The elements an XPath expression with the ``cs:`` prefix selects."""
        ...

    def get_root(self) -> StyleElement:
        """The ``cs:style`` of a style's element, the ``cs:locale`` of a locale's."""
        ...

    def get_layout(self) -> LayoutElement:
        """The ``cs:layout`` the element is in (the element itself if it is one)."""
        ...

    def get_macro(self, name: str) -> MacroElement:
        """The style's ``cs:macro`` of that name."""
        ...

    def get_term(self, name: str, form: str | None = None) -> TermElement | None:
        """The term, from the first locale of the style's locale list that has it."""
        ...

    def get_single_term(self, name: str, form: str | None = None) -> RichText:
        """The term's singular text, empty when no locale has the term."""
        ...

    def get_locale_option(self, name: str) -> str | None: ...

    def preformat(self, text: str) -> str:
        """``text`` escaped for the output format (the formatter's ``preformat``)."""
        ...


class StyleElement(Element, Protocol):
    """``cs:style`` (``citeproc.model.Style``), the root of a style tree: its options and
    its locale list (set by ``set_locale_list``, see :mod:`.rules.locales`)."""

    locales: list[LocaleElement]
    #: ``cs:bibliography`` (citeproc-py finds a child by attribute name), None if absent
    bibliography: BibliographyElement | None
    #: ``cs:citation``, found the same way
    citation: CitationElement | None

    def iter(self) -> Iterator[Element]:
        """Every element of the tree, the root first (lxml's ``iter``)."""
        ...

    def get_option(self, name: str) -> str | None:
        """A global option (``page-range-format``, ...): the attribute, else None."""
        ...


class LocaleElement(Element, Protocol):
    """``cs:locale`` (``citeproc.model.Locale``), of the style or of a locale file."""

    #: the style whose locale list holds it
    style: StyleElement


class TermElement(Element, Protocol):
    """``cs:term`` (``citeproc.model.Term``)."""

    @property
    def single(self) -> RichText:
        """The singular form (the ``cs:single`` child, else the term's text)."""
        ...


class DatePartElement(Element, Protocol):
    """``cs:date-part`` (``citeproc.model.Date_Part``)."""

    def process(self, date: DateValue, context: Element | None = None) -> DatePartText: ...
    def format(self, string: DatePartText) -> RichText: ...
    def case(self, text: DatePartText, language: str | None = None) -> DatePartText: ...
    def strip_periods(self, string: DatePartText) -> DatePartText: ...
    def markup(self, text: DatePartText) -> Rendered:
        """``text`` stripped of periods, cased, formatted and affixed as the part is."""
        ...


#: what a cs:date-part renders before formatting: the number (a day), a string ("04",
#: "1999") or a term (a month's name)
DatePartText: TypeAlias = "RichText | str | int | None"


class DateElement(Element, Protocol):
    """``cs:date`` (``citeproc.model.Date``), of a style or of a locale."""

    def is_locale_date(self) -> bool: ...
    def iterchildren(self, tag: str = ...) -> Iterator[DatePartElement]: ...

    def render_single_date(self, date: DateValue, show_parts: Sequence[str] | None = None,
                           context: DateElement | None = None) -> Rendered: ...

    def parts(self, date: DateValue, show_parts: Sequence[str] | None,
              context: DateElement | None = None) -> list[RichText]:
        """The rendered date-parts ``show_parts`` lets through, in the element's order."""
        ...


class NameElement(Element, Protocol):
    """``cs:name`` (``citeproc.model.Name``)."""

    def initialize(self, given: str, mark: str, context: Element | None) -> str:
        """A given name as initials, each followed by ``mark`` (initialize-with)."""
        ...

    # citeproc-py converts the et-al counts to int and the two flags to bool (mypy flags
    # the overlap with the last signature: a name typed plain ``str`` gets that one)
    @overload
    def get_option(  # type: ignore[overload-overlap]
                   self, name: Literal["et-al-min", "et-al-use-first", "et-al-subsequent-min",
                                       "et-al-subsequent-use-first"],
                   context: Element | None = None,
                   sort_options: Mapping[str, object] | None = None
                   ) -> int: ...
    @overload
    def get_option(  # type: ignore[overload-overlap]
                   self, name: Literal["et-al-use-last", "initialize-with-hyphen"],
                   context: Element | None = None,
                   sort_options: Mapping[str, object] | None = None
                   ) -> bool: ...
    @overload
    def get_option(self, name: str, context: Element | None = None,
                   sort_options: Mapping[str, object] | None = None) -> str | None: ...


class NumberElement(Element, Protocol):
    """``cs:number`` and ``cs:text`` (both ``citeproc.model.FormatNumber``): how they format
    a number variable."""

    def _process(self, value: object, variable: str) -> Rendered:
        """A number variable's value, its ranges formatted (pages: page-range-format)."""
        ...

    def format_number(self, number: str) -> RichText | str:
        """One number in the element's ``form`` (ordinal, roman, ...); as given if it is
        not a number."""
        ...


class SortElement(Element, Protocol):
    """``cs:sort`` (``citeproc.model.Sort``)."""

    def sort(self, items: list[Cite], context: Element) -> list[Cite]: ...


class BibliographyElement(Element, Protocol):
    """``cs:bibliography`` (``citeproc.model.Bibliography``)."""

    #: its ``cs:layout`` (citeproc-py finds a child by attribute name)
    layout: LayoutElement


class CitationElement(Element, Protocol):
    """``cs:citation`` (``citeproc.model.Citation``)."""

    #: the ``cs:sort`` child (citeproc-py finds a child by attribute name), None if absent
    sort: SortElement | None
    #: its ``cs:layout``, found the same way
    layout: LayoutElement


class MacroElement(Element, Protocol):
    """``cs:macro`` (``citeproc.model.Macro``)."""

    def render(self, item: Cite, context: Element | None = None,
               sort_options: Mapping[str, object] | None = None) -> Rendered:
        """The macro's children rendered (a sort key passes its name options)."""
        ...


class RenderingElement(Element, Protocol):
    """A rendering element of a layout, macro or group (``cs:text``, ``cs:date``,
    ``cs:number``, ``cs:names``, ``cs:label``, ``cs:group``, ``cs:choose``): what it renders
    for a cite. Keyword arguments (``context``, ``delimiter``, ...) pass through to its
    children untouched."""

    def render(self, item: Cite, **kwargs: object) -> Rendered: ...


class LayoutElement(Element, Protocol):
    """``cs:layout`` (``citeproc.model.Layout``), of ``cs:citation`` or ``cs:bibliography``."""

    #: the variables cs:substitute has used up, per element tag (reset for each entry)
    repressed: dict[str, list[str]]

    def getparent(self) -> CitationElement: ...
    def render_children(self, item: Cite) -> Rendered: ...
    def render_bibliography(self, citation_items: list[Cite]) -> list[RichText | str]:
        """One entry per cite that renders something."""
        ...
    def format(self, string: Rendered) -> Rendered: ...
    def wrap(self, string: Rendered) -> Rendered: ...
    def join(self, strings: Sequence[Rendered | str]) -> Rendered: ...


# --- the data a render reads ----------------------------------------------------------


class Locator(Protocol):
    """A cite's locator (``citeproc.source.Locator``): its label ("page", "chapter") and
    the locator itself as given ("12-14")."""

    label: str
    identifier: str


class Reference(Protocol):
    """An item's variables (``citeproc.source.Reference``, a dict keyed by CSL variable name
    with ``_`` for ``-``). The values are what the source made of the CSL-JSON: rich text
    for fields, lists of :class:`NameValue` for names, :class:`DateValue` for dates, and
    exilebib's ``year_suffix`` (a ``str``, set by disambiguation)."""

    key: str

    @overload
    def get(self, key: Literal["year_suffix"]) -> str | None: ...
    @overload
    def get(self, key: str, default: object = None) -> object: ...

    def __getitem__(self, key: str) -> object: ...
    def __setitem__(self, key: str, value: object) -> None: ...
    def __contains__(self, key: object) -> bool: ...
    def pop(self, key: str, default: object = None) -> object: ...
    def items(self) -> Iterable[tuple[str, object]]: ...


class NameValue(Protocol):
    """One name of a name variable (``citeproc.source.Name``)."""

    def parts(self) -> tuple[str | None, ...]:
        """given, family, dropping particle, non-dropping particle, suffix (a literal name:
        the literal in family's place)."""
        ...

    def __contains__(self, key: object) -> bool:
        """Whether the name has a part (``"literal"``, ``"given"``, ...)."""
        ...


class DateValue(Protocol):
    """A date variable's value, or one end of a range (``citeproc.source.Date``, a dict of
    ``year``, ``month``, ``day`` that answers attribute access too)."""

    #: the parts as numbers (months 13-24 are seasons); reading one the date lacks
    #: raises citeproc-py's ``VariableError``
    year: int
    day: int
    month: int

    def items(self) -> ItemsView[str, object]:
        """The parts given (a date is a dict)."""
        ...

    #: a part as given where citeproc-py could not read it as a number
    @overload
    def get(self, key: Literal["year", "month", "day"], default: int) -> int | str: ...
    @overload
    def get(self, key: str, default: object = None) -> object: ...

    def is_nil(self) -> bool: ...

    def sort_key(self) -> str:
        """``YYYYYMMDD`` (the year plus 10000, so that BC years sort first)."""
        ...


class DateRangeValue(Protocol):
    """A date range (``citeproc.source.DateRange``): ``begin`` and, unless open, ``end``."""

    begin: DateValue

    @overload
    def get(self, key: Literal["begin"]) -> DateValue: ...
    @overload
    def get(self, key: Literal["end"]) -> DateValue | None: ...

    def sort_key(self) -> str: ...


class LiteralDateValue(Protocol):
    """A date given as text (``citeproc.source.LiteralDate``, CSL-JSON ``literal``): no
    year, month or day; reading one raises citeproc-py's ``VariableError``."""

    text: str

    def get(self, key: str, default: object = None) -> object: ...

    def sort_key(self) -> str:
        """The text itself."""
        ...


#: the value of a date variable (``issued``, ``accessed``, ...) as citeproc-py reads it
#: from CSL-JSON: one date, a range, or a literal
DateVariable: TypeAlias = "DateValue | DateRangeValue | LiteralDateValue"


class Cite(Protocol):
    """One cited item (``citeproc.source.CitationItem``, the engine's subclass of it): the
    cite's own data (locator, affixes, exilebib's position keys) plus its reference."""

    key: str
    reference: Reference
    #: its place in the bibliography (``citation-number``)
    number: int
    has_locator: bool
    locator: Locator

    @overload
    def get(self, key: Literal["prefix", "suffix"]) -> str | None: ...
    @overload
    def get(self, key: Literal["locator"]) -> Locator | None: ...
    @overload
    def get(self, key: str, default: object = None) -> object: ...

    def __getitem__(self, key: Literal["locator"]) -> Locator: ...
    def __setitem__(self, key: str, value: object) -> None:
        """Notes the engine keeps on the cite (its position, see :mod:`.rules.positions`)."""
        ...
    def __contains__(self, key: object) -> bool: ...
    def is_bad(self) -> bool:
        """Whether the cite names an item the bibliography does not hold."""
        ...


class Citation(Protocol):
    """A citation (``citeproc.source.Citation``): the cites of one cluster, and what the
    engine notes on it (``note_number``)."""

    cites: list[Cite]

    @overload
    def get(self, key: Literal["note_number"]) -> int | None: ...
    @overload
    def get(self, key: str, default: object = None) -> object: ...

    def __setitem__(self, key: str, value: object) -> None: ...


class Source(Protocol):
    """The items of a render (``citeproc.source.json.CiteProcJSON``, the engine's subclass
    of it): a dict of :class:`Reference` by (lower-cased) item id."""

    def __getitem__(self, key: str) -> Reference: ...
    def __contains__(self, key: object) -> bool: ...


class Bibliography(Protocol):
    """``citeproc.frontend.CitationStylesBibliography``, the engine's subclass: the style
    and the registered items."""

    style: StyleFile
    #: one registered cite per item, in the style's order once sorted
    items: list[Cite]
    #: the items' references by key
    source: Mapping[str, Reference]
    #: the cite class (exilebib's ``elements.CitationItem``): a cite of an item by key
    item_class: Callable[[str], Cite]

    def register(self, citation: Citation,
                 callback: Callable[[Cite], object] | None = None) -> None: ...
    def sort(self) -> None: ...

    def cite(self, citation: Citation, callback: Callable[[Cite], str | None]) -> Rendered:
        """The citation rendered (a cite of an unknown item prints what ``callback`` says)."""
        ...


class StyleFile(Protocol):
    """A parsed style (``citeproc.frontend.CitationStylesStyle``, exilebib's
    ``elements.LoadedStyle``): its root element."""

    root: StyleElement
    #: held while the style renders: citeproc-py keeps a little state on the tree
    lock: AbstractContextManager[object]
    #: one object per distinct pair of an item's type and keys (see ``reach.facts``)
    item_facts: dict[ItemFacts, ItemFacts]
    #: whether the style names the citation-label variable anywhere
    names_citation_label: bool

    def has_bibliography(self) -> bool: ...


class Formatter(Protocol):
    """An output format as citeproc-py takes it: the ``citeproc.formatter.html`` or
    ``plain`` module, or exilebib's ``markup.MarkupFormatter`` (which writes markers)."""

    def preformat(self, text: str) -> str:
        """``text`` escaped for the format."""
        ...


# --- CSL-JSON --------------------------------------------------------------------------
# What the engine writes into an item before citeproc-py reads it (the names and dates it
# makes from a note's "key: value" lines, see :mod:`.rules.note_variables`). Items as a
# caller gives them are unchecked JSON (``Mapping[str, object]``): each rule looks at a
# value's type before it uses it.

#: a name (CSL-JSON schema, "name-variable"): its parts, or one ``literal``
CslName = TypedDict("CslName", {
    "family": str, "given": str, "dropping-particle": str, "non-dropping-particle": str,
    "suffix": str, "literal": str,
}, total=False)

#: a date (CSL-JSON schema, "date-variable"): one or two dates of [year, month, day] (a part
#: may be a numeric string), or text: ``literal`` printed as it is, ``raw`` read as a date
CslDate = TypedDict("CslDate", {
    "date-parts": list[list[int | str]], "season": int | str, "circa": bool | int | str,
    "literal": str, "raw": str,
}, total=False)


# --- the overridden methods -----------------------------------------------------------
# A rule receives the method it overrides (citeproc-py's, or the previous rule's); these
# are the signatures the rules call them with.

#: ``Text._variable(self, item, context)``: a variable's value for ``cs:text``
VariableMethod: TypeAlias = "Callable[[Element, Cite, Element], VariableValue | None]"
#: ``Text._term(self, item)``: a term's text for ``cs:text``
TermMethod: TypeAlias = "Callable[[Element, Cite], RichText | str | None]"
#: ``FormatNumber._process(self, value, variable)``: a number variable, formatted
NumberMethod: TypeAlias = "Callable[[NumberElement, object, str], Rendered]"
#: ``Date_Part.process(self, date, context)``
DatePartMethod: TypeAlias = "Callable[[DatePartElement, DateValue, Element | None], DatePartText]"
#: ``Date.render_single_date(self, date, show_parts, context)``
SingleDateMethod: TypeAlias = (
    "Callable[[DateElement, DateValue, Sequence[str] | None, DateElement | None], Rendered]"
)
#: ``Date.render_date_range(self, date_range, show_parts, context)``
DateRangeMethod: TypeAlias = (
    "Callable[[DateElement, DateRangeValue, Sequence[str] | None, DateElement | None], Rendered]"
)
#: ``If._is_numeric(self, item)``, ``Label._is_plural(self, item)``, ...: a test on a cite
ConditionMethod: TypeAlias = "Callable[[Element, Cite], list[bool]]"

"""Lookups the style and locale make constant, computed once per style tree.

Not a CSL rule but the engine's speed: citeproc-py answers every term, macro, layout and
name-option lookup with a fresh XPath query (about a third of a bibliography's time). The
answers depend only on the parsed style and its locales, so they are remembered on the
elements themselves (:class:`ElementMemo`): the style owns its caches, and they go when it
goes. lxml keeps the same Python proxy for an element while a reference to it is alive, and
the style keeps every element's proxy (``elements.LoadedStyle``), so what is remembered on
an element lasts as long as the style.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar, overload

from citeproc.model import (
    Affixed,
    Choose,
    CitationStylesElement,
    Date,
    Date_Part,
    Formatted,
    If,
    Label,
    Locale,
    Name,
    Names,
    Parent,
    Term,
    Text,
)
from citeproc.source import CitationItem, VariableError
from citeproc.string import String

from exilebib.engine.rules.flipflop import parse_rich_text
from exilebib.engine.rules.targets import replace, replace_direct

_MISSING = object()


V = TypeVar("V")
D = TypeVar("D")


class ElementMemo(Generic[V]):
    """A cache whose entries live on the style elements that key them.

    A key is an element, or a tuple whose first item is an element (the rest says which of
    the element's answers it is). The entry is kept in the element's own ``__dict__`` under
    a name no attribute can have, so a cache holds nothing itself: two threads may fill the
    same entry, with the same answer.
    """

    __slots__ = ("slot",)

    def __init__(self, name: str) -> None:
        self.slot = f"exilebib:{name}"

    @overload
    def get(self, key: Any) -> V | None: ...
    @overload
    def get(self, key: Any, default: D) -> V | D: ...

    def get(self, key: Any, default: Any = None) -> Any:
        if type(key) is tuple:
            answers = key[0].__dict__.get(self.slot)
            return default if answers is None else answers.get(key[1:], default)
        return key.__dict__.get(self.slot, default)

    def __getitem__(self, key: Any) -> V:
        value = self.get(key, _MISSING)
        if value is _MISSING:
            raise KeyError(key)
        return value  # type: ignore[return-value]

    def __setitem__(self, key: Any, value: V) -> None:
        if type(key) is tuple:
            memo = key[0].__dict__
            answers = memo.get(self.slot)
            if answers is None:
                answers = memo[self.slot] = {}
            answers[key[1:]] = value
        else:
            key.__dict__[self.slot] = value


_MACROS: ElementMemo[Any] = ElementMemo("macros")
_CALLED_MACRO: ElementMemo[Any] = ElementMemo("called-macro")
_TERMS: ElementMemo[Any] = ElementMemo("terms")
_LAYOUTS: ElementMemo[Any] = ElementMemo("layout")
_PARENTS: ElementMemo[Any] = ElementMemo("citation-or-bibliography")
_LOCALE_DATE: ElementMemo[bool] = ElementMemo("is-locale-date")
_ROOTS: ElementMemo[Any] = ElementMemo("root")
_CALLS_VARIABLE: ElementMemo[bool] = ElementMemo("calls-variable")
_IF_TYPES: ElementMemo[tuple[str, ...]] = ElementMemo("if-types")
_IF_VARIABLES: ElementMemo[tuple[str, ...]] = ElementMemo("if-variables")
_FORMATTER_HOLDERS: ElementMemo[Any] = ElementMemo("formatter-holder")
_PLAIN_FORMAT: ElementMemo[bool] = ElementMemo("plain-format")
_NAME_OPTIONS: ElementMemo[Any] = ElementMemo("name-options")
_XPATH: ElementMemo[Any] = ElementMemo("xpath")
_DEFAULT_LANGUAGE: ElementMemo[str] = ElementMemo("default-language")
_TERM_TEXTS: ElementMemo[Any] = ElementMemo("term-texts")
_NO_AFFIXES: ElementMemo[bool] = ElementMemo("no-affixes")
_PLAIN_MARKUP: ElementMemo[bool] = ElementMemo("plain-markup")
_PRECHECKS: ElementMemo[Any] = ElementMemo("precheck")
_CHILDREN: ElementMemo[tuple[tuple[Any, bool], ...]] = ElementMemo("children")


@replace_direct(CitationStylesElement, "get_root")
def get_root(original: Any) -> Any:
    """The element's root (a style or a locale)."""
    roots = _ROOTS

    def get_root(self: Any) -> Any:
        root = self.__dict__.get(roots.slot)
        if root is None:
            root = self.__dict__[roots.slot] = original(self)
        return root

    return get_root


def adopt(made: Any, like: Any) -> None:
    """``made``, an element the engine made outside the parsed tree, answers ``get_root``
    (and so terms, locale options and the formatter) as ``like`` does."""
    made.__dict__[_ROOTS.slot] = like.get_root()


@replace_direct(CitationStylesElement, "get_macro")
def get_macro(original: Any) -> Any:
    slot = _MACROS.slot

    def get_macro(self: Any, name: str) -> Any:
        memo = self.get_root().__dict__
        macros = memo.get(slot)
        if macros is None:
            macros = memo[slot] = {}
        macro = macros.get(name)
        if macro is None:
            macro = macros[name] = original(self, name)
        return macro

    return get_macro


@replace_direct(CitationStylesElement, "get_term")
def get_term(original: Any) -> Any:
    slot = _TERMS.slot

    def get_term(self: Any, name: str, form: Any = None, fallback_locale: bool = True,
                 zero_padded: bool = False) -> Any:
        memo = self.get_root().__dict__
        terms = memo.get(slot)
        if terms is None:
            terms = memo[slot] = {}
        key = (name, form, fallback_locale, zero_padded)
        term = terms.get(key, _MISSING)
        if term is _MISSING:
            term = terms[key] = original(self, name, form, fallback_locale, zero_padded)
        return term

    return get_term


@replace_direct(CitationStylesElement, "get_layout")
def get_layout(original: Any) -> Any:
    layouts = _LAYOUTS

    def get_layout(self: Any) -> Any:
        layout = self.__dict__.get(layouts.slot)
        if layout is None:
            layout = self.__dict__[layouts.slot] = original(self)
        return layout

    return get_layout


@replace_direct(CitationStylesElement, "get_formatter")
def get_formatter(original: Any) -> Any:
    """The formatter lives on the style root (a locale's elements reach it through the
    locale's ``style``); which object holds it is constant, the formatter itself is not (it
    is set per bibliography), so the holder is cached and the formatter read from it."""
    holders = _FORMATTER_HOLDERS

    def get_formatter(self: Any) -> Any:
        holder = self.__dict__.get(holders.slot)
        if holder is None:
            root = self.get_root()
            holder = self.__dict__[holders.slot] = root.style if isinstance(root, Locale) else root
        return holder.formatter

    return get_formatter


_FORMAT_DEFAULTS = (
    ("font-style", "normal"),
    ("font-variant", "normal"),
    ("font-weight", "normal"),
    ("text-decoration", "none"),
    ("vertical-align", "baseline"),
)


@replace_direct(Formatted, "format")
def formatted_format(original: Any) -> Any:
    """cs:* formatting attributes: most elements have none, and then ``format`` is the
    identity (after numbers become text); citeproc-py asks the formatter five times."""
    plain = _PLAIN_FORMAT

    def format(self: Any, string: Any) -> Any:
        unformatted = self.__dict__.get(plain.slot)
        if unformatted is None:
            if isinstance(self, Date_Part):  # attributes change while rendering, see wrap
                return original(self, string)
            unformatted = self.__dict__[plain.slot] = all(
                self.get(a, d) == d for a, d in _FORMAT_DEFAULTS)
        if not unformatted:
            return original(self, string)
        if isinstance(string, (int, float)):
            return str(string)
        return string

    return format


def _citation_or_bibliography(element: Any) -> Any:
    parent = element.__dict__.get(_PARENTS.slot)
    if parent is None:
        expr = "./ancestor::*[self::cs:citation or self::cs:bibliography][1]"
        parent = element.__dict__[_PARENTS.slot] = element.xpath_search(expr)[0]
    return parent


def _name_option(self: Any, name: str, context: Any) -> Any:
    parent = _citation_or_bibliography(context if context is not None else self)
    if name in ("form", "delimiter"):
        value = self.get(name, parent.get_option("name-" + name))
    else:
        value = self.get(name, parent.get_option(name))
    if name in ("initialize-with-hyphen", "et-al-use-last"):
        value = value.lower() == "true"
    elif name.startswith("et-al"):
        value = int(value)
    return value


@replace_direct(Name, "get_option")
def name_get_option(original: Any) -> Any:
    """A cs:name option: its own attribute or the one inherited from cs:citation or
    cs:bibliography, constant per (element, option, context) unless a sort key overrides it."""
    slot = _NAME_OPTIONS.slot

    def get_option(self: Any, name: str, context: Any = None, sort_options: Any = None) -> Any:
        if sort_options and name in sort_options:
            value = sort_options[name]
            if name in ("initialize-with-hyphen", "et-al-use-last"):
                return value.lower() == "true"
            if name.startswith("et-al"):
                return int(value)
            return value
        memo = self.__dict__
        options = memo.get(slot)
        if options is None:
            options = memo[slot] = {}
        key = (name, context)
        value = options.get(key, _MISSING)
        if value is _MISSING:
            value = options[key] = _name_option(self, name, context)
        return value

    return get_option


@replace_direct(CitationStylesElement, "xpath_search")
def xpath_search(original: Any) -> Any:
    """XPath over the style tree: every query citeproc-py and the rules make is structural
    or selects by ``name``, ``form`` or ``xml:lang``, which rendering never changes, so each
    answer is kept per (element, expression); a copy is returned."""
    slot = _XPATH.slot

    def xpath_search(self: Any, expression: str) -> Any:
        memo = self.__dict__
        answers = memo.get(slot)
        if answers is None:
            answers = memo[slot] = {}
        answer = answers.get(expression)
        if answer is None:
            answer = answers[expression] = original(self, expression)
        return list(answer)

    return xpath_search


@replace_direct(Names, "get_parent_delimiter")
def names_parent_delimiter(original: Any) -> Any:
    def get_parent_delimiter(self: Any, context: Any = None) -> Any:
        parent = _citation_or_bibliography(context if context is not None else self)
        return parent.get_option("names-delimiter")

    return get_parent_delimiter


@replace_direct(Date, "is_locale_date")
def is_locale_date(original: Any) -> Any:
    slot = _LOCALE_DATE.slot

    def is_locale_date(self: Any) -> bool:
        answer: bool | None = self.__dict__.get(slot)
        if answer is None:
            answer = self.__dict__[slot] = bool(original(self))
        return answer

    return is_locale_date


@replace(CitationItem, "number")
def number(original: Any, self: Any) -> Any:
    """citation-number without ``list.index`` per lookup (quadratic over a bibliography)."""
    bib = self.bibliography
    keys = bib.keys
    cached = getattr(bib, "_exilebib_numbers", None)
    if cached is None or cached[0] is not keys or len(cached[1]) != len(keys):
        cached = (keys, {key: index + 1 for index, key in enumerate(keys)})
        bib._exilebib_numbers = cached
    return cached[1][self.key]


def _calls_variable(original: Any) -> Any:
    """Whether the element (or anything below it) calls a variable: a property of the style
    tree, which citeproc-py recomputes recursively for every child of every cs:group it
    renders (a third of a Chicago bibliography's time)."""
    answers = _CALLS_VARIABLE

    def calls_variable(self: Any) -> bool:
        answer: bool | None = self.__dict__.get(answers.slot)
        if answer is None:
            answer = self.__dict__[answers.slot] = bool(original(self))
        return answer

    return calls_variable


for _cls in (Parent, Text, Label):
    replace_direct(_cls, "calls_variable")(_calls_variable)


@replace_direct(If, "_type")
def if_type(original: Any) -> Any:
    """cs:if ``type``: the attribute split once, the item's type read once (citeproc-py
    looks the reference up again for every listed type)."""
    cache = _IF_TYPES

    def _type(self: Any, item: Any) -> list[bool]:
        types = self.__dict__.get(cache.slot)
        if types is None:
            types = self.__dict__[cache.slot] = tuple(t.lower() for t in self.get("type").split())
        if not types:
            return []
        kind = item.reference.type
        return [t == kind for t in types]

    return _type


@replace_direct(If, "_variable")
def if_variable(original: Any) -> Any:
    """cs:if ``variable``, with the attribute split once and the reference read once."""
    cache = _IF_VARIABLES

    def _variable(self: Any, item: Any) -> list[bool]:
        names = self.__dict__.get(cache.slot)
        if names is None:
            names = self.__dict__[cache.slot] = tuple(
                v.replace("-", "_") for v in self.get("variable").split())
        reference = None
        output = []
        for name in names:
            if name == "locator":
                output.append("locator" in item)
            else:
                if reference is None:
                    reference = item.reference
                output.append(name in reference)
        return output

    return _variable


class _FoundOnce:
    """A cite's ``reference``, found on the first lookup and then kept in the cite's own
    ``__dict__`` under the same name: a descriptor without ``__set__`` gives way to the
    instance's attribute, so every later lookup is a plain attribute read."""

    def __init__(self, lookup: Any) -> None:
        self.lookup = lookup
        self.__doc__ = reference.__doc__

    def __get__(self, cite: Any, owner: type | None = None) -> Any:
        if cite is None:
            return self
        found = cite.__dict__["reference"] = self.lookup(cite)
        return found


@replace_direct(CitationItem, "reference")
def reference(original: Any) -> Any:
    """The cited item's reference, looked up once per cite (citeproc-py goes through the
    citation, its bibliography and the source on every variable test). A cite belongs to
    one render and its bibliography, so its reference never changes once found."""
    return _FoundOnce(original.fget)


@replace_direct(Affixed, "wrap")
def affixed_wrap(original: Any) -> Any:
    """Affixes: an element with neither prefix nor suffix returns its text as it is (what
    citeproc-py's concatenation with empty affixes gives, without turning the text into a
    plain string twice to look at its seams)."""
    bare = _NO_AFFIXES

    def wrap(self: Any, string: Any) -> Any:
        none = self.__dict__.get(bare.slot)
        if none is None:
            if isinstance(self, Date_Part):
                # citeproc-py copies a style's date-part attributes (affixes, formatting)
                # onto the locale's date-part as it renders: never constant
                return original(self, string)
            none = self.__dict__[bare.slot] = not self.get("prefix") and not self.get("suffix")
        if none:
            return string
        return original(self, string)

    return wrap


def _plain_markup(element: Any) -> bool:
    """Whether citeproc-py's ``Text.markup`` leaves a cs:text's output as it is: no
    strip-periods, text-case, quotes, formatting or affixes (the same tests as the fast
    paths of ``format`` and ``wrap`` above)."""
    attrib = element.attrib
    return ("text-case" not in attrib
            and attrib.get("strip-periods", "false").lower() != "true"
            and attrib.get("quotes", "false").lower() != "true"
            and not element.get("prefix") and not element.get("suffix")
            and all(element.get(a, d) == d for a, d in _FORMAT_DEFAULTS))


def has_plain_markup(element: Any) -> bool:
    """:func:`_plain_markup`, remembered on the element."""
    plain: bool | None = element.__dict__.get(_PLAIN_MARKUP.slot)
    if plain is None:
        plain = element.__dict__[_PLAIN_MARKUP.slot] = _plain_markup(element)
    return plain


def plain_text(text: Any) -> Any:
    """What ``Text.markup`` makes of ``text`` for a cs:text with plain markup: None for
    nothing, a number as text, else the text itself."""
    if not text:
        return None
    if isinstance(text, (int, float)):
        return str(text)
    return text


def render_macro(element: Any, item: Any, context: Any) -> Any:
    """A cs:text's macro rendered for ``item``: its children, as ``Macro.render`` renders
    them (without its frame: no rule overrides it, the order test pins that). The macro
    is remembered on the cs:text that calls it."""
    macro = element.__dict__.get(_CALLED_MACRO.slot)
    if macro is None:
        macro = element.__dict__[_CALLED_MACRO.slot] = element.get_macro(element.get("macro"))
    return macro.render_children(item, context=context, sort_options=None)


@replace_direct(Text, "markup")
def text_markup(original: Any) -> Any:
    """cs:text's markup (``strip_periods``, ``case``, ``format``, ``quote``, ``wrap``):
    for an element without any of their attributes, the text itself (a number becomes
    text, as ``format`` makes it), without the five calls. The element order test pins
    the rules on those five methods this relies on."""
    plain_slot = _PLAIN_MARKUP.slot

    def markup(self: Any, text: Any, language: Any) -> Any:
        plain = self.__dict__.get(plain_slot)
        if plain is None:
            plain = has_plain_markup(self)
        if not plain:
            return original(self, text, language)
        return plain_text(text)

    return markup


@replace_direct(Text, "process")
def text_process(original: Any) -> Any:
    """cs:text, with the item's language read without raising: citeproc-py asks for
    ``reference.language`` in every cs:text and most items have none, which costs two
    exceptions each time (a tenth of a Harvard entry's time)."""
    default_languages = _DEFAULT_LANGUAGE

    def process(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
        attrib = self.attrib
        if not ("variable" in attrib or "macro" in attrib or "term" in attrib
                or "value" in attrib):
            return original(self, item, context, **kwargs)
        if context is None:
            context = self
        try:
            language = dict.get(item.reference, "language", _MISSING)
        except VariableError:
            language = _MISSING
        if language is _MISSING:
            language = self.__dict__.get(default_languages.slot)
            if language is None:
                language = self.__dict__[default_languages.slot] = (
                    self.get_root().get("default-locale", "en")[:2])
        else:
            language = language[:2]
        if "variable" in attrib:
            text = self._variable(item, context)
        elif "macro" in attrib:
            text = render_macro(self, item, context)
        elif "term" in attrib:
            text = self._term(item)
        else:  # a value is rich text as a field is (markup, quotes), as in citeproc-js
            text = parse_rich_text(self.preformat(self.get("value")))
            if isinstance(text, list) and len(text) == 1 and type(text[0]) is String:
                text = text[0]  # plain text, the String it was
            elif not text:
                text = String("")
        return text, language

    return process


def _term_text(original: Any, child: str) -> Any:
    slot = f"{_TERM_TEXTS.slot}:{child}"

    def text(self: Any) -> Any:
        raw = self.__dict__.get(slot, _MISSING)
        if raw is _MISSING:
            found = self.find(child, self.nsmap)
            raw = found.text if found is not None else self.text
            # a term written over several lines with no text is empty (citeproc-js drops
            # whitespace-only text nodes), not its line break and indentation
            raw = self.__dict__[slot] = raw if raw and raw.strip() else ""
        return String(self.preformat(raw or ""))

    return property(text, doc=original.__doc__)


@replace_direct(Term, "single")
def term_single(original: Any) -> Any:
    """A term's singular text, found once per term (citeproc-py searches for cs:single and
    catches an exception for every term that has no plural form)."""
    return _term_text(original, "cs:single")


@replace_direct(Term, "multiple")
def term_multiple(original: Any) -> Any:
    return _term_text(original, "cs:multiple")


_PLAIN_TESTS = frozenset({"type", "variable", "match"})
Check = tuple[tuple[str, ...], tuple[str, ...], str | None, frozenset[str], str | None]


def _precheck(child: Any) -> Check | None:
    """For a cs:if/cs:else-if that tests only ``type`` and ``variable``: the types, the
    variables and the match; None for branches that must be asked (cs:else, other tests).
    Remembered on the element."""
    found = child.__dict__.get(_PRECHECKS.slot, _MISSING)
    if found is _MISSING:
        found = child.__dict__[_PRECHECKS.slot] = _make_precheck(child)
    return found  # type: ignore[no-any-return]


def _make_precheck(child: Any) -> Check | None:
    if not isinstance(child, If) or not set(child.attrib) <= _PLAIN_TESTS:
        return None
    types = tuple(t.lower() for t in child.get("type", "").split())
    variables = tuple(v.replace("-", "_") for v in child.get("variable", "").split())
    # with match="all", several different types can never all equal the item's type
    single = types[0] if len(set(types)) == 1 else None
    return types, variables, child.get("match"), frozenset(types), single


def matches(results: list[bool], match: str | None) -> bool:
    """cs:if's ``match`` over its tests' results: "any", "none", else "all"."""
    if match == "any":
        return any(results)
    if match == "none":
        return not any(results)
    return all(results)


def _children(element: Any) -> tuple[tuple[Any, bool], ...]:
    """The element's children, each with whether it is a cs:choose (fixed by the style)."""
    children: tuple[tuple[Any, bool], ...] | None = element.__dict__.get(_CHILDREN.slot)
    if children is None:
        children = element.__dict__[_CHILDREN.slot] = tuple(
            (child, isinstance(child, Choose)) for child in element.iterchildren()
        )
    return children

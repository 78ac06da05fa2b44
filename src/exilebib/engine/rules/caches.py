"""Lookups the style and locale make constant, computed once per style tree.

Not a CSL rule but the engine's speed: citeproc-py answers every term, macro, layout and
name-option lookup with a fresh XPath query (about a third of a bibliography's time). The
answers depend only on the parsed style and its locales, which :class:`Engine` caches per
(style, locale), so they are memoised here, keyed by the asking element. lxml keeps the same
Python proxy for an element while a reference to it is alive, and the caches hold those
references, so the keys stay valid for the life of the parsed style.
"""

from __future__ import annotations

from typing import Any

from citeproc.model import CitationStylesElement, Date, Name, Names
from citeproc.source import CitationItem

from exilebib.engine.rules._switch import STATE, replace

_MACROS: dict[tuple[Any, str], Any] = {}
_TERMS: dict[tuple[Any, ...], Any] = {}
_LAYOUTS: dict[Any, Any] = {}
_PARENTS: dict[Any, Any] = {}
_LOCALE_DATE: dict[Any, bool] = {}
_ROOTS: dict[Any, Any] = {}
_MISSING = object()


def clear() -> None:
    """Forget everything (a style tree is about to be dropped)."""
    for cache in (_MACROS, _TERMS, _LAYOUTS, _PARENTS, _LOCALE_DATE, _ROOTS):
        cache.clear()


@replace(CitationStylesElement, "get_root")
def get_root(original: Any, self: Any) -> Any:
    root = _ROOTS.get(self)
    if root is None:
        root = _ROOTS[self] = original(self)
    return root


@replace(CitationStylesElement, "get_macro")
def get_macro(original: Any, self: Any, name: str) -> Any:
    key = (self.get_root(), name)
    macro = _MACROS.get(key)
    if macro is None:
        macro = _MACROS[key] = original(self, name)
    return macro


@replace(CitationStylesElement, "get_term")
def get_term(original: Any, self: Any, name: str, form: Any = None,
             fallback_locale: bool = True, zero_padded: bool = False) -> Any:
    key = (self.get_root(), name, form, fallback_locale, zero_padded)
    term = _TERMS.get(key, _MISSING)
    if term is _MISSING:
        term = _TERMS[key] = original(self, name, form, fallback_locale, zero_padded)
    return term


@replace(CitationStylesElement, "get_layout")
def get_layout(original: Any, self: Any) -> Any:
    layout = _LAYOUTS.get(self)
    if layout is None:
        layout = _LAYOUTS[self] = original(self)
    return layout


def _citation_or_bibliography(element: Any) -> Any:
    parent = _PARENTS.get(element)
    if parent is None:
        expr = "./ancestor::*[self::cs:citation or self::cs:bibliography][1]"
        parent = _PARENTS[element] = element.xpath_search(expr)[0]
    return parent


@replace(Name, "get_option")
def name_get_option(original: Any, self: Any, name: str, context: Any = None,
                    sort_options: Any = None) -> Any:
    if sort_options and name in sort_options:
        value = sort_options[name]
    else:
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


@replace(Names, "get_parent_delimiter")
def names_parent_delimiter(original: Any, self: Any, context: Any = None) -> Any:
    parent = _citation_or_bibliography(context if context is not None else self)
    return parent.get_option("names-delimiter")


@replace(Date, "is_locale_date")
def is_locale_date(original: Any, self: Any) -> bool:
    answer = _LOCALE_DATE.get(self)
    if answer is None:
        answer = _LOCALE_DATE[self] = original(self)
    return answer


_plain_number = CitationItem.number


def _number(self: Any) -> Any:
    """citation-number without ``list.index`` per lookup (quadratic over a bibliography)."""
    if not STATE.on:
        return _plain_number.fget(self)
    bib = self.bibliography
    keys = bib.keys
    cached = getattr(bib, "_exilebib_numbers", None)
    if cached is None or cached[0] is not keys or len(cached[1]) != len(keys):
        cached = (keys, {key: index + 1 for index, key in enumerate(keys)})
        bib._exilebib_numbers = cached
    return cached[1][self.key]


CitationItem.number = property(_number)

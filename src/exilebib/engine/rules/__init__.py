"""CSL 1.0.2 rules that citeproc-py 0.11.1 lacks, one module per rule.

Importing this package installs every rule on citeproc-py's model classes (see
:mod:`._switch`); the rules only act while :func:`rules_enabled` is on, which
:class:`exilebib.engine.Engine` does around each render unless told ``fixes=False``.
"""

from __future__ import annotations

from typing import Any

from exilebib.engine.markup import QuoteStyle
from exilebib.engine.rules._switch import STATE, rules_enabled

__all__ = ["STATE", "prepare_bibliography", "prepare_citations", "quote_style", "rules_enabled"]


def _term(style: Any, name: str, default: str) -> str:
    term = style.root.get_term(name)
    if term is None:
        return default
    single = term.find("cs:single", term.nsmap)
    text = single.text if single is not None else term.text
    return str(text) if text else default


def quote_style(style: Any) -> QuoteStyle:
    """The quotation marks and ``punctuation-in-quote`` of the style's locale."""
    piq = style.root.get_locale_option("punctuation-in-quote")
    return QuoteStyle(
        open=_term(style, "open-quote", "\u201c"),
        close=_term(style, "close-quote", "\u201d"),
        inner_open=_term(style, "open-inner-quote", "\u2018"),
        inner_close=_term(style, "close-inner-quote", "\u2019"),
        punctuation_in_quote=str(piq).lower() == "true",
    )


def prepare_bibliography(bib: Any) -> None:
    """Sort the registered items and settle what depends on the whole list."""
    bib.sort()
    disambiguation.run(bib, citations=False)


def prepare_citations(bib: Any, citations: list[Any]) -> None:
    """Settle what depends on all citations (disambiguation) before rendering them."""
    if bib.style.has_bibliography():
        bib.sort()
    disambiguation.run(bib)

# Importing installs the rules (order matters where two rules wrap the same method: the
# later import wraps the earlier one); the names are not used otherwise.
from exilebib.engine.rules import (  # noqa: E402, F401
    author_substitute,
    caches,
    citation_layout,
    collapse,
    date_range,
    disambiguation,
    display,
    flipflop,
    group_suppression,
    initialize,
    is_numeric,
    label_empty,
    label_plural,
    literal_dates,
    localized_dates,
    number_range,
    number_variables,
    ordinals,
    page_range,
    punctuation_seams,
    sort_keys,
    substitute,
    textcase,
)

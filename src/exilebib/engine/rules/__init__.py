"""CSL 1.0.2 rules that citeproc-py 0.11.1 lacks, one module per rule.

Each rule names the citeproc-py method it overrides (:mod:`.targets`); importing a rule
module changes nothing. :mod:`exilebib.engine.elements` builds the engine's own classes
from the rules, in the order it writes down.
"""

from __future__ import annotations

from exilebib.engine.markup import QuoteStyle
from exilebib.engine.rules import disambiguation
from exilebib.engine.types import Bibliography, Citation, StyleFile

__all__ = ["prepare_bibliography", "prepare_citations", "quote_style"]


def _term(style: StyleFile, name: str, default: str) -> str:
    term = style.root.get_term(name)
    if term is None:
        return default
    single = term.find("cs:single", term.nsmap)
    text = single.text if single is not None else term.text
    return str(text) if text else default


def quote_style(style: StyleFile) -> QuoteStyle:
    """The quotation marks and ``punctuation-in-quote`` of the style's locale."""
    piq = style.root.get_locale_option("punctuation-in-quote")
    return QuoteStyle(
        open=_term(style, "open-quote", "\u201c"),
        close=_term(style, "close-quote", "\u201d"),
        inner_open=_term(style, "open-inner-quote", "\u2018"),
        inner_close=_term(style, "close-inner-quote", "\u2019"),
        punctuation_in_quote=str(piq).lower() == "true",
    )


def prepare_bibliography(bib: Bibliography) -> None:
    """Sort the registered items and settle what depends on the whole list."""
    bib.sort()
    disambiguation.run(bib, citations=False)


def prepare_citations(bib: Bibliography, citations: list[Citation]) -> None:
    """Settle what depends on all citations (disambiguation) before rendering them."""
    if bib.style.has_bibliography():
        bib.sort()
    disambiguation.run(bib)

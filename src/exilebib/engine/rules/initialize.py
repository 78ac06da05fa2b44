"""CSL 1.0.2 name attribute ``initialize``.

Spec ("Name-part Order"/``initialize``): "When set to 'false' (the default is 'true'),
given names are no longer initialized when 'initialize-with' is set. However, the value of
'initialize-with' is still added after initials present in the full given name (e.g. with
initialize-with set to '.', 'James T Kirk' becomes 'James T. Kirk')."

citeproc-py ignores the attribute and initializes every given name. ``initialize`` is an
inheritable name option, so it may also sit on cs:style, cs:citation or cs:bibliography.

Initializing (``initialize-with`` with ``initialize-with-hyphen``, default true: "Jean-Luc"
becomes "J.-L."): a lowercase given-name word is not initialized and keeps no mark ("Ji ho"
gives "J. ho"), and a lowercase part after a hyphen is left out with its hyphen ("Ji-ho"
gives "J.", "Jean-luc Paul" "J.P."), as citeproc-js does; citeproc-py printed "J.-. ho .".
Markup around a given name stays around its initial ("<b>John</b> Q." gives "<b>J.</b> Q.").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import cast

from citeproc.model import CitationStylesElement, Name

from exilebib.engine.markup import is_marker
from exilebib.engine.rules.targets import replace_direct
from exilebib.engine.types import Element, NameElement

#: the inheritable name option this module adds, with its default (citeproc-py knows none)
OPTION_DEFAULTS = {"initialize": "true"}

#: a given-name word split at its periods: each token, and whether a period follows it
_TOKEN = re.compile(r"([^.]+)(\.?)")
#: two capitals then a small letter ("TSerendorjiin"): the first two letters make the initial
_DIGRAPH = re.compile(r"^[A-Z][A-Z][a-z]")


def _tokens(word: str) -> list[tuple[str, bool]]:
    """``word``'s tokens and whether each was abbreviated (a period followed it)."""
    return [(m.group(1), bool(m.group(2))) for m in _TOKEN.finditer(word)]


def _initial(token: str) -> str:
    if _DIGRAPH.match(token):
        return token[0] + token[1].lower()
    return token[0]


def _join(pieces: list[tuple[str, bool]], mark: str) -> str:
    """Initials follow each other directly (the mark carries any space); a space separates
    a word from its neighbours."""
    out = ""
    for index, (text, is_initial) in enumerate(pieces):
        if index and (not is_initial or not pieces[index - 1][1]) and not out.endswith(" "):
            out += " "
        out += text
        if is_initial and mark.endswith(" "):
            out += " "
    return out.strip()


def _unwrap(word: str) -> tuple[str, str, str]:
    """``word`` as (markup opened before it, the word, markup closed after it): a given
    name written "<b>John</b>" initializes to "<b>J.</b>"."""
    start, end = 0, len(word)
    while start < end and is_marker(word[start]):
        start += 1
    while end > start and is_marker(word[end - 1]):
        end -= 1
    return word[:start], word[start:end], word[end:]


def normalise_initials(given: str, mark: str) -> str:
    """initialize="false": full given names stay; initials already present ("M E", "M.E",
    "Ph. M.E.": a capital alone or a token followed by a period) are written with ``mark``
    (with mark ".": "M.E.", "Ph.M.E."; with "": "ME", "PhME"), as citeproc-js writes them."""
    pieces: list[tuple[str, bool]] = []
    for word in str(given).split():
        if word.isalpha() and (len(word) > 1 or not word.isupper()):
            pieces.append((word, False))  # a name of letters only: no initial in it
            continue
        lead, core, trail = _unwrap(word)
        tokens = _tokens(core)
        if "-" in core or all((not abbreviated and len(token) > 1) or not token[:1].isupper()
                              for token, abbreviated in tokens):
            pieces.append((word, False))
            continue
        for index, (token, abbreviated) in enumerate(tokens):
            start = lead if index == 0 else ""
            end = trail if index == len(tokens) - 1 else ""
            if token[:1].isupper() and (abbreviated or len(token) == 1):
                pieces.append((start + f"{token}{mark}".rstrip() + end, True))
            else:
                pieces.append((start + token + end, False))
    return _join(pieces, mark)


def initials(given: str, mark: str) -> str:
    """``given`` initialized with ``mark``, hyphenated parts kept (see the module).

    A token followed by a period is an abbreviation the data already gives ("Ph.", "Me.",
    "ME."): it stays whole, with ``mark`` ("Ph.M.E." gives "Ph M E" with mark " "); any
    other capitalised token gives its initial ("ME" gives "M."), as in citeproc-js."""
    pieces: list[tuple[str, bool]] = []  # (text, is an initial)
    for word in str(given).replace(".-", "-").split():
        if word.isalpha():  # letters only (no hyphen, period or markup): the common case
            if word[0].isupper():
                pieces.append((f"{_initial(word)}{mark}".rstrip(), True))
            else:
                pieces.append((word, False))
            continue
        first, *rest = word.split("-")
        tail = ""
        for part in rest:
            part_lead, part, part_trail = _unwrap(part)
            if part[:1].isupper():
                tail += f"-{part_lead}{part[0]}{mark.rstrip()}{part_trail}"
        lead, first, trail = _unwrap(first)
        tokens = _tokens(first) or [("", False)]
        for index, (token, abbreviated) in enumerate(tokens):
            start = lead if index == 0 else ""
            end = trail + tail if index == len(tokens) - 1 else ""
            if token[:1].isupper():
                text = token if abbreviated else _initial(token)
                pieces.append((start + f"{text}{mark}".rstrip() + end, True))
            elif token or end or start:
                pieces.append((start + token + end, False))
    return _join(pieces, mark)


@replace_direct(CitationStylesElement, "get_option")
def option_default(original: Callable[[Element, str], str | None]) -> Callable[..., str | None]:
    """``initialize`` set on cs:style (or its default) where cs:citation/cs:bibliography
    do not set it."""

    def get_option(self: Element, name: str) -> str | None:
        if name in OPTION_DEFAULTS:
            return self.get(name, OPTION_DEFAULTS[name])
        return original(self, name)

    return get_option


def initialized(element: NameElement, given: str, mark: str, context: Element | None,
                keep_given: bool, hyphen: bool) -> str:
    """``given`` initialized with ``mark`` by ``element`` whose ``initialize`` option is
    "false" (``keep_given``) or not and whose ``initialize-with-hyphen`` is ``hyphen``
    (name_list reads both from the options it resolved once)."""
    if keep_given:
        return normalise_initials(given, mark)
    if not hyphen:  # citeproc-py's own initials (no rule but this one overrides them)
        return cast(str, Name.initialize(element, given, mark, context))
    return initials(str(given), mark)


@replace_direct(Name, "initialize")
def initialize(original: Callable[..., str]) -> Callable[..., str]:
    def initialize(self: NameElement, given: str, mark: str,
                   context: Element | None) -> str:
        return initialized(self, given, mark, context,
                           str(self.get_option("initialize", context)).lower() == "false",
                           self.get_option("initialize-with-hyphen", context))

    return initialize

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
"""

from __future__ import annotations

import re
from typing import Any

from citeproc.model import CitationStylesElement, Name

from exilebib.engine.rules.targets import replace

#: the inheritable name option this module adds, with its default (citeproc-py knows none)
OPTION_DEFAULTS = {"initialize": "true"}

#: a given-name word cut after each period: "Ph.M.E." -> "Ph.", "M.", "E."
_ABBREVIATED = re.compile(r"[^.]+\.?")


def _is_initial(token: str) -> bool:
    """A token written as an initial: one capital letter ("M"), or an abbreviation that
    ends in a period ("M.", "Ph.", "Ts.")."""
    if not token[:1].isupper():
        return False
    return len(token) == 1 or token.endswith(".")


def _initial_letters(word: str) -> str:
    """The letters a word is initialized to: its first, or for a name written with two
    capitals before lowercase (the Mongolian "TSerendorjiin") both, as citeproc-js gives
    "Ts."."""
    if len(word) > 2 and word[1].isupper() and word[2].islower():
        return word[0] + word[1].lower()
    return word[0]


def _join(pieces: list[tuple[str, bool]], mark: str) -> str:
    """The pieces (text, is an initial): initials follow each other as ``mark`` spaces
    them, a full word is set off by a space."""
    out = ""
    for index, (text, is_initial) in enumerate(pieces):
        if index and (not is_initial or not pieces[index - 1][1]) and not out.endswith(" "):
            out += " "
        out += text
        if is_initial and mark.endswith(" "):
            out += " "
    return out.strip()


def _as_initial(token: str, mark: str) -> str:
    """An initial written with ``mark``: "M." or "Ph." keeps its letters, the period gives
    way to the mark (citeproc-js: "Ph.M.E." with " " is "Ph M E")."""
    return (token.rstrip(".") + mark).rstrip()


def normalise_initials(given: str, mark: str) -> str:
    """Keep full given names; put ``mark`` after the initials already present."""
    pieces: list[tuple[str, bool]] = []
    for word in str(given).split():
        tokens = _ABBREVIATED.findall(word)
        if "-" not in word and all(_is_initial(token) for token in tokens):
            pieces += [(_as_initial(token, mark), True) for token in tokens]
        else:
            pieces.append((word, False))
    return _join(pieces, mark)


def initials(given: str, mark: str) -> str:
    """``given`` initialized with ``mark``, hyphenated parts kept (see the module); a part
    already abbreviated with a period keeps its letters ("Ph." stays "Ph.")."""
    pieces: list[tuple[str, bool]] = []  # (text, is an initial)
    for word in str(given).split():
        if "-" in word:
            words = word.replace(".-", "-").replace(".", " ").split()
        else:
            words = _ABBREVIATED.findall(word)
        for part in words:
            if "-" not in part and part.endswith(".") and part[:1].isupper():
                pieces.append((_as_initial(part, mark), True))
                continue
            first, *rest = part.split("-")
            tail = "".join(f"-{p[0]}{mark.rstrip()}" for p in rest if p[:1].isupper())
            if first[:1].isupper():
                pieces.append((f"{_initial_letters(first)}{mark}".rstrip() + tail, True))
            elif first:
                pieces.append((first.rstrip(".") + tail, False))
    return _join(pieces, mark)


@replace(CitationStylesElement, "get_option")
def option_default(original: Any, self: Any, name: str) -> Any:
    """``initialize`` set on cs:style (or its default) where cs:citation/cs:bibliography
    do not set it."""
    if name in OPTION_DEFAULTS:
        return self.get(name, OPTION_DEFAULTS[name])
    return original(self, name)


@replace(Name, "initialize")
def initialize(original: Any, self: Any, given: Any, mark: str, context: Any) -> Any:
    if str(self.get_option("initialize", context)).lower() == "false":
        return normalise_initials(given, mark)
    if not self.get_option("initialize-with-hyphen", context):
        return original(self, given, mark, context)
    return initials(str(given), mark)

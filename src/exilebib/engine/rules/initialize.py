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

_INITIALS = re.compile(r"^(?:\w\.)+\w?\.?$|^\w$", re.U)


def normalise_initials(given: str, mark: str) -> str:
    """Keep full given names; put ``mark`` after the initials already present."""
    pieces = []
    for word in str(given).split():
        if _INITIALS.match(word) and word[0].isupper():
            letters = [c for c in word if c != "."]
            pieces.append("".join(letter + mark for letter in letters).rstrip())
        else:
            pieces.append(word)
    return " ".join(pieces)


def initials(given: str, mark: str) -> str:
    """``given`` initialized with ``mark``, hyphenated parts kept (see the module)."""
    pieces: list[tuple[str, bool]] = []  # (text, is an initial)
    for word in str(given).replace(".-", "-").replace(".", " ").split():
        first, *rest = word.split("-")
        tail = "".join(f"-{part[0]}{mark.rstrip()}" for part in rest if part[:1].isupper())
        if first[:1].isupper():
            pieces.append((f"{first[0]}{mark}".rstrip() + tail, True))
        elif first:
            pieces.append((first + tail, False))
    out = ""
    for index, (text, is_initial) in enumerate(pieces):
        if index and (not is_initial or not pieces[index - 1][1]) and not out.endswith(" "):
            out += " "
        out += text
        if is_initial and mark.endswith(" "):
            out += " "
    return out.strip()


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

""""Did you mean ...?" for names the user typed that do not exist (keys, styles, locales)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

#: How alike (difflib's ratio, 0 to 1) a name must be to be suggested.
CUTOFF = 0.6
#: At most this many suggestions.
MAX_SUGGESTIONS = 3


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """A clause to append to "unknown X 'name'": ``; did you mean 'a' or 'b'?``, or, when a
    choice differs from ``name`` only in case, ``; 'A' differs only in case`` (keys and style
    IDs are case-sensitive, so that is the likely mistake), or ``""`` when nothing is close.

    Matching ignores case, so ``Deutscher1936prophet`` still finds ``deutscher1963prophet``.
    """
    by_lower: dict[str, str] = {}
    for choice in choices:
        by_lower.setdefault(choice.lower(), choice)
    same = by_lower.get(name.lower())
    if same is not None and same != name:
        return f"; '{same}' differs only in case"
    close = difflib.get_close_matches(name.lower(), by_lower, n=MAX_SUGGESTIONS, cutoff=CUTOFF)
    if not close:
        return ""
    quoted = [f"'{by_lower[match]}'" for match in close]
    listed = quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"
    return f"; did you mean {listed}?"

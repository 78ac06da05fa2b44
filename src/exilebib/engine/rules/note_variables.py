"""CSL variables written in an item's ``note`` ("key: value" lines), as citeproc-js reads them.

Zotero keeps the CSL variables it has no field for in "Extra", which reaches CSL-JSON as the
``note``: one ``variable: value`` per line ("original-date: 1885", "genre: Peer commentary",
"reviewed-author: Hall || W.C."). citeproc-js (and so every Zotero user's bibliography)
takes such lines as the variables they name, and the test suite's fixtures rely on it;
citeproc-py printed them as part of the note. Here, before citeproc-py reads the item:

* the lines are read from the start of the note; blank lines are skipped, a first line that
  is not ``key: value`` is skipped too, any later one ends the variables;
* a key is a lowercase CSL name (``container-title-short``) or an all-capitals one (``DOI``);
* a date variable is always taken ("2004-10-01/2004-10-14" is a range; anything else is
  read as ``raw`` date text), ``type`` replaces the item's type, a name variable's lines
  ("Family || Given", or a single name taken as written) give its names, and any other
  variable is taken only where the item does not already have it;
* the lines taken are removed from the note.

Not read: the ``{:key: value}`` form written inside a line.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from exilebib.engine.types import CslDate, CslName

#: citeproc-js's date variables (the ones a note line may set)
DATE_VARIABLES = frozenset({
    "accessed", "available-date", "event-date", "issued", "locator-date", "original-date",
    "publication-date", "submitted",
})
_FIELD = re.compile(r"^([\-_a-z]+|[A-Z]+):\s*([^}]+)$")
_ISO = r"(-?\d{1,4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?"
_DATE = re.compile(rf"^{_ISO}(?:/{_ISO})?$")
_NAME_SEPARATOR = re.compile(r"\s*\|\|\s*")


def _date(text: str) -> CslDate:
    match = _DATE.match(text)
    if not match:
        return {"raw": text}
    groups = match.groups()
    dates: list[list[int | str]] = [[int(p) for p in groups[:3] if p is not None]]
    if groups[3] is not None:
        dates.append([int(p) for p in groups[3:] if p is not None])
    return {"date-parts": dates}


def read_note_variables(item: dict[str, object], name_variables: Collection[str]) -> None:
    """Move the ``key: value`` lines at the start of ``item``'s note into its variables
    (``name_variables``: the variables that hold names)."""
    note = item.get("note")
    if not isinstance(note, str) or ":" not in note:
        return
    lines = note.split("\n")
    names: dict[str, list[CslName]] = {}
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        match = _FIELD.match(line)
        if not match:
            if index == 0:
                continue
            break
        key, value = match.group(1), match.group(2).strip()
        if key == "type":
            item["type"] = value
        elif key in DATE_VARIABLES:
            item[key] = _date(value)
        elif item.get(key):
            continue  # the item's own value wins; the line stays in the note
        elif key in name_variables:
            parts = _NAME_SEPARATOR.split(value)
            if len(parts) == 1:
                names.setdefault(key, []).append({"literal": parts[0]})
            elif len(parts) == 2:
                names.setdefault(key, []).append({"family": parts[0], "given": parts[1]})
        else:
            item[key] = value
        lines[index] = ""
    item.update(names)
    rest = "\n".join(lines).strip()
    if rest:
        item["note"] = rest
    else:
        del item["note"]

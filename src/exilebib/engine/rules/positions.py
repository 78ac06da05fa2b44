"""CSL 1.0.2 "Position": first, subsequent, ibid, ibid-with-locator, near-note.

Positions are decided once, over the citations in document order: a cite is *first* when
no earlier cite refers to the item and *subsequent* otherwise. It is *ibid* when it refers
to the same item as the immediately preceding cite (the previous cite of the same citation,
or the only cite of the previous citation) and both lack a locator or share it; it is
*ibid-with-locator* when its locator differs from the preceding cite's or that one had
none. A cite without a locator after one with a locator stays *subsequent*. *near-note*
holds when the item's previous cite is at most ``near-note-distance`` notes back.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def _locator(cite: Any) -> tuple[str, str] | None:
    if "locator" not in cite:
        return None
    locator = cite["locator"]
    return (str(locator.label), str(locator.identifier))


def assign(citations: Sequence[Any]) -> None:
    """Store ``position``, ``ibid``, ``near_note`` and ``first_note`` on every cite."""
    last_note: dict[str, int] = {}
    first_note: dict[str, int | None] = {}
    previous_cite: Any = None
    previous_citation: Any = None
    for number, citation in enumerate(citations, start=1):
        note = citation.get("note_number") if hasattr(citation, "get") else None
        note_number = note if note else None
        for index, cite in enumerate(citation.cites):
            key = cite.key
            seen = key in last_note
            ibid_candidate: Any = None
            if index > 0:
                ibid_candidate = citation.cites[index - 1]
            elif previous_citation is not None and len(previous_citation.cites) == 1:
                ibid_candidate = previous_cite
            position = "subsequent" if seen else "first"
            ibid = None
            if seen and ibid_candidate is not None and ibid_candidate.key == key:
                mine, theirs = _locator(cite), _locator(ibid_candidate)
                if (mine is None and theirs is None) or mine == theirs:
                    ibid = "ibid"
                elif mine is not None:
                    ibid = "ibid-with-locator"
                # no locator now but one before: "subsequent", not ibid
            cite["position"] = position
            cite["ibid"] = ibid
            here = note_number if note_number is not None else number
            previous = last_note.get(key)
            cite["note_gap"] = here - previous if previous is not None else None
            cite["first_note"] = first_note.get(key)
            if not seen:
                first_note[key] = note_number
            last_note[key] = here
            previous_cite = cite
        previous_citation = citation


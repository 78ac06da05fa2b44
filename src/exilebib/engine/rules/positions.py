"""CSL 1.0.2 "Position": first, subsequent, ibid, ibid-with-locator, near-note, and the
cite variable ``first-reference-note-number``, decided as citeproc-js decides them.

Positions are decided once, over the citations in document order and over the cites of
each citation in the order the citation's ``cs:sort`` puts them. Citations in footnotes
(a note number) and citations in the running text (note number 0 or none) are two separate
sequences: an in-text citation is never ibid of a note, nor the reverse. In each sequence:

* a cite is *first* when no earlier cite of the sequence refers to the item, else
  *subsequent*;
* it may be *ibid* when it refers to the item of the immediately preceding cite: the
  previous cite of the same citation; for the first cite of a citation, the last cite of
  the previous citation in the same note, or the first cite of the previous citation when
  that one is in the note just before (or the same in-text sequence) and alone in its note;
* such a cite is *ibid* when neither has a locator or both have the same one,
  *ibid-with-locator* when the locators differ or only this cite has one, and stays
  *subsequent* when only the preceding cite has one;
* *near-note* holds for a non-first cite when the item's previous cite is at most
  ``near-note-distance`` notes back (always in the running text);
* ``first-reference-note-number`` is the note of the item's first cite, for a later cite
  in another note.

Note numbers that go back (a second document, or numbering restarted) start the history
afresh. Every test of a later position implies the earlier ones: an ibid cite is also
*subsequent*, an ibid-with-locator cite is also *ibid*.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from citeproc.model import Number, Text
from citeproc.source import VariableError

from exilebib.engine.rules.targets import replace, replace_direct
from exilebib.engine.types import (
    Bibliography,
    Citation,
    Cite,
    Element,
    NumberElement,
    Rendered,
    StyleFile,
    VariableMethod,
    VariableValue,
)

FIRST = "first"
SUBSEQUENT = "subsequent"
IBID = "ibid"
IBID_WITH_LOCATOR = "ibid-with-locator"

#: cite keys the positions are stored under (CSL-JSON citation-item spelling where any)
POSITION_KEY = "position"
NEAR_NOTE_KEY = "near_note"
FIRST_NOTE_KEY = "first_note"

#: the variable this rule makes available to cs:text, cs:number and conditions
FIRST_NOTE_VARIABLE = "first-reference-note-number"

DEFAULT_NEAR_NOTE_DISTANCE = 5


def _locator(cite: Cite) -> str | None:
    """The locator as citeproc-js compares it: the value followed by its label."""
    if "locator" not in cite:
        return None
    locator = cite["locator"]
    identifier = str(locator.identifier)
    return identifier + str(locator.label) if identifier else None


def near_note_distance(style: StyleFile | None) -> int:
    citation = style.root.citation if style is not None else None
    try:
        value = citation.get("near-note-distance") if citation is not None else None
        return int(value) if value is not None else DEFAULT_NEAR_NOTE_DISTANCE
    except ValueError:
        return DEFAULT_NEAR_NOTE_DISTANCE


def _bibliography(citation: Citation) -> Bibliography | None:
    """The bibliography the citation is registered with (registering sets it)."""
    bib: Bibliography | None = getattr(citation, "bibliography", None)
    return bib


def _sorted_cites(citation: Citation) -> list[Cite]:
    """The citation's cites in the order its ``cs:sort`` gives them (input order without)."""
    from exilebib.engine.rules.citation_layout import ordered_cites

    bib = _bibliography(citation)
    style_citation = bib.style.root.citation if bib is not None else None
    if style_citation is None or style_citation.sort is None:
        return [cite for cite in citation.cites if not cite.is_bad()]
    return ordered_cites(style_citation.layout, citation)


def _note(citation: Citation) -> int:
    note = citation.get("note_number") if hasattr(citation, "get") else None
    return int(note) if note else 0


#: the cites of each citation of one sequence, with the citation's note number
NoteSequence = list[tuple[int, list[Cite]]]


def assign(citations: Sequence[Citation], distance: int | None = None) -> None:
    """Store the position, ``near_note`` and ``first_note`` on every cite of ``citations``."""
    if distance is None:
        bib = _bibliography(citations[0]) if citations else None
        distance = near_note_distance(bib.style if bib is not None else None)
    sequences: tuple[NoteSequence, NoteSequence] = ([], [])
    for citation in citations:
        note = _note(citation)
        sequences[1 if note else 0].append((note, _sorted_cites(citation)))
    cites_in_note: dict[int, int] = {}  # citeproc-js shares this count across both sequences
    for sequence in sequences:
        _assign_sequence(sequence, cites_in_note, distance)


def _assign_sequence(
    sequence: NoteSequence, cites_in_note: dict[int, int], distance: int
) -> None:
    first_ref: dict[str, int] = {}
    last_ref: dict[str, int] = {}
    for j, (note, cites) in enumerate(sequence):
        if j > 0 and note and sequence[j - 1][0] > note:  # numbering went back: start afresh
            cites_in_note.clear()
            first_ref.clear()
            last_ref.clear()
        cites_in_note[note] = cites_in_note.get(note, 0) + len(cites)
        previous_note, previous_cites = sequence[j - 1] if j > 0 else (0, [])
        for k, cite in enumerate(cites):
            key = cite.key
            first_note = None
            if key not in last_ref:
                first_ref[key] = last_ref[key] = note
                position = FIRST
            else:
                ibid = False
                if j > 0 and k == 0 and previous_note != note:
                    ibid = bool(
                        previous_cites
                        and previous_cites[0].key == key
                        and previous_note >= note - 1
                        and (cites_in_note.get(previous_note) == 1 or previous_note == 0)
                    )
                elif k > 0:
                    ibid = cites[k - 1].key == key
                elif j > 0 and previous_cites:  # an earlier citation in the same note
                    ibid = previous_cites[-1].key == key
                position = SUBSEQUENT
                if ibid:
                    before = cites[k - 1] if k > 0 else previous_cites[0]
                    theirs, mine = _locator(before), _locator(cite)
                    if theirs is None:
                        position = IBID_WITH_LOCATOR if mine is not None else IBID
                    elif mine is not None:
                        position = IBID if mine == theirs else IBID_WITH_LOCATOR
                    # a locator before and none now: subsequent
                if first_ref[key] != note:
                    first_note = first_ref[key]
            near = False
            if note:
                near = position != FIRST and note - last_ref[key] <= distance
                last_ref[key] = note
            elif position != FIRST:
                near = True
            cite[POSITION_KEY] = position
            cite[NEAR_NOTE_KEY] = near
            cite[FIRST_NOTE_KEY] = first_note


def _first_note(item: Cite) -> str:
    value = item.get(FIRST_NOTE_KEY) if hasattr(item, "get") else None
    if not value:
        raise VariableError(FIRST_NOTE_VARIABLE)
    return str(value)


@replace_direct(Text, "_variable")
def first_note_text(original: VariableMethod) -> VariableMethod:
    def _variable(self: Element, item: Cite, context: Element) -> VariableValue | None:
        if self.get("variable") == FIRST_NOTE_VARIABLE:
            return _first_note(item)
        return original(self, item, context)

    return _variable


@replace(Number, "process")
def first_note_number(
    original: Callable[..., Rendered], self: NumberElement, item: Cite,
    context: Element | None = None, **kwargs: object
) -> Rendered:
    if self.get("variable") == FIRST_NOTE_VARIABLE:
        return self._process(_first_note(item), FIRST_NOTE_VARIABLE)
    return original(self, item, context, **kwargs)

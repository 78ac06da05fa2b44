"""The finished essay as Markdown: the author's text byte for byte, each citation replaced
by its text or by a pandoc footnote mark (``[^1]``), the bibliography under its heading,
and the new footnotes (``[^1]: ...``) at the end, as pandoc writes them.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from exilebib.document.compose import Composed
from exilebib.formats import markdown as md_format


@dataclass(frozen=True, slots=True)
class MarkdownEssay:
    """The Markdown text, and the line range the bibliography takes in it (0-based,
    ``[start, end)``) so that other writers can give its paragraphs their own layout."""

    text: str
    bibliography_lines: tuple[int, int]
    #: the footnote label of each new note, by number
    labels: dict[int, str]


def note_labels(doc: Composed) -> dict[int, str]:
    """Labels for the new notes: their numbers, unless the author already uses one."""
    taken = set(doc.essay.definitions)
    numbers = [note.number for note in doc.notes]
    prefix = "cite-" if any(str(n) in taken for n in numbers) else ""
    return {n: f"{prefix}{n}" for n in numbers}


def fragment(html_text: str) -> str:
    return md_format.fragment(html_text)


def bibliography_block(doc: Composed) -> str:
    """The bibliography as Markdown blocks (heading, group titles, entries)."""
    blocks = []
    place = doc.place
    if not any(section.entries for section in doc.bibliography.sections):
        # nothing cited has an entry: no new heading over an empty list (as pandoc)
        return ""
    if place.heading is not None:
        blocks.append("#" * place.level + " " + fragment(html.escape(place.heading)))
    for section in doc.bibliography.sections:
        if section.title:
            level = min(place.level + 1, 6)
            blocks.append("#" * level + " " + fragment(html.escape(section.title)))
        blocks.extend(fragment(entry.html) for entry in section.entries)
    return "\n\n".join(blocks)


def write(doc: Composed) -> MarkdownEssay:
    text = doc.essay.text
    labels = note_labels(doc)
    out: list[str] = []
    position = 0
    inserted = False
    bib_start = bib_end = 0

    def insert_bibliography() -> None:
        nonlocal bib_start, bib_end, inserted
        inserted = True
        block = bibliography_block(doc)
        if not block:
            return
        before = "".join(out).replace("\r\n", "\n")
        if before and not before.endswith("\n"):
            out.append("\n")
        if before and not before.endswith("\n\n"):
            out.append("\n")
        bib_start = "".join(out).count("\n")  # lines count the same with CRLF
        out.append(block + "\n")
        bib_end = "".join(out).count("\n")
        if position < len(text):
            out.append("\n")

    for placed in doc.placed:
        if not inserted and doc.place.offset <= placed.start:
            out.append(text[position : doc.place.offset])
            position = doc.place.offset
            insert_bibliography()
        out.append(text[position : placed.start])
        replacement = fragment(placed.html)
        if placed.note is not None:
            replacement += f"{placed.punctuation}[^{labels[placed.note]}]"
        out.append(replacement)
        position = placed.end
    if not inserted:
        out.append(text[position : doc.place.offset])
        position = max(position, doc.place.offset)
        insert_bibliography()
    out.append(text[position:])
    if doc.notes:
        body = "".join(out).replace("\r\n", "\n")
        tail = "" if body.endswith("\n\n") else ("\n" if body.endswith("\n") else "\n\n")
        out.append(tail)
        out.append("\n".join(f"[^{labels[n.number]}]: {fragment(n.html)}" for n in doc.notes))
        out.append("\n")
    finished = "".join(out)
    if "\r\n" in text:
        # an essay written with CRLF line ends gets them in what exilebib adds too
        finished = finished.replace("\r\n", "\n").replace("\n", "\r\n")
    return MarkdownEssay(finished, (bib_start, bib_end), labels)

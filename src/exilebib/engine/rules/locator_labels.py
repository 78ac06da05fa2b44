"""A locator that starts with its own label ("vol. 1, fol. 186"), as citeproc-js reads it.

A cite's locator comes with a label, "page" unless the document says otherwise. citeproc-js
(its default ``locator_label_parse``) reads a page locator that starts with a label
abbreviation and a space ("vol. 1", "ch. 3", "n. 12") as a locator of that label: "vol. 1,
fol. 186" is volume "1, fol. 186", printed "vol. 1, fol. 186" and not "p. vol. 1, fol. 186".
It does so only when the locale has a term for that label, and never for legal types, whose
locators are their own business.
"""

from __future__ import annotations

import re
from collections.abc import Callable

#: abbreviation -> CSL locator label (citeproc-js's LOCATOR_LABELS_MAP; the labels CSL
#: 1.0.2 lists as locator terms, and "randnummer", which citeproc-js adds)
ABBREVIATIONS = {
    "add": "addendum", "amend": "amendment", "annot": "annotation", "app": "appendix",
    "art": "article", "bibliog": "bibliography", "bk": "book", "ch": "chapter",
    "cl": "clause", "cmt": "comment", "col": "column", "dec": "decision",
    "dept": "department", "ex": "example", "fig": "figure", "fld": "field",
    "fol": "folio", "hypo": "hypothetical", "illus": "illustration",
    "intro": "introduction", "l": "line", "n": "note", "no": "issue", "op": "opus",
    "p": "page", "para": "paragraph", "pmbl": "preamble", "pp": "page",
    "princ": "principle", "pt": "part", "pub": "publication", "r": "rule",
    "rn": "randnummer", "sched": "schedule", "sec": "section", "subch": "subchapter",
    "subdiv": "subdivision", "subpara": "subparagraph", "subsec": "subsection",
    "supp": "supplement", "sv": "sub-verbo", "tbl": "table", "tit": "title",
    "vol": "volume", "vrs": "verse",
}
#: item types whose locators are never relabelled
LEGAL_TYPES = frozenset({"bill", "gazette", "legislation", "regulation", "treaty"})
_LEADING_LABEL = re.compile(r"^([a-z]+)\.\s+(.*)$", re.S)


def locator_label(label: str, locator: str, item_type: str,
                  has_term: Callable[[str], bool]) -> tuple[str, str]:
    """(label, locator) for a cite: a page locator written with its own label gets it."""
    if label != "page" or item_type in LEGAL_TYPES:
        return label, locator
    match = _LEADING_LABEL.match(locator)
    if not match or match.group(1) not in ABBREVIATIONS:
        return label, locator
    found = ABBREVIATIONS[match.group(1)]
    if not has_term(found):
        return label, locator
    return found, match.group(2)

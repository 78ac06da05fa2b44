"""Locators in a cite's suffix, read as pandoc reads them.

pandoc takes the locator labels from the locale: every form (long, short, symbol), singular
and plural, of the CSL locator terms, compared without case. ``[@key, pp. 33-35 and
passim]`` has the label ``page``, the locator ``33-35`` and the suffix `` and passim``; a
suffix that starts with a number has the label ``page``; ``{...}`` marks a locator that
does not look like one (``[@key, {pp. iv, vi-xi}]``). A suffix without a locator is kept,
with ", " put before it unless it starts with punctuation or a space, as pandoc does.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.etree import ElementTree

#: The CSL terms pandoc accepts as locator labels (CSL 1.0.2's locator types).
LOCATOR_TERMS = (
    "act", "appendix", "article-locator", "book", "canon", "chapter", "column", "elocation",
    "equation", "figure", "folio", "issue", "line", "note", "opus", "page", "paragraph",
    "part", "rule", "scene", "section", "sub-verbo", "supplement", "table", "timestamp",
    "title-locator", "verse", "volume",
)

#: Characters that end a locator word (punctuation, except range marks and ':').
_RANGE_MARKS = "-–:"
_BETWEEN_WORDS = re.compile(r"\s*[,;]?\s*")
_LEADING_COMMA = re.compile(r",?\s*")
_ROMAN = re.compile(r"M{0,4}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Locator:
    """A cite's locator: the CSL label (``page``, ``chapter``, ...) and its text."""

    label: str
    value: str


@cache
def locator_labels(locale: str) -> Mapping[str, str]:
    """Every written form of a locator term in ``locale`` (case-folded) → the CSL label.

    The locale's own terms win; en-US fills in what it lacks, as CSL locales fall back.
    """
    # exilebib.styles loads citeproc: imported here, so lint (which reads citekeys) does not
    from exilebib.styles import LOCALES_DIR

    labels: dict[str, str] = {}
    for code in ("en-US", locale):
        path = LOCALES_DIR / f"locales-{code}.xml"
        labels.update(_read_terms(path))
    return labels


def _read_terms(path: Path) -> dict[str, str]:
    from exilebib.styles import CSL_NS

    try:
        root = ElementTree.parse(path).getroot()
    except (OSError, ElementTree.ParseError):
        return {}
    found: dict[str, str] = {}
    for term in root.iter(f"{CSL_NS}term"):
        name = term.get("name", "")
        if name not in LOCATOR_TERMS:
            continue
        forms = [term.text or ""] + [child.text or "" for child in term]
        for form in forms:
            if form.strip():
                found[form.strip().casefold()] = name
    return found


def _is_punctuation(char: str) -> bool:
    return unicodedata.category(char).startswith("P")


def _word_end(text: str, start: int) -> int:
    """The end of the locator word at ``start``: no spaces, no punctuation except range
    marks, balanced brackets, inner periods (``1.2``) but not a final one."""
    position = start
    depth = 0
    while position < len(text):
        char = text[position]
        if char in "([{":
            depth += 1
        elif char in ")]}":
            if depth == 0:
                break
            depth -= 1
        elif char.isspace() or char == "\u00a0":
            if depth == 0:
                break
        elif char == "." and depth == 0:
            nxt = text[position + 1 : position + 2]
            if not nxt or nxt.isspace() or _is_punctuation(nxt):
                break
        elif _is_punctuation(char) and char not in _RANGE_MARKS and depth == 0:
            break
        position += 1
    return position if depth == 0 else start


def _digit_like(word: str, explicit: bool) -> bool:
    """A locator word needs a digit; after an explicit label a Roman numeral will do."""
    if any(char.isdigit() for char in word):
        return True
    if not explicit:
        return False
    parts = [p for p in re.split(r"[()\[\]{}\-–.:]", word) if p]
    return any(_ROMAN.fullmatch(part) for part in parts)


def _locator_words(text: str, start: int, explicit: bool) -> tuple[str, int] | None:
    """The locator's words from ``start`` (``33-35``, ``3, 5``), or None."""
    end = _word_end(text, start)
    if end == start or not _digit_like(text[start:end], explicit):
        return None
    value_end = end
    while True:
        match = _BETWEEN_WORDS.match(text, value_end)
        assert match is not None
        after = match.end()
        if after == value_end or after >= len(text):
            break
        nxt = _word_end(text, after)
        if nxt == after or not _digit_like(text[after:nxt], explicit):
            break
        value_end = nxt
    return text[start:value_end], value_end


def _label_at(text: str, start: int, labels: Mapping[str, str]) -> tuple[str, int] | None:
    """The longest label written at ``start`` that a locator follows."""
    best: tuple[str, int] | None = None
    lowered = text.casefold()
    for form, name in labels.items():
        if lowered.startswith(form, start):
            end = start + len(form)
            # a word label must end at a word boundary ("p" is not the start of "pages")
            if form[-1].isalnum() and end < len(text) and text[end].isalnum():
                continue
            value_start = end
            while value_start < len(text) and text[value_start] in " \u00a0\t\n":
                value_start += 1
            if _locator_words(text, value_start, True) is None:
                continue
            if best is None or end > best[1]:
                best = (name, end)
    return best


def parse_locator(suffix: str, labels: Mapping[str, str]) -> tuple[Locator | None, str]:
    """Split what follows a cite's key into its locator and the remaining suffix."""
    match = _LEADING_COMMA.match(suffix)
    assert match is not None
    start = match.end()
    if suffix.startswith("{", start):
        close = _closing_brace(suffix, start)
        if close is not None:
            inner = suffix[start + 1 : close].lstrip()
            label = "page"
            found = _label_prefix(inner, labels)
            if found is not None:
                label, length = found
                inner = inner[length:]
            return Locator(label, inner.strip()), suffix[close + 1 :]
    found_label = _label_at(suffix, start, labels)
    if found_label is not None:
        label, end = found_label
        value_start = end
        while value_start < len(suffix) and suffix[value_start] in " \u00a0\t\n":
            value_start += 1
        words = _locator_words(suffix, value_start, True)
        assert words is not None
        return Locator(label, words[0].strip()), suffix[words[1] :]
    words = _locator_words(suffix, start, False)
    if words is not None:
        return Locator("page", words[0].strip()), suffix[words[1] :]
    return None, _with_comma(suffix)


def _label_prefix(text: str, labels: Mapping[str, str]) -> tuple[str, int] | None:
    """A label at the start of a braced locator (the longest, followed by a space)."""
    lowered = text.casefold()
    best: tuple[str, int] | None = None
    for form, name in labels.items():
        if not lowered.startswith(form):
            continue
        bounded = len(text) == len(form) or not text[len(form)].isalnum()
        if bounded and (best is None or len(form) > best[1]):
            best = (name, len(form))
    return best


def _closing_brace(text: str, start: int) -> int | None:
    depth = 0
    for position in range(start, len(text)):
        if text[position] == "{":
            depth += 1
        elif text[position] == "}":
            depth -= 1
            if depth == 0:
                return position
    return None


def _with_comma(suffix: str) -> str:
    if not suffix or suffix[0].isspace() or _is_punctuation(suffix[0]):
        return suffix
    return ", " + suffix

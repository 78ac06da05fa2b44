"""Text: unprotected capitals in titles, Unicode normal form, invisible characters, edition.

No LaTeX decoding: the title check reads braces and skips control sequences itself.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterator

from exilebib.bibtex import ValueKind
from exilebib.errors import Severity
from exilebib.latex import VERBATIM_FIELDS, LatexProblem, problems, to_plain
from exilebib.lint.context import EntryView, LintContext
from exilebib.lint.rules import Finding, check, rule
from exilebib.localisation import KEY_FIELDS, unknown_key_problem
from exilebib.names import split_list
from exilebib.sentencecase import is_english

TITLE_CAPITALS = rule(
    "title-capitals",
    Severity.WARNING,
    "text",
    "capitals in a title not protected by braces (case-changing styles lower them)",
)
UNICODE_NFC = rule(
    "unicode-nfc", Severity.WARNING, "text", "text not in Unicode NFC (decomposed accents)"
)
INVISIBLE_CHAR = rule(
    "invisible-char",
    Severity.WARNING,
    "text",
    "zero-width, no-break, bidi-control, soft-hyphen or control characters",
)
EDITION_FORMAT = rule(
    "edition-format",
    Severity.WARNING,
    "text",
    "an edition that is not a number, an ordinal or a short phrase (junk like 'Vol. 2')",
)
LATEX_COMMAND = rule(
    "latex-command",
    Severity.WARNING,
    "text",
    "a LaTeX command exilebib cannot print (its argument is printed without it)",
)
LATEX_DEPTH = rule(
    "latex-depth",
    Severity.WARNING,
    "text",
    "braces or commands nested too deep to convert (the deeper text loses its markup)",
)
_LATEX_RULES = {"latex-command": LATEX_COMMAND, "latex-depth": LATEX_DEPTH}
LOCALISATION_KEY = rule(
    "localisation-key",
    Severity.WARNING,
    "text",
    "a type, series or location that looks like a biblatex key exilebib does not know",
)

#: Fields whose capitals case-changing styles (and pandoc's BibTeX reader) may lower.
TITLE_FIELDS: tuple[str, ...] = ("title", "subtitle", "titleaddon", "booktitle", "maintitle")

#: Lower-case words of four letters or more that title case leaves lower (not evidence of
#: sentence case).
_MINOR_LONG = frozenset(
    [
        "into",
        "with",
        "from",
        "upon",
        "over",
        "onto",
        "than",
        "that",
        "this",
        "about",
        "under",
        "after",
        "before",
        "between",
        "through",
        "without",
        "within",
        "among",
        "versus",
        "while",
        "unto",
        "till",
    ]
)
_INVISIBLE = {
    "\u00a0": "a no-break space (write ~ instead)",
    "\u00ad": "a soft hyphen (write \\- instead)",
    "\u200b": "a zero-width space",
    "\u200c": "a zero-width non-joiner",
    "\u200d": "a zero-width joiner",
    "\u2060": "a word joiner",
    "\ufeff": "a byte-order mark inside the text",
    **{
        chr(c): "a bidirectional-text control"
        for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))
    },
    **{
        chr(c): f"the control character U+{c:04X}"
        for c in (*range(0, 9), 11, 12, *range(14, 32), 127)
    },
}
_INVISIBLE_RE = re.compile("[" + "".join(re.escape(char) for char in _INVISIBLE) + "]")
_ORDINAL_WORDS = frozenset(
    [
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "eleventh",
        "twelfth",
        "thirteenth",
        "fourteenth",
        "fifteenth",
        "sixteenth",
        "seventeenth",
        "eighteenth",
        "nineteenth",
        "twentieth",
    ]
)
_EDITION_OK = re.compile(r"\d+|\d+(?:st|nd|rd|th)|\d+\.", re.IGNORECASE)
_EDITION_JUNK = re.compile(r"\b(?:vol|volume|no|nos|number|issue|pp?|pages?)\b\.?", re.IGNORECASE)
_EDITION_WORD = re.compile(r"\b(?:edition|ed\.|edn\.?)\s*$", re.IGNORECASE)


_COMMAND = re.compile(r"\\(?:[A-Za-z]+|.)")


def _words(title: str) -> Iterator[tuple[int, str, str]]:
    """Words of ``title`` split at unbraced spaces and hyphens: (offset, word, unprotected).

    ``unprotected`` is the word's letters outside braces, math and control-sequence names.
    """
    depth = 0
    math = False
    start = -1
    letters: list[str] = []
    index = 0
    length = len(title)
    while index <= length:
        char = title[index] if index < length else " "
        if depth == 0 and not math and (char.isspace() or char in "-/"):
            if start >= 0:
                yield start, title[start:index], "".join(letters)
            start = -1
            letters = []
            index += 1
            continue
        if start < 0:
            start = index
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        elif depth == 0 and char == "$":
            math = not math
        elif depth == 0 and char == "\\":
            command = _COMMAND.match(title, index)  # title[index:] copied the rest per '\\'
            index += len(command.group()) if command else 1
            continue
        elif depth == 0 and not math and char.isalpha():
            letters.append(char)
        index += 1


def _lower_significant(title: str) -> bool:
    """Whether a significant word of ``title`` (not its first) is in lower case.

    One is enough to call the title sentence case: title case capitalises every one of
    them, while proper nouns can outnumber common words in a sentence-case title.
    """
    sentence_start = True
    for _, word, letters in _words(title):
        starts = sentence_start
        sentence_start = word[-1:] in ":.?!"
        if not letters:
            continue
        significant = not starts and len(letters) >= 4 and word[0].isalpha()
        plain = letters == word.strip(",;'\"")
        if significant and plain and letters[0].islower() and letters not in _MINOR_LONG:
            return True
    return False


def unprotected_capitals(title: str) -> list[tuple[int, str]]:
    """Words whose capitals styles would lower: ``(offset, word)`` in ``title``.

    Interior capitals (``NASA``, ``McCarthy``, ``II``) always count. Capitalised words count
    only when the title is otherwise in sentence case: in a title-case title a capital is
    the title's case, not evidence of a proper noun.
    """
    # Two passes over the words rather than a list of them: a 10 MB title has a million.
    sentence_case = _lower_significant(title)
    found: list[tuple[int, str]] = []
    sentence_start = True
    for offset, word, letters in _words(title):
        starts = sentence_start
        sentence_start = word[-1:] in ":.?!"
        if not letters:
            continue
        interior = any(char.isupper() for char in letters[1:])
        initial = word[0].isalpha() and word[0].isupper() and not starts
        if interior or (sentence_case and initial):
            found.append((offset, word))
    return found


def _entry_at(context: LintContext, starts: list[int], offset: int) -> EntryView | None:
    index = bisect.bisect_right(starts, offset) - 1
    if index >= 0 and context.entries[index].block.end > offset:
        return context.entries[index]
    return None


@check
def text(context: LintContext) -> Iterator[Finding]:
    """Titles, Unicode, invisible characters and editions."""
    for entry in context.entries:
        key = entry.key or None
        language = entry.get("langid") or entry.get("hyphenation") or entry.get("language")
        # Only English titles change case: CSL styles apply title case to English items
        # only, and exilebib converts only English titles to sentence case; a German noun
        # or a Latin title needs no braces.
        titles = TITLE_FIELDS if is_english(to_plain(language) if language else None) else ()
        for name in titles:
            item = entry.by_name.get(name)
            value = entry.get(name)
            if item is None or value is None:
                continue
            found = unprotected_capitals(value)
            if not found:
                continue
            first = item.parts[0]
            exact = len(item.parts) == 1 and first.kind is not ValueKind.MACRO
            offset = first.start + 1 + found[0][0] if exact else item.value_start
            shown = ", ".join(word for _, word in found[:5]) + (", ..." if len(found) > 5 else "")
            yield Finding(
                TITLE_CAPITALS,
                f"{entry.label}: {name} has capitals not protected by braces: {shown}",
                "wrap proper nouns and acronyms in braces, e.g. {NASA} or {Trotsky}, so "
                "styles that change case keep them",
                key=key,
                offset=offset,
                entry=entry,
            )
        edition = entry.get("edition")
        item = entry.by_name.get("edition")
        if edition is not None and item is not None:
            problem = edition_problem(edition.strip())
            if problem:
                yield Finding(
                    EDITION_FORMAT,
                    f"{entry.label}: edition '{edition.strip()}' {problem}",
                    "write the edition as a number (edition = {2}) or a short phrase "
                    "(edition = {Revised}); styles add 'edn'/'ed.' themselves",
                    key=key,
                    offset=item.value_start,
                    entry=entry,
                )
    yield from _latex(context)
    yield from _keys(context)
    yield from _unicode(context)


def _keys(context: LintContext) -> Iterator[Finding]:
    """Localisation keys render cannot resolve, in render's words (exilebib.localisation)."""
    for entry in context.entries:
        for name in sorted(KEY_FIELDS):
            value = entry.get(name)
            item = entry.by_name.get(name)
            if value is None or item is None:
                continue
            for part in split_list(value) if name == "location" else [value]:
                unknown = unknown_key_problem(name, part)
                if unknown is not None:
                    yield Finding(
                        LOCALISATION_KEY,
                        f"{entry.label}: {unknown[0]}",
                        unknown[1],
                        key=entry.key or None,
                        offset=item.value_start,
                        entry=entry,
                    )


def _latex(context: LintContext) -> Iterator[Finding]:
    """The LaTeX that render cannot print, found by the converter render uses, so both
    report the same fields in the same words."""
    for entry in context.entries:
        for name, item in entry.by_name.items():
            value = entry.get(name)
            if name in VERBATIM_FIELDS or value is None:
                continue
            found: tuple[LatexProblem, ...] = problems(value)
            for problem in found:
                message, hint = problem.describe(name)
                yield Finding(
                    _LATEX_RULES[problem.rule],
                    f"{entry.label}: {message}",
                    hint,
                    key=entry.key or None,
                    offset=item.value_start,
                    entry=entry,
                )


def edition_problem(edition: str) -> str | None:
    """Why ``edition`` is junk, or ``None`` when it reads as an edition."""
    lowered = edition.lower()
    if not edition or _EDITION_OK.fullmatch(edition) or lowered in _ORDINAL_WORDS:
        return None
    if _EDITION_JUNK.search(edition):
        return "looks like a volume or issue, not an edition"
    if _EDITION_WORD.search(edition):
        return "repeats the word 'edition', which styles add themselves"
    if re.fullmatch(r"\d{4}", edition):
        return "looks like a year; the year of the edition belongs in date"
    if len(edition) > 40:
        return "is too long for an edition; is it a note?"
    return None


def _invisible(match: re.Match[str], entry: EntryView | None, more: int) -> Finding:
    what = _INVISIBLE[match.group()]
    where = f"{entry.label}" if entry else "the file"
    others = f" (and {more:,} more invisible characters)" if more else ""
    return Finding(
        INVISIBLE_CHAR,
        f"{where} contains {what} (U+{ord(match.group()):04X}), invisible in most "
        f"editors{others}",
        "delete it (or replace it with a plain space)",
        key=entry.key or None if entry else None,
        offset=match.start(),
        entry=entry,
    )


def _unicode(context: LintContext) -> Iterator[Finding]:
    text = context.raw.text
    starts = [entry.block.start for entry in context.entries]
    # One finding per entry (the first character, and how many more): a finding per
    # character made a 10 MB value of them take 12 GB and two minutes.
    first: re.Match[str] | None = None
    first_entry: EntryView | None = None
    more = 0
    for match in _INVISIBLE_RE.finditer(text):
        entry = _entry_at(context, starts, match.start())
        if first is not None and entry is first_entry:
            more += 1
            continue
        if first is not None:
            yield _invisible(first, first_entry, more)
        first, first_entry, more = match, entry, 0
    if first is not None:
        yield _invisible(first, first_entry, more)
    if unicodedata.is_normalized("NFC", text):
        return
    for entry in context.entries:
        span = text[entry.block.start : entry.block.end]
        if unicodedata.is_normalized("NFC", span):
            continue
        index = next((i for i, char in enumerate(span) if unicodedata.combining(char)), 1) - 1
        yield Finding(
            UNICODE_NFC,
            f"{entry.label} has decomposed characters (a letter followed by a "
            "combining accent); searches and sorting treat them as different letters",
            "normalise the file to NFC (most editors: 'Unicode normalization: NFC')",
            key=entry.key or None,
            offset=entry.block.start + max(index, 0),
            entry=entry,
        )

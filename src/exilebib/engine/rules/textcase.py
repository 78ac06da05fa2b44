"""CSL 1.0.2 "Text-case" (Formatting, "Text-case"), on text made of several pieces.

Spec: "lowercase"/"uppercase" change every letter; "capitalize-first": "capitalizes the
first character of the first word, if the word is lowercase"; "capitalize-all":
"capitalizes the first character of every lowercase word"; "title": "the first character
of each lowercase word is capitalized ... stop words are lowercased, unless they are the
first or last word in the string, or follow a colon"; "sentence": the first word is
capitalized. Appendix VI: text in ``<span class="nocase">`` is never changed.

citeproc-py splits a value into words *per piece* and joins them with spaces (a title whose
first word is protected, "{Trotsky}: A Biography", comes out as "Trotsky : A Biography"),
ignores nocase spans for lowercase/uppercase and knows no word boundaries but spaces. Here
the text is changed in place, the way citeproc-js (the reference processor the CSL test
suite is written for) reads the spec:

* the text is cut into *strings* at *tags*: formatting and quote markers, case-protected
  spans, quotation marks and apostrophes, and ``- – — / . , ; ? ! : [ ] ( )``; a string is
  split into words at white space. So "one-way" is two words ("One-Way"), and "’s" after a
  protected "Trotsky" is a word that starts after an apostrophe;
* text in nocase spans, small caps, superscript and subscript is left alone;
* a word is changed only if it is all lowercase, by upper-casing its first character (a lone
  Greek letter stays, "β-Carotine"); the string after an apostrophe or an unpaired quotation
  mark keeps its first character ("Trotsky’s", "’tis", "Rock’n’roll");
* title: a word is capitalized unless it is a single letter or a stop word (citeproc-js's
  list, a superset of the spec's: also "about", "von", "de", ...), except the first word and
  the word after ``: ? !``; a stop word ending the text is capitalized, and so is one
  right before a hyphen that is the text's first tag ("Pro-Environmental"; citeproc-js
  looks at the tag after the first string only, so "Out-of-Fashion" keeps "of");
* sentence: the first word is capitalized, every other word lowercased.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from citeproc.model import TextCased
from citeproc.string import MixedString, NoCase, String

from exilebib.engine.markup import MARKERS, Kind, close_marker, open_marker
from exilebib.engine.rules.targets import replace_direct
from exilebib.engine.types import Element, RichText

#: citeproc-js's skip words (``CSL.SKIP_WORDS``), matched like its regular expression
#: (entries are regex alternatives, so "vs." also matches "vsx"); its multi-word entries
#: ("according to", ...) are left out, as a word never contains a space
_STOP_WORDS = """
    about above across afore after against al along alongside amid amidst among amongst
    anenst apropos apud around as aside astride at athwart atop barring before behind below
    beneath beside besides between beyond but by circa despite down during et except for
    forenenst from given in inside into lest like modulo near next notwithstanding of off on
    onto out over per plus pro qua sans since than through throughout thruout till to
    toward towards under underneath until unto up upon versus vs. v. vs v via vis-à-vis with
    within without or yet so and nor a an the de d' von van c ca
"""
STOP_WORDS = tuple(_STOP_WORDS.split())
_STOP = re.compile("(?:" + "|".join(STOP_WORDS) + ")")
_TAG_CHARS = "\u2018\u2019\u201c\u201d\"'\\-\u2013\u2014/.,;?!:\\[\\]()" + "".join(
    sorted(MARKERS)
)
_TAG = re.compile(f"([{_TAG_CHARS}])")
_SPACE = re.compile("([\u00a0\u0020\u2000-\u200b\u205f\u3000]+)")
_NOCASE_OPEN = "\x00nocase"
_NOCASE_CLOSE = "\x00/nocase"
#: formatting whose content no text-case touches (citeproc-js treats them as nocase)
_PROTECTING = {
    open_marker(kind): close_marker(kind)
    for kind in (Kind.SMALL_CAPS, Kind.SUPERSCRIPT, Kind.SUBSCRIPT)
} | {_NOCASE_OPEN: _NOCASE_CLOSE}
_QUOTE_PAIRS = {"\u2018": "\u2019", "\u201c": "\u201d"}
_GREEK = re.compile("^[\u0370-\u03ff]$")


def is_stop_word(word: str) -> bool:
    return bool(_STOP.fullmatch(word.lower()))


def capitalise(word: str) -> str:
    """Upper-case the first character of ``word`` (not a lone Greek letter)."""
    stripped = word.lstrip()
    if not stripped or _GREEK.match(stripped):
        return word
    lead = len(word) - len(stripped)
    return word[:lead] + stripped[0].upper() + stripped[1:]


@dataclass
class _Text:
    """The text cut into strings and the tags between them (``strings[i+1]`` follows
    ``tags[i]``); ``nocase[i]`` says whether ``strings[i]`` is inside a nocase span."""

    strings: list[str] = field(default_factory=lambda: [""])
    tags: list[str] = field(default_factory=list)
    nocase: list[bool] = field(default_factory=lambda: [False])

    def tag(self, tag: str, nocase: bool) -> None:
        self.tags.append(tag)
        self.strings.append("")
        self.nocase.append(nocase)

    @classmethod
    def cut(cls, segments: Sequence[object]) -> _Text:
        text = cls()
        for segment in segments:
            if isinstance(segment, NoCase):
                text.tag(_NOCASE_OPEN, True)
                text.strings[-1] += str(segment)
                text.tag(_NOCASE_CLOSE, False)
                continue
            for index, piece in enumerate(_TAG.split(str(segment))):
                if index % 2:
                    text.tag(piece, False)
                else:
                    text.strings[-1] += piece
        return text

    def join(self) -> RichText:
        out: list[RichText] = []
        plain = ""
        for index, string in enumerate(self.strings):
            if self.nocase[index]:
                if plain:
                    out.append(String(plain))
                    plain = ""
                if string:
                    out.append(NoCase(string))
            else:
                plain += string
            if index < len(self.tags) and not self.tags[index].startswith("\x00"):
                plain += self.tags[index]
        if plain or not out:
            out.append(String(plain))
        return MixedString(out) if len(out) != 1 else out[0]


@dataclass
class _Case:
    """citeproc-js's text-case state machine; ``words`` changes the words of one string."""

    words: Callable[[_Case, list[str], int, str], None]
    quotes: bool = True
    first: bool = True
    after_punct: bool = False
    #: (string index, word index) of the last word changed, for title's last stop word
    last_word: tuple[int, int] | None = None

    def run(self, text: _Text) -> None:
        original = list(text.strings)
        restore: list[int] = []
        open_quotes: list[tuple[str, int]] = []
        protected: list[str] = []
        if text.strings[0].strip():
            self._change(text, 0)
        for index, tag in enumerate(text.tags):
            string = text.strings[index + 1]
            if tag in _PROTECTING:
                protected.append(_PROTECTING[tag])
            elif protected and tag == protected[-1]:
                protected.pop()
            if tag[-1:] in "!?:":
                self.after_punct = True
            if not protected:
                self._change(text, index + 1)
            elif string.strip():
                self.last_word = None
            if self.quotes and tag in "\u2018\u2019\u201c\u201d\"'":
                # an unpaired quotation mark or an apostrophe: the next string keeps its
                # first character (paired quotes are markers, not these characters)
                if tag in _QUOTE_PAIRS:
                    if open_quotes and open_quotes[-1][0] != tag:
                        restore.append(open_quotes.pop()[1])
                    open_quotes.append((tag, index))
                elif open_quotes and _QUOTE_PAIRS[open_quotes[-1][0]] == tag:
                    open_quotes.pop()
                else:
                    restore.append(index)
            if string.strip():
                self.first = False
                self.after_punct = False
        restore.extend(index for _tag, index in open_quotes)
        for index in restore:
            changed = text.strings[index + 1]
            text.strings[index + 1] = original[index + 1][:1] + changed[1:]

    def _change(self, text: _Text, index: int) -> None:
        pieces = _SPACE.split(text.strings[index])
        following = text.tags[0] if index == 0 and text.tags else ""
        self.words(self, pieces, index, following)
        text.strings[index] = "".join(pieces)


def _title(state: _Case, pieces: list[str], index: int, following: str) -> None:
    for j in range(0, len(pieces), 2):
        word = pieces[j]
        if not word:
            continue
        lower = word.lower()
        change = (
            (len(word) > 1 and not is_stop_word(word))
            or (j == len(pieces) - 1 and following == "-")
            or state.first
            or state.after_punct
        )
        if change and word == lower:
            pieces[j] = capitalise(word)
        state.after_punct = False
        state.first = False
        state.last_word = (index, j)


def _capitalize_all(state: _Case, pieces: list[str], index: int, following: str) -> None:
    for j in range(0, len(pieces), 2):
        if pieces[j] and pieces[j] == pieces[j].lower():
            pieces[j] = capitalise(pieces[j])


def _capitalize_first(state: _Case, pieces: list[str], index: int, following: str) -> None:
    for j in range(0, len(pieces), 2):
        if pieces[j] and state.first:
            if pieces[j] == pieces[j].lower():
                pieces[j] = capitalise(pieces[j])
            state.first = False
            return


def _sentence(state: _Case, pieces: list[str], index: int, following: str) -> None:
    for j in range(0, len(pieces), 2):
        if pieces[j]:
            if state.first:
                pieces[j] = capitalise(pieces[j])
                state.first = False
            else:
                pieces[j] = pieces[j].lower()


def _lowercase(state: _Case, pieces: list[str], index: int, following: str) -> None:
    pieces[:] = [piece.lower() for piece in pieces]


def _uppercase(state: _Case, pieces: list[str], index: int, following: str) -> None:
    pieces[:] = [piece.upper() for piece in pieces]


_CASES: dict[str, tuple[Callable[[_Case, list[str], int, str], None], bool]] = {
    "title": (_title, True),
    "capitalize-all": (_capitalize_all, True),
    "capitalize-first": (_capitalize_first, True),
    "sentence": (_sentence, True),
    "lowercase": (_lowercase, False),
    "uppercase": (_uppercase, False),
}


def change_case(text: CaseText, text_case: str) -> RichText:
    """``text`` (a String or a MixedString with nocase segments) in ``text_case``."""
    words, quotes = _CASES[text_case]
    segments = list(text) if isinstance(text, MixedString) else [text]
    cut = _Text.cut(segments)
    state = _Case(words, quotes)
    state.run(cut)
    if text_case == "title" and state.last_word is not None:
        index, j = state.last_word
        pieces = _SPACE.split(cut.strings[index])
        if j < len(pieces) and len(pieces[j]) > 1 and is_stop_word(pieces[j]):
            pieces[j] = capitalise(pieces[j])
            cut.strings[index] = "".join(pieces)
    return cut.join()


#: Turkish and Azerbaijani dotted and dotless i, which Unicode's default case mapping
#: gets wrong for them (citeproc-js cases by the item's language): text-case -> (from, to)
_TURKIC_I = {"uppercase": ("i", "\u0130"), "lowercase": ("I", "\u0131")}
_TURKIC = frozenset({"tr", "az"})


#: what text-case receives: rendered text, or a number as a date-part or
#: ``citation-number`` gives it
CaseText = RichText | str | int
#: ``TextCased.case(self, text, language)``
CaseMethod = Callable[[Element, CaseText, str | None], CaseText]


@replace_direct(TextCased, "case")
def case(original: CaseMethod) -> CaseMethod:
    def case(self: Element, text: CaseText, language: str | None = None) -> CaseText:
        text_case = self.get("text-case")
        if text_case not in _CASES:
            return original(self, text, language)
        if text_case == "title" and language not in (None, "en"):
            return text
        if language in _TURKIC and text_case in _TURKIC_I and not isinstance(text, int):
            text = text.replace(*_TURKIC_I[text_case])
        return change_case(text, text_case)

    return case

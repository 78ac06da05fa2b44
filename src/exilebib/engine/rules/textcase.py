"""CSL 1.0.2 "Text-case" on text made of several pieces.

Spec: "title": "For lower or mixed case strings, the first character of each lowercase word
is capitalized. The case of words in mixed or uppercase stay the same ... stop words are
lowercased, unless they are the first or last word in the string, or follow a colon";
"capitalize-first": "capitalizes the first character of the first word, if the word is
lowercase"; "capitalize-all": "capitalizes the first character of every lowercase word";
"sentence": the first word is capitalized if lowercase, "the case of all other words stays
the same" (uppercase strings are lowercased first). Text in ``<span class="nocase">`` is
never changed.

citeproc-py splits a value into words *per piece* and joins them with spaces, so a title
whose first word is protected ("{Trotsky}: A Biography" in BibTeX) comes out as
"Trotsky : A Biography". Here words are changed in place and the text between them kept.
"""

from __future__ import annotations

import re
from typing import Any

from citeproc.model import TextCased
from citeproc.string import MixedString, NoCase, String

from exilebib.engine.markup import MARKERS
from exilebib.engine.rules._switch import replace

_WORD = re.compile(r"\S+")
STOP_WORDS = frozenset(TextCased._stop_words)


def _letters(word: str) -> str:
    return "".join(c for c in word if c.isalpha())


def _capitalize(word: str) -> str:
    for index, char in enumerate(word):
        if char not in MARKERS and char.isalpha():
            return word[:index] + char.upper() + word[index + 1:]
        if char not in MARKERS and char.isalnum():
            return word
    return word


def _segments(text: Any) -> list[Any]:
    return list(text) if isinstance(text, MixedString) else [text]


@replace(TextCased, "case")
def case(original: Any, self: Any, text: Any, language: Any = None) -> Any:
    text_case = self.get("text-case")
    if text_case not in ("title", "capitalize-all"):
        return original(self, text, language)
    if text_case == "title" and language not in (None, "en"):
        return text
    segments = _segments(text)
    words = [(i, m) for i, seg in enumerate(segments) if not isinstance(seg, NoCase)
             for m in _WORD.finditer(str(seg))]
    all_words = sum(len(_WORD.findall(str(seg))) for seg in segments)
    plain = "".join(str(s) for s in segments if not isinstance(s, NoCase))
    upper = plain.isupper()
    state = {"count": 0, "after_colon": True}
    out = []
    for seg in segments:
        if isinstance(seg, NoCase):
            count = len(_WORD.findall(str(seg)))
            if count:
                state["count"] += count
                state["after_colon"] = str(seg).rstrip().endswith(":")
            out.append(seg)
            continue

        def change(match: re.Match[str]) -> str:
            word = match.group(0)
            position = state["count"]
            first = position == 0
            last = position == all_words - 1
            after_colon = state["after_colon"]
            state["count"] += 1
            state["after_colon"] = word.endswith(":")
            letters = _letters(word)
            if text_case == "capitalize-first":
                return _capitalize(word) if first and letters.islower() else word
            if text_case == "capitalize-all":
                return _capitalize(word) if letters.islower() else word
            if text_case == "sentence":
                if upper:
                    word = word.lower()
                return _capitalize(word) if first and _letters(word).islower() else word
            # title (words in capitals stay as they are: "UK", "OC")
            if letters.lower() in STOP_WORDS and not (first or last or after_colon):
                return word.lower() if letters.islower() or upper else word
            return _capitalize(word) if letters.islower() else word

        out.append(String(_WORD.sub(change, str(seg))))
    del words
    return MixedString(out) if len(out) != 1 else out[0]

"""English titles from BibTeX's Title Case to CSL's sentence case, as pandoc converts them.

BibTeX files store titles in Title Case and brace the words whose capitals must stay; CSL
expects titles in sentence case and applies title case itself where a style asks (Chicago),
so a style that prints sentence case (Harvard, APA) needs them lowered. pandoc's biblatex
reader (through citeproc's sentence-case transform) does this for English entries; exilebib
follows it:

- a word whose first letter is its only capital (``Frontier``, ``“Red``) is lowered;
- a word with another capital (``USSR``, ``McCarthy``, ``iPod``, ``II``) is kept, and so
  is a one-letter word other than ``A``: the pronoun ``I``, a numeral ``V``, an initial
  (pandoc lowers them: "What i saw");
- the first word of the title and of each sentence in it (after ``:``, ``.``, ``?``,
  ``!``) gets a capital;
- text in a ``nocase`` span (a braced group in the ``.bib``) is never changed;
- hyphenated words are changed part by part (``Twentieth-Century`` → ``twentieth-century``);
  a word that begins with a digit gets no capital at a sentence's start (``2-groups``).

Works on CSL-JSON rich text: tags pass through untouched.
"""

from __future__ import annotations

import re

_TAG = re.compile(r"<[^>]+>")
_NOCASE_OPEN = '<span class="nocase">'
#: what ends a sentence inside a title: the next word gets a capital
_SENTENCE_END = frozenset(":.?!")


def _chars(text: str) -> tuple[list[str], list[bool], list[tuple[int, str]]]:
    """The text's characters, whether each is protected (inside a nocase span), and the
    tags with the index of the character they stand before."""
    chars: list[str] = []
    protected: list[bool] = []
    tags: list[tuple[int, str]] = []
    stack: list[bool] = []
    last = 0
    for match in _TAG.finditer(text):
        for char in text[last : match.start()]:
            chars.append(char)
            protected.append(any(stack))
        last = match.end()
        tag = match.group(0)
        tags.append((len(chars), tag))
        if tag.startswith("</"):
            if tag == "</span>" and stack:
                stack.pop()
        elif tag.startswith("<span"):
            stack.append(tag == _NOCASE_OPEN)
    for char in text[last:]:
        chars.append(char)
        protected.append(any(stack))
    return chars, protected, tags


def to_sentence_case(text: str) -> str:
    """``text`` (CSL rich text) in sentence case; see the module docstring for the rules."""
    chars, protected, tags = _chars(text)
    start = True
    index = 0
    length = len(chars)
    while index < length:
        if chars[index].isspace():
            index += 1
            continue
        end = index
        while end < length and not chars[end].isspace():
            end += 1
        word = range(index, end)
        letters = [i for i in word if chars[i].isalpha()]
        if letters:
            _change_word(chars, protected, index, end, start)
            start = False
        if chars[end - 1] in _SENTENCE_END or (
            end - 2 >= index and chars[end - 1] in "”’)\"'" and chars[end - 2] in _SENTENCE_END
        ):
            start = True
        index = end
    out: list[str] = []
    position = 0
    for at, tag in tags:
        out.append("".join(chars[position:at]))
        out.append(tag)
        position = at
    out.append("".join(chars[position:]))
    return "".join(out)


def _change_word(
    chars: list[str], protected: list[bool], begin: int, end: int, start: bool
) -> None:
    """Lower or capitalise the word ``chars[begin:end]`` (each hyphenated part on its own)."""
    part_begin = begin
    first_part = True
    for position in range(begin, end + 1):
        if position < end and chars[position] not in "-/–":
            continue
        letters = [i for i in range(part_begin, position) if chars[i].isalpha()]
        if letters and not any(protected[i] for i in letters):
            head, rest = letters[0], letters[1:]
            leading = chars[part_begin:head]
            if start and first_part:
                # only a word that begins with its letter (after quotes or brackets) takes
                # a capital: "2-groups" and "3rd series" keep theirs small
                if not any(char.isdigit() for char in leading):
                    chars[head] = chars[head].upper()
            elif (
                chars[head].isupper()
                and not any(chars[i].isupper() for i in rest)
                and not (len(letters) == 1 and chars[head] != "A")
            ):
                chars[head] = chars[head].lower()
        first_part = False
        part_begin = position + 1


#: ``langid``/``hyphenation``/``language`` values that mean English (babel and polyglossia
#: names and BCP 47 tags)
ENGLISH_LANGUAGES = frozenset(
    {"english", "american", "british", "canadian", "australian", "newzealand", "ukenglish",
     "usenglish", "en", "en-us", "en-gb", "en-ca", "en-au", "en-nz"}
)  # fmt: skip


def is_english(language: str | None) -> bool:
    """Whether an entry with this language (``None``: none given) has English titles."""
    return language is None or language.strip().lower() in ENGLISH_LANGUAGES

"""BibTeX name lists → CSL-JSON name objects.

BibTeX's rules (Patashnik, "Designing BibTeX Styles"; Lamport's name format): names are
separated by a top-level ``and``; a name is ``First von Last``, ``von Last, First`` or
``von Last, Jr, First``; the *von* part is the run of words that start in lower case;
anything in braces is one token; a name that is a single braced group is an institution.
``others`` at the end stands for "and others" (CSL has no such name: see :data:`ETAL`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from exilebib.latex import to_plain

#: The BibTeX spelling of "and others"; it ends a list and is not a person.
ETAL = "others"

_AND = re.compile(r"\s+and\s+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class NameList:
    """The CSL name objects of one field, and whether the list ended in ``and others``."""

    names: tuple[dict[str, str], ...]
    et_al: bool = False


#: The parts of biblatex's extended name format (manual §3.4, "Extended name format"):
#: ``family=Goethe, given=Johann Wolfgang, prefix=von, useprefix=false``; the ``-i`` forms
#: give the initials biblatex would print and are not needed by CSL.
EXTENDED_KEYS: frozenset[str] = frozenset(
    {"family", "given", "prefix", "suffix", "useprefix",
     "family-i", "given-i", "prefix-i", "suffix-i"}
)  # fmt: skip
_EXTENDED_PART = re.compile(r"^\s*([A-Za-z][A-Za-z-]*)\s*=\s*(.*)$", re.DOTALL)
_TRUE = frozenset({"true", "yes", "1", "on", ""})


def _split_top_level(text: str, separator: re.Pattern[str]) -> list[str]:
    """Split ``text`` at ``separator`` matches that stand outside braces."""
    parts: list[str] = []
    depth = 0
    start = 0
    index = 0
    while index < len(text):
        char = text[index]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth == 0:
            match = separator.match(text, index)
            if match:
                parts.append(text[start:index])
                start = index = match.end()
                continue
        index += 1
    parts.append(text[start:])
    return [part.strip() for part in parts]


def _words(text: str) -> list[str]:
    """Whitespace-separated tokens, a braced group counting as part of its word."""
    return [w for w in _split_top_level(text, re.compile(r"\s+")) if w]


def _commas(text: str) -> list[str]:
    return _split_top_level(text, re.compile(r","))


def _is_lower(word: str) -> bool:
    """BibTeX's test for a *von* word: its first letter outside braces is lower case.

    A word that begins with a brace group is checked on the group's first letter only when
    the group starts with a command (``{\\"u}ber``), as BibTeX does.
    """
    depth = 0
    index = 0
    while index < len(word):
        char = word[index]
        if char == "{":
            depth += 1
            if word.startswith("{\\", index):
                letters = re.match(r"\{\\[^A-Za-z]?([A-Za-z]+)", word[index:])
                if letters and len(letters.group(1)) > 2:  # \ss, \oe: a special character
                    return letters.group(1)[0].islower()
        elif char == "}":
            depth -= 1
        elif char.isalpha():
            if depth == 0:
                return char.islower()
            return False  # a protected capital word ({Van} Gogh) is not a von part
        index += 1
    return False


def _clean(words: list[str]) -> str:
    return to_plain(" ".join(words)).strip()


def is_extended(text: str) -> bool:
    """Whether ``text`` is written in biblatex's extended name format (``key=value``
    parts: the first part outside braces names a key)."""
    return _EXTENDED_PART.match(_commas(text.strip())[0]) is not None


def _unbrace(value: str) -> str:
    value = value.strip()
    if value.startswith("{") and value.endswith("}"):
        value = value[1:-1]
    return to_plain(value).strip()


#: how to write an extended name, the hint of every problem with one (render and lint)
EXTENDED_HINT = "write it as family=..., given=..., prefix=..., useprefix=true or false"


def extended_problems(text: str) -> tuple[str, ...]:
    """What is wrong with an extended name, as messages (empty when it reads)."""
    found: list[str] = []
    keys: set[str] = set()
    for part in _commas(text.strip()):
        match = _EXTENDED_PART.match(part)
        if match is None:
            found.append(
                f"the extended name '{text.strip()}' has a part without '=': '{part}'; "
                "write every part as key=value"
            )
            continue
        key = match.group(1).lower()
        if key not in EXTENDED_KEYS:
            known = ", ".join(sorted(k for k in EXTENDED_KEYS if not k.endswith("-i")))
            found.append(
                f"the extended name '{text.strip()}' has the unknown part '{key}' "
                f"(biblatex knows {known})"
            )
        keys.add(key)
    if "family" not in keys and "given" not in keys:
        found.append(f"the extended name '{text.strip()}' has neither family= nor given=")
    return tuple(found)


def _parse_extended(text: str, useprefix: bool) -> dict[str, str]:
    parts: dict[str, str] = {}
    for part in _commas(text.strip()):
        match = _EXTENDED_PART.match(part)
        if match is not None:
            parts.setdefault(match.group(1).lower(), match.group(2))
    if "useprefix" in parts:
        useprefix = parts["useprefix"].strip().lower() in _TRUE
    name: dict[str, str] = {}
    for key, target in (("family", "family"), ("given", "given"), ("suffix", "suffix")):
        if parts.get(key, "").strip():
            name[target] = _unbrace(parts[key])
    if parts.get("prefix", "").strip():
        # biblatex's useprefix=false (the default) treats "von" as a dropping particle.
        particle = "non-dropping-particle" if useprefix else "dropping-particle"
        name[particle] = _unbrace(parts["prefix"])
    if not name.get("family") and name.get("given"):
        name["family"] = name.pop("given")  # a one-part name is its family name
    return name


def parse_name(text: str, *, useprefix: bool = False) -> dict[str, str]:
    """One BibTeX name → a CSL name object (``family``/``given``/particles/``suffix``)."""
    text = text.strip()
    if is_extended(text):
        return _parse_extended(text, useprefix)
    one_group = _split_top_level(text, re.compile(r"\s")) == [text]
    if text.startswith("{") and text.endswith("}") and one_group:
        inner = text[1:-1]
        if "{" not in inner or inner.count("{") == inner.count("}"):
            return {"literal": to_plain(inner).strip()}
    parts = _commas(text)
    first: list[str]
    von: list[str] = []
    last: list[str]
    jr: list[str] = []
    if len(parts) == 1:
        words = _words(parts[0])
        if len(words) == 1:
            return {"family": _clean(words)}
        # First von Last: von starts at the first lower-case word (not the last word).
        lower = [i for i, w in enumerate(words[:-1]) if _is_lower(w)]
        if lower:
            start, end = lower[0], lower[-1]
            first, von, last = words[:start], words[start : end + 1], words[end + 1 :]
        else:
            first, last = words[:-1], words[-1:]
    else:
        head = _words(parts[0])
        if len(parts) >= 3:
            jr = _words(parts[1])
            first = _words(", ".join(parts[2:]))
        else:
            first = _words(parts[1])
        lower = [i for i, w in enumerate(head[:-1]) if _is_lower(w)]
        if lower:
            von, last = head[: lower[-1] + 1], head[lower[-1] + 1 :]
        else:
            last = head
    name: dict[str, str] = {"family": _clean(last)}
    if first:
        name["given"] = _clean(first)
    if von:
        # biblatex's useprefix=false (the default) treats "von" as a dropping particle.
        name["non-dropping-particle" if useprefix else "dropping-particle"] = _clean(von)
    if jr:
        name["suffix"] = _clean(jr)
    return name


def split_list(value: str) -> list[str]:
    """A biblatex list (names or a literal list such as ``location``) → its items, split
    at every ``and`` outside braces (``{Routledge and Kegan Paul}`` is one item)."""
    return [part for part in _split_top_level(value.strip(), _AND) if part]


def parse_names(value: str, *, useprefix: bool = False) -> NameList:
    """A whole ``author``/``editor``/... value → :class:`NameList`."""
    raw = [part for part in _split_top_level(value.strip(), _AND) if part]
    et_al = bool(raw) and raw[-1].lower() == ETAL
    if et_al:
        raw = raw[:-1]
    names = tuple(name for name in (parse_name(p, useprefix=useprefix) for p in raw) if name)
    return NameList(names, et_al)


#: biblatex's name-list fields (the ones lint and render check).
NAME_FIELDS: tuple[str, ...] = (
    "author", "editor", "editora", "editorb", "editorc", "translator", "annotator",
    "commentator", "introduction", "foreword", "afterword", "bookauthor", "holder",
)  # fmt: skip

#: Words that mark an organisation, not a person (chosen to be rare as surnames).
CORPORATE_WORDS = frozenset(
    [
        "institute",
        "institution",
        "museum",
        "university",
        "organization",
        "organisation",
        "commission",
        "committee",
        "society",
        "association",
        "company",
        "corporation",
        "inc",
        "inc.",
        "ltd",
        "ltd.",
        "llc",
        "gmbh",
        "foundation",
        "department",
        "ministry",
        "council",
        "agency",
        "library",
        "archive",
        "archives",
        "commons",
        "bureau",
        "government",
        "federation",
        "academy",
        "laboratory",
        "centre",
        "center",
    ]
)

_LIST_AND = re.compile(r"\s+and(?=\s)", re.IGNORECASE)


def split_names(value: str) -> list[tuple[str, int]]:
    """The names of a list with their offsets in ``value``, split on ``and`` outside braces."""
    names: list[tuple[str, int]] = []
    depth = 0
    start = 0
    index = 0
    # Pad so that a leading or trailing "and" is found as a separator too.
    padded = f" {value} "
    while index < len(padded):
        char = padded[index]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth == 0 and char.isspace():
            match = _LIST_AND.match(padded, index)
            if match:
                names.append((padded[start : match.start()], start - 1))
                start = index = match.end()
                continue
        index += 1
    names.append((padded[start:], start - 1))
    return [(text.strip(), offset + len(text) - len(text.lstrip())) for text, offset in names]


def _top_level(name: str) -> str:
    """``name`` with every braced group removed (what BibTeX splits on)."""
    depth = 0
    out: list[str] = []
    for char in name:
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth == 0:
            out.append(char)
    return "".join(out)




@dataclass(frozen=True, slots=True)
class NameProblem:
    """Something wrong with one name of a list, worded once for render and lint.

    ``rule`` is the diagnostic id; ``message`` follows the entry's label ("entry 'k': ...");
    ``offset`` is where the name starts in the field's value.
    """

    rule: str
    message: str
    hint: str
    offset: int


def name_problems(field: str, value: str) -> tuple[NameProblem, ...]:
    """What is wrong with the names of ``value`` (the field ``field``): an empty name,
    ``others`` before the end, too many commas, a malformed extended name, an organisation
    BibTeX would split into first and last names."""
    found: list[NameProblem] = []
    listed = split_names(value)
    for position, (name, offset) in enumerate(listed):
        if not name:
            found.append(NameProblem(
                "name-format",
                f"{field} has an empty name (name {position + 1} of {len(listed)}: a doubled "
                "or trailing 'and')",
                "remove the extra 'and'", offset,
            ))
            continue
        if name == ETAL:
            if position != len(listed) - 1:
                found.append(NameProblem(
                    "name-others",
                    f"'others' is name {position + 1} of {len(listed)} in {field}; it means "
                    "'et al.' only at the end",
                    "move 'and others' to the end of the list", offset,
                ))
            continue
        if is_extended(name):
            found.extend(
                NameProblem("name-format", f"{field}: {problem}", EXTENDED_HINT, offset)
                for problem in extended_problems(name)
            )
            continue
        bare = _top_level(name)
        if bare.count(",") > 2:
            found.append(NameProblem(
                "name-format",
                f"the {field} name '{name}' has {bare.count(',')} commas; a name has at most "
                "two (Last, Jr, First)",
                "separate the names with 'and', not commas", offset,
            ))
            continue
        if name.startswith("{") and name.endswith("}") and not bare.strip():
            continue  # {World Health Organization}: protected as one literal name
        words = {word.lower().strip(".,") for word in bare.split()}
        if "," not in bare and (words & CORPORATE_WORDS or "&" in bare):
            found.append(NameProblem(
                "name-corporate",
                f"{field} '{name}' looks like an organisation; BibTeX will split it into "
                "first and last names",
                f"wrap it in braces: {field} = {{{{{name}}}}}", offset,
            ))
    return tuple(found)

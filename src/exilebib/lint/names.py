"""Name lists (``author``, ``editor``, ...): ``others``, organisations, empty names.

BibTeX splits a name list on `` and `` outside braces and each name into first/von/last/jr
parts; an unbraced organisation becomes a person ("World Health Organization" → last name
"Organization"). Nothing here decodes LaTeX.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from exilebib.bibtex import ValueKind
from exilebib.errors import Severity
from exilebib.lint.context import LintContext
from exilebib.lint.rules import Finding, check, rule
from exilebib.names import EXTENDED_HINT, extended_problems, is_extended

NAME_OTHERS = rule(
    "name-others", Severity.WARNING, "names", "'others' (et al.) anywhere but last in a name list"
)
NAME_CORPORATE = rule(
    "name-corporate",
    Severity.WARNING,
    "names",
    "an organisation in a name list without braces (BibTeX splits it like a person's name)",
)
NAME_FORMAT = rule(
    "name-format",
    Severity.WARNING,
    "names",
    "an empty name (and and, trailing and) or too many commas",
)

#: biblatex's name-list fields.
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

_AND = re.compile(r"\s+and(?=\s)", re.IGNORECASE)


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
            match = _AND.match(padded, index)
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


@check
def names(context: LintContext) -> Iterator[Finding]:
    """Check every name list of every entry."""
    for entry in context.entries:
        for field_name in NAME_FIELDS:
            value = entry.get(field_name)
            item = entry.by_name.get(field_name)
            if value is None or item is None or not value.strip():
                continue
            first = item.parts[0]
            exact = len(item.parts) == 1 and first.kind is not ValueKind.MACRO
            base = first.start + (1 if first.kind in (ValueKind.BRACED, ValueKind.QUOTED) else 0)
            listed = split_names(value)
            key = entry.key or None
            for position, (name, offset) in enumerate(listed):
                where = base + offset if exact else item.value_start
                if not name:
                    yield Finding(
                        NAME_FORMAT,
                        f"{entry.label}: {field_name} has an empty name "
                        f"(name {position + 1} of {len(listed)}: a doubled or trailing 'and')",
                        "remove the extra 'and'",
                        key=key,
                        offset=where,
                        entry=entry,
                    )
                    continue
                if name == "others":
                    if position != len(listed) - 1:
                        yield Finding(
                            NAME_OTHERS,
                            f"{entry.label}: 'others' is name {position + 1} of "
                            f"{len(listed)} in {field_name}; it means 'et al.' only at the end",
                            "move 'and others' to the end of the list",
                            key=key,
                            offset=where,
                            entry=entry,
                        )
                    continue
                if is_extended(name):
                    # biblatex's extended format: the reader's own check, in its words
                    for problem in extended_problems(name):
                        yield Finding(
                            NAME_FORMAT,
                            f"{entry.label}: {field_name}: {problem}",
                            EXTENDED_HINT,
                            key=key,
                            offset=where,
                            entry=entry,
                        )
                    continue
                bare = _top_level(name)
                if bare.count(",") > 2:
                    yield Finding(
                        NAME_FORMAT,
                        f"{entry.label}: the {field_name} name '{name}' has "
                        f"{bare.count(',')} commas; a name has at most two (Last, Jr, First)",
                        "separate the names with 'and', not commas",
                        key=key,
                        offset=where,
                        entry=entry,
                    )
                    continue
                if name.startswith("{") and name.endswith("}") and not bare.strip():
                    continue  # {World Health Organization}: protected as one literal name
                words = {word.lower().strip(".,") for word in bare.split()}
                if "," not in bare and (words & CORPORATE_WORDS or "&" in bare):
                    yield Finding(
                        NAME_CORPORATE,
                        f"{entry.label}: {field_name} '{name}' looks like an "
                        "organisation; BibTeX will split it into first and last names",
                        f"wrap it in braces: {field_name} = {{{{{name}}}}}",
                        key=key,
                        offset=where,
                        entry=entry,
                    )

"""CSL-JSON items from other tools, checked before they reach the engine.

Zotero, pandoc and hand-written files produce items the CSL-JSON schema does not allow
(a date as a plain string, an author as a string, ``date-parts`` with words in them).
Each problem is reported at the item's line with its id; a value that cannot be used is
left out of the item rather than passed on to crash or mislead the renderer. Dates given
as ``raw`` strings are read like BibTeX dates (EDTF), as citeproc-js does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from exilebib.dates import parse_edtf
from exilebib.errors import Diagnostic, Severity
from exilebib.model import Location

#: CSL 1.0.2 item types.
TYPES: frozenset[str] = frozenset(
    [
        "article", "article-journal", "article-magazine", "article-newspaper", "bill",
        "book", "broadcast", "chapter", "classic", "collection", "dataset", "document",
        "entry", "entry-dictionary", "entry-encyclopedia", "event", "figure", "graphic",
        "hearing", "interview", "legal_case", "legislation", "manuscript", "map",
        "motion_picture", "musical_score", "pamphlet", "paper-conference", "patent",
        "performance", "periodical", "personal_communication", "post", "post-weblog",
        "regulation", "report", "review", "review-book", "software", "song", "speech",
        "standard", "thesis", "treaty", "webpage",
    ]
)

#: CSL 1.0.2 name variables: lists of name objects.
NAME_VARIABLES: frozenset[str] = frozenset(
    [
        "author", "chair", "collection-editor", "compiler", "composer", "container-author",
        "contributor", "curator", "director", "editor", "editorial-director",
        "editor-translator", "executive-producer", "guest", "host", "illustrator", "interviewer",
        "narrator", "organizer", "original-author", "performer", "producer", "recipient",
        "reviewed-author", "script-writer", "series-creator", "translator",
    ]
)

#: CSL 1.0.2 date variables: date objects.
DATE_VARIABLES: frozenset[str] = frozenset(
    ["accessed", "available-date", "event-date", "issued", "original-date", "submitted"]
)

#: Keys that carry structure rather than text.
STRUCTURAL: frozenset[str] = frozenset({"id", "type", "custom"})

#: The parts of a name object that are text.
_NAME_TEXT = frozenset(
    {"family", "given", "literal", "suffix", "dropping-particle", "non-dropping-particle"}
)
#: The parts of a name object that are flags (``true``, or ``"true"`` as some tools write).
_NAME_FLAGS = frozenset({"comma-suffix", "static-ordering", "parse-names", "isInstitution"})

#: CSL 1.0.2 number variables: a JSON number is kept as a number there (the engine reads it
#: like its digits); anywhere else a number is turned into its text.
NUMBER_VARIABLES: frozenset[str] = frozenset(
    [
        "chapter-number", "citation-number", "collection-number", "edition",
        "first-reference-note-number", "issue", "locator", "number", "number-of-pages",
        "number-of-volumes", "page", "page-first", "part-number", "printing-number",
        "section", "supplement-number", "version", "volume",
    ]
)

#: The keys of a date object besides ``date-parts`` and ``raw``, and what each may be.
_DATE_KEYS: Mapping[str, tuple[type, ...]] = {
    "literal": (str,),
    "season": (str, int),
    "circa": (str, int, bool),
}


def _problem(message: str, location: Location, key: str, hint: str) -> Diagnostic:
    return Diagnostic(Severity.WARNING, "csl-json-value", message, location, key=key, hint=hint)


def _is_number(value: Any) -> bool:
    """A JSON number (``true`` and ``false`` are no numbers, though Python's bool is an int)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def _number_text(value: int | float) -> str:
    """A JSON number as the text it stands for: ``5`` → ``"5"``, ``2.0`` → ``"2"``."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return str(value)


def _check_name(name: Mapping[Any, Any]) -> tuple[dict[str, Any], list[str]]:
    """A name object with its usable parts, and the parts that were not text (a number is
    read as its text; anything else is left out)."""
    clean: dict[str, Any] = {}
    bad: list[str] = []
    for part, value in name.items():
        if part in _NAME_TEXT:
            if isinstance(value, str):
                clean[part] = value
                continue
            if _is_number(value):
                clean[part] = _number_text(value)
            bad.append(str(part))
        elif part in _NAME_FLAGS:
            if isinstance(value, bool | str | int | float):
                clean[part] = value
            else:
                bad.append(str(part))
    return clean, bad


def _date_part(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None


def _check_date(value: Any) -> tuple[dict[str, Any] | None, str | None]:
    """A usable date object and, when something was wrong, what."""
    if isinstance(value, str):
        parsed = parse_edtf(value)
        return parsed, None if parsed is not None else "is empty"
    if not isinstance(value, Mapping):
        return None, "is not a date object"
    date = dict(value)
    if "raw" in date and "date-parts" not in date:
        parsed = parse_edtf(str(date.pop("raw")))
        if parsed is None:
            return None, "has an empty raw date"
        date.update(parsed)
    if "raw" in date:
        date.pop("raw")  # date-parts win over a raw date given as well
    for name, allowed in _DATE_KEYS.items():
        if name in date and (
            not isinstance(date[name], allowed) or (name == "season" and date[name] is True)
        ):
            if name == "literal" and _is_number(date[name]):
                date[name] = _number_text(date[name])
            else:
                del date[name]
    date = {k: v for k, v in date.items() if k in _DATE_KEYS or k == "date-parts"}
    if "date-parts" not in date:
        if "literal" in date:
            return date, None
        return None, "has neither date-parts, raw nor literal"
    parts = date["date-parts"]
    if not isinstance(parts, list) or not parts or not all(isinstance(p, list) for p in parts):
        return None, "has date-parts that are not a list of [year, month, day] lists"
    clean: list[list[int]] = []
    trouble = None
    for part in parts[:2]:
        numbers = [_date_part(n) for n in part[:3]]
        if not numbers or numbers[0] is None:
            return None, f"has a date part {part!r} without a numeric year"
        kept = [numbers[0]]
        limits = (12, 31)
        for number, limit in zip(numbers[1:], limits, strict=False):
            if number is None or not 1 <= number <= limit:
                # Seasons (month 13-16 or 21-24) are left to the date's own "season" key.
                trouble = f"has an impossible month or day in {part!r}; only {kept} is used"
                break
            kept.append(number)
        clean.append(kept)
    date["date-parts"] = clean
    return date, trouble


def check_item(
    item: Mapping[str, Any], location: Location
) -> tuple[dict[str, Any], list[Diagnostic]]:
    """The item with unusable values left out, and a diagnostic for each one.

    Every value is checked for its JSON type, so no value of the wrong type reaches the
    engine: names are lists of name objects whose parts are text, dates are date objects,
    ``type`` is one of :data:`TYPES`, and every other variable is text (a number is kept in
    :data:`NUMBER_VARIABLES` and turned into its text elsewhere).
    """
    key = str(item.get("id"))
    clean: dict[str, Any] = {}
    problems: list[Diagnostic] = []

    def report(message: str, hint: str) -> None:
        problems.append(_problem(f"item '{key}': {message}", location, key, hint))

    kind = item.get("type")
    known = isinstance(kind, str) and kind in TYPES
    if not known:
        shown = repr(kind) if isinstance(kind, str) else f"{json_type(kind)} {kind!r}"[:80]
        report(
            f"unknown CSL type {shown}; it is rendered as a document",
            "use a CSL 1.0.2 type such as book, chapter, article-journal or webpage",
        )
    for name, value in item.items():
        name = str(name)
        if name in NAME_VARIABLES:
            if not isinstance(value, list) or not all(isinstance(n, Mapping) for n in value):
                report(
                    f"{name} must be a list of name objects; it is left out",
                    f'write "{name}": [{{"family": "...", "given": "..."}}]',
                )
                continue
            names: list[dict[str, Any]] = []
            for number, entry in enumerate(value, 1):
                person, bad = _check_name(entry)
                if bad:
                    report(
                        f"{name} {number}: {', '.join(bad)} must be text (a number is read "
                        "as its digits; anything else is left out)",
                        f'write "{bad[0]}": "..."',
                    )
                if any(part in _NAME_TEXT for part in person):
                    names.append(person)
            value = names
        elif name in DATE_VARIABLES:
            date, trouble = _check_date(value)
            if trouble:
                report(
                    f"{name} {trouble}" + ("" if date is not None else "; it is left out"),
                    f'write "{name}": {{"date-parts": [[2001, 5, 31]]}} '
                    'or {"raw": "2001-05-31"}',
                )
            if date is None:
                continue
            value = date
        elif name == "custom":
            if not isinstance(value, Mapping):
                report("custom must be an object; it is left out", 'write "custom": {...}')
                continue
        elif name in ("id", "type"):
            pass
        elif _is_number(value):
            if name not in NUMBER_VARIABLES:
                value = _number_text(value)
                report(
                    f"{name} must be a string; the number is read as '{value}'",
                    f'write "{name}": "{value}"',
                )
        elif not isinstance(value, str):
            report(
                f"{name} must be a string or a number; it is left out",
                f'write "{name}": "..."',
            )
            continue
        clean[name] = value
    if not known:
        clean["type"] = "document"
    return clean, problems


def json_type(value: Any) -> str:
    """How JSON calls the type of ``value`` (for messages)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"

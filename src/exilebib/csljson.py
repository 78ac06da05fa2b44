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
STRUCTURAL: frozenset[str] = frozenset({"id", "type", "custom", "note"})

_NAME_PARTS = frozenset(
    {"family", "given", "literal", "suffix", "dropping-particle", "non-dropping-particle",
     "comma-suffix", "static-ordering", "parse-names", "isInstitution"}
)


def _problem(message: str, location: Location, key: str, hint: str) -> Diagnostic:
    return Diagnostic(Severity.WARNING, "csl-json-value", message, location, key=key, hint=hint)


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
    """The item with unusable values left out, and a diagnostic for each one."""
    key = str(item.get("id"))
    clean: dict[str, Any] = {}
    problems: list[Diagnostic] = []
    kind = item.get("type")
    if kind not in TYPES:
        problems.append(
            _problem(
                f"item '{key}': unknown CSL type {kind!r}; it is rendered as a document",
                location,
                key,
                "use a CSL 1.0.2 type such as book, chapter, article-journal or webpage",
            )
        )
    for name, value in item.items():
        if name in NAME_VARIABLES:
            if not isinstance(value, list) or not all(isinstance(n, Mapping) for n in value):
                problems.append(
                    _problem(
                        f"item '{key}': {name} must be a list of name objects; it is left out",
                        location,
                        key,
                        f'write "{name}": [{{"family": "...", "given": "..."}}]',
                    )
                )
                continue
            value = [{k: v for k, v in n.items() if k in _NAME_PARTS} for n in value]
        elif name in DATE_VARIABLES:
            date, trouble = _check_date(value)
            if trouble:
                problems.append(
                    _problem(
                        f"item '{key}': {name} {trouble}"
                        + ("" if date is not None else "; it is left out"),
                        location,
                        key,
                        f'write "{name}": {{"date-parts": [[2001, 5, 31]]}} '
                        'or {"raw": "2001-05-31"}',
                    )
                )
            if date is None:
                continue
            value = date
        elif name not in STRUCTURAL and not isinstance(value, str | int | float):
            problems.append(
                _problem(
                    f"item '{key}': {name} must be a string or a number; it is left out",
                    location,
                    key,
                    f'write "{name}": "..."',
                )
            )
            continue
        clean[name] = value
    if kind not in TYPES:
        clean["type"] = "document"
    return clean, problems

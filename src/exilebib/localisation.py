"""biblatex's localisation keys: field values that name a string rather than spell it.

biblatex resolves a key written as a field's whole value (``type = {patenteu}``,
``series = {newseries}``, ``location = {countryfr and countryuk}``) to the string of the
entry's language, from its ``.lbx`` files (biblatex manual §4.9.2, "Localization Keys", and
§2.2.2 on ``type``, ``series`` and ``location``). These tables hold the English strings
exilebib needs (the strings of other languages are not here yet: every entry gets English).
A value that is not a key is printed as written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

#: Keys of the ``type`` field: thesis, report and patent kinds, and media.
ENGLISH_TYPES: Mapping[str, str] = {
    "phdthesis": "PhD thesis",
    "mathesis": "Master’s thesis",
    "mastersthesis": "Master’s thesis",
    "candthesis": "Candidate thesis",
    "techreport": "technical report",
    "resreport": "research report",
    "software": "computer software",
    "datacd": "CD-ROM",
    "audiocd": "audio CD",
    "patent": "patent",
    "patentde": "German patent",
    "patenteu": "European patent",
    "patentfr": "French patent",
    "patentuk": "British patent",
    "patentus": "U.S. patent",
    "patreq": "patent request",
    "patreqde": "German patent request",
    "patreqeu": "European patent request",
    "patreqfr": "French patent request",
    "patrequk": "British patent request",
    "patrequs": "U.S. patent request",
}

#: Keys of the ``series`` field of a journal: a new or old series.
ENGLISH_SERIES: Mapping[str, str] = {
    "newseries": "new series",
    "oldseries": "old series",
}

#: Keys of a patent's ``location`` list: the countries (or union) it is registered in.
ENGLISH_COUNTRIES: Mapping[str, str] = {
    "countryde": "Germany",
    "countryeu": "European Union",
    "countryep": "European Union",
    "countryfr": "France",
    "countryuk": "United Kingdom",
    "countryus": "United States of America",
}

ENGLISH: Mapping[str, str] = {**ENGLISH_TYPES, **ENGLISH_SERIES, **ENGLISH_COUNTRIES}


def resolve(value: str) -> str | None:
    """The English string a localisation key stands for, or ``None`` for a value that is
    no key."""
    return ENGLISH.get(value.strip().lower())


def is_key(value: str) -> bool:
    """Whether ``value`` is one of the keys these tables know."""
    return value.strip().lower() in ENGLISH


#: Fields whose whole value (or, for ``location``, each item) may be a localisation key.
KEY_FIELDS: frozenset[str] = frozenset({"type", "series", "location"})
#: The shape of the key families these tables hold: a country or patent kind with a
#: two-letter code (``countryfr``, ``patentus``, ``patreqde``).
_KEY_SHAPE = re.compile(r"(?:country|patent|patreq)[a-z]{2}")


def unknown_key_problem(field: str, value: str) -> tuple[str, str] | None:
    """(message, hint) when ``value`` (an item of ``field``) has the shape of a
    localisation key these tables do not hold (``patentxx``): it is printed as written."""
    text = value.strip()
    if field not in KEY_FIELDS or is_key(text) or not _KEY_SHAPE.fullmatch(text.lower()):
        return None
    family = re.match(r"country|patreq|patent", text.lower())
    assert family is not None
    known = sorted(key for key in ENGLISH if key.startswith(family.group(0)))
    return (
        f"{field} '{text}' looks like a biblatex localisation key that exilebib does not "
        "know; it is printed as written",
        f"use one of {', '.join(known)}, or write the words to print",
    )


def ordinal(number: int) -> str:
    """An English ordinal: 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st..."""
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"

"""biblatex's localisation keys: field values that name a string rather than spell it.

biblatex resolves a key written as a field's whole value (``type = {patenteu}``,
``series = {newseries}``, ``location = {countryfr and countryuk}``) to the string of the
entry's language, from its ``.lbx`` files (biblatex manual §4.9.2, "Localization Keys", and
§2.2.2 on ``type``, ``series`` and ``location``). These tables hold the English strings
exilebib needs (the strings of other languages are not here yet: every entry gets English).
A value that is not a key is printed as written.
"""

from __future__ import annotations

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


def ordinal(number: int) -> str:
    """An English ordinal: 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st..."""
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"

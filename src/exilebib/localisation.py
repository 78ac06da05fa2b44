"""biblatex's localisation keys: field values that name a string rather than spell it.

biblatex resolves a key written as a field's whole value (``type = {patenteu}``,
``series = {newseries}``, ``location = {countryfr and countryuk}``) to the string of the
entry's language, from its ``.lbx`` files (biblatex manual §4.9.2, "Localization Keys", and
§2.2.2 on ``type``, ``series`` and ``location``). These tables hold the long forms of
those strings in English, German, French and Spanish (the words of biblatex's
``english.lbx``, ``german.lbx``, ``french.lbx`` and ``spanish.lbx``); an entry in any other
language, or a key a language's table lacks, gets the English string, as biblatex falls
back to English for a string a language does not define. A value that is not a key is
printed as written.
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

#: german.lbx (also ngerman, austrian, swissgerman). It has no ``candthesis`` (English is
#: used) and keeps "Magisterarbeit" for ``mathesis`` (biblatex issue #774).
GERMAN: Mapping[str, str] = {
    "phdthesis": "Dissertation",
    "mathesis": "Magisterarbeit",
    "mastersthesis": "Magisterarbeit",
    "techreport": "Technischer Bericht",
    "resreport": "Forschungsbericht",
    "software": "Computer-Software",
    "datacd": "CD-ROM",
    "audiocd": "Audio-CD",
    "patent": "Patent",
    "patentde": "deutsches Patent",
    "patenteu": "europäisches Patent",
    "patentfr": "französisches Patent",
    "patentuk": "britisches Patent",
    "patentus": "US-Patent",
    "patreq": "Patentanmeldung",
    "patreqde": "deutsche Patentanmeldung",
    "patreqeu": "europäische Patentanmeldung",
    "patreqfr": "französische Patentanmeldung",
    "patrequk": "britische Patentanmeldung",
    "patrequs": "US-Patentanmeldung",
    "newseries": "neue Folge",
    "oldseries": "alte Folge",
    "countryde": "Deutschland",
    "countryeu": "Europäische Union",
    "countryep": "Europäische Union",
    "countryfr": "Frankreich",
    "countryuk": "Großbritannien",
    "countryus": "USA",
}

#: french.lbx.
FRENCH: Mapping[str, str] = {
    "phdthesis": "thèse de doctorat",
    "mathesis": "mémoire de master",
    "mastersthesis": "mémoire de master",
    "candthesis": "thèse de candidature",
    "techreport": "rapport technique",
    "resreport": "rapport scientifique",
    "software": "logiciel",
    "datacd": "cédérom",
    "audiocd": "disque compact audio",
    "patent": "brevet",
    "patentde": "brevet allemand",
    "patenteu": "brevet européen",
    "patentfr": "brevet français",
    "patentuk": "brevet britannique",
    "patentus": "brevet américain",
    "patreq": "demande de brevet",
    "patreqde": "demande de brevet allemand",
    "patreqeu": "demande de brevet européen",
    "patreqfr": "demande de brevet français",
    "patrequk": "demande de brevet britannique",
    "patrequs": "demande de brevet américain",
    "newseries": "nouvelle série",
    "oldseries": "ancienne série",
    "countryde": "Allemagne",
    "countryeu": "Union européenne",
    "countryep": "Union européenne",
    "countryfr": "France",
    "countryuk": "Royaume-Uni",
    "countryus": "États-Unis",
}

#: spanish.lbx (its thesis strings begin with a capital, as written there).
SPANISH: Mapping[str, str] = {
    "phdthesis": "Tesis doctoral",
    "mathesis": "Tesis de maestría",
    "mastersthesis": "Tesis de maestría",
    "candthesis": "Tesis de candidatura doctoral",
    "techreport": "informe técnico",
    "resreport": "reporte de investigación",
    "software": "programa",
    "datacd": "disco de datos",
    "audiocd": "disco de audio",
    "patent": "patente",
    "patentde": "patente alemana",
    "patenteu": "patente europea",
    "patentfr": "patente francesa",
    "patentuk": "patente británica",
    "patentus": "patente estadounidense",
    "patreq": "solicitud de patente",
    "patreqde": "solicitud de patente alemana",
    "patreqeu": "solicitud de patente europea",
    "patreqfr": "solicitud de patente francesa",
    "patrequk": "solicitud de patente británica",
    "patrequs": "solicitud de patente estadounidense",
    "newseries": "nueva época",
    "oldseries": "antigua época",
    "countryde": "Alemania",
    "countryeu": "Unión Europea",
    "countryep": "Unión Europea",
    "countryfr": "Francia",
    "countryuk": "Reino Unido",
    "countryus": "Estados Unidos",
}

#: The strings of each language these tables cover, by the name LANGUAGE_NAMES gives it.
STRINGS: Mapping[str, Mapping[str, str]] = {
    "english": ENGLISH,
    "german": GERMAN,
    "french": FRENCH,
    "spanish": SPANISH,
}

#: ``langid``/``hyphenation``/``language`` values (babel and polyglossia names, as biblatex
#: reads them, and BCP 47 tags) → the language of STRINGS whose strings they get: biblatex
#: loads german.lbx for ngerman and austrian, english.lbx for american and british.
LANGUAGE_NAMES: Mapping[str, str] = {
    **dict.fromkeys(
        ("english", "american", "british", "usenglish", "ukenglish", "canadian",
         "australian", "newzealand", "en", "en-us", "en-gb", "en-ca", "en-au", "en-nz"),
        "english",
    ),
    **dict.fromkeys(
        ("german", "ngerman", "austrian", "naustrian", "swissgerman", "nswissgerman",
         "de", "de-de", "de-at", "de-ch"),
        "german",
    ),
    **dict.fromkeys(("french", "fr", "fr-fr", "fr-ca", "fr-ch", "fr-be"), "french"),
    **dict.fromkeys(("spanish", "es", "es-es", "es-mx"), "spanish"),
}  # fmt: skip


def resolve(value: str, language: str | None = None) -> str | None:
    """The string a localisation key stands for in ``language`` (the entry's ``langid``,
    ``hyphenation`` or ``language`` as written; English when it is ``None``, a language
    these tables do not cover, or one whose table lacks the key), or ``None`` for a value
    that is no key."""
    key = value.strip().lower()
    english = ENGLISH.get(key)
    if english is None:
        return None
    name = LANGUAGE_NAMES.get((language or "").strip().lower(), "english")
    return STRINGS[name].get(key, english)


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

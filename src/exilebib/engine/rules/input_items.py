"""Checking CSL-JSON items before citeproc-py sees them.

CSL-JSON requires ``id`` and ``type`` on every item (CSL 1.0.2, "Data model": every item has
a type; the id identifies it). citeproc-py crashes with ``UnboundLocalError`` on an item
without ``type`` and lower-cases ids silently. Here every item is checked first (a clear
error naming the item), and gets an engine id of its own so user ids keep their case.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping, Sequence

from citeproc.source.json import CiteProcJSON

from exilebib.engine.rules.citation_label import generated_label
from exilebib.engine.rules.flipflop import parse_rich_text
from exilebib.engine.rules.item_data import ItemDataError, Name, read_names
from exilebib.engine.rules.name_parsing import parse_name
from exilebib.engine.rules.note_variables import read_note_variables
from exilebib.engine.types import Reference, Source

#: a CSL-JSON item as the caller gives it, or a name or date object in it: JSON, unchecked
#: (the checks below look at each value's type before they use it)
JsonObject = dict[str, object]


class InputItemError(ValueError):
    """An item the engine cannot render: the message names it and says how to fix it."""


def prepare_source(
    items: Sequence[Mapping[str, object]], *, strict: bool = True,
    source_class: type[CiteProcJSON] | None = None, citation_labels: bool = True,
) -> tuple[Source, dict[str, str], dict[str, str]]:
    """citeproc-py's source for ``items`` plus the id maps (user -> engine, engine -> user).

    ``source_class`` is the source to build (the engine's subclass of citeproc-py's);
    ``citation_labels``: whether the style names the ``citation-label`` variable anywhere
    (a label is generated for an item without one only then: no other style can print it
    or test for it)."""
    internal: dict[str, str] = {}
    external: dict[str, str] = {}
    data: list[JsonObject] = []
    for index, item in enumerate(items):
        if "id" not in item or item["id"] in (None, ""):
            raise InputItemError(
                f"item #{index + 1} has no 'id': give every CSL-JSON item a unique id"
            )
        user_id = str(item["id"])
        if strict and not item.get("type"):
            raise InputItemError(
                f"item '{user_id}' has no 'type': set a CSL type such as book or "
                "article-journal"
            )
        if user_id in internal:
            if strict:
                raise InputItemError(f"item id '{user_id}' is used twice: ids must be unique")
            continue
        engine_id = f"item{index}"
        internal[user_id] = engine_id
        external[engine_id] = user_id
        clean = _copied(item)
        clean["id"] = engine_id
        if strict:
            read_note_variables(clean, NAME_VARIABLES)
            _prepared_names(clean)
            _readable_dates(clean)
            if citation_labels and not clean.get("citation-label"):
                label = generated_label(clean)
                if label:
                    clean["citation-label"] = label
            _legacy_fields(clean)
        data.append(clean)
    with warnings.catch_warnings():
        # citeproc-py warns about CSL 1.0.2 variables it does not know; they are kept
        warnings.simplefilter("ignore")
        try:
            source: Source = (source_class or CiteProcJSON)(data)
            if strict:
                for item in data:
                    _name_variables(source[str(item["id"]).lower()], item)
        except ItemDataError as exc:
            raise InputItemError(f"item '{external.get(exc.item, exc.item)}': {exc}") from None
    return source, internal, external


def _copied(item: Mapping[str, object]) -> JsonObject:
    """A copy of ``item`` the checks below may change: its dicts and lists are new, every
    other value is shared (the checks only change dicts and lists, and CSL-JSON holds no
    other containers). ``copy.deepcopy`` did the same at five times the cost: 174,000
    calls for 5,000 items."""
    # (most values are strings: shared without a call)
    return {key: value if type(value) is str else _copied_value(value)
            for key, value in item.items()}


def _copied_value(value: object) -> object:
    if isinstance(value, dict):
        return {key: inner if type(inner) is str else _copied_value(inner)
                for key, inner in value.items()}
    if isinstance(value, list):
        return [inner if type(inner) is str else _copied_value(inner) for inner in value]
    return value


#: CSL 1.0.2 name variables ("Appendix IV - Variables", name variables)
NAME_VARIABLES = frozenset({
    "author", "chair", "collection-editor", "compiler", "composer", "container-author",
    "contributor", "curator", "director", "editor", "editorial-director",
    "editor-translator", "executive-producer", "guest", "host", "illustrator",
    "interviewer", "narrator", "organizer", "original-author", "performer", "producer",
    "recipient", "reviewed-author", "script-writer", "series-creator", "translator",
})


def _name_variables(reference: Reference, item: Mapping[str, object]) -> None:
    """Every CSL 1.0.2 name variable as a list of names, under its CSL name too.

    citeproc-py parses only the name variables CSL 1.0 had (``guest``, ``host``,
    ``compiler``, ... stay strings and crash cs:names) and cs:names looks roles up by
    their hyphenated CSL name while the data is stored with underscores, so
    ``container-author`` never renders.
    """
    for variable, value in item.items():
        if variable not in NAME_VARIABLES:
            continue
        key = variable.replace("-", "_")
        # the CSL 1.0 variables the reader parsed already (and checked), from the same names
        names = reference.get(key)
        if not (isinstance(names, list) and all(type(name) is Name for name in names)):
            # a name that is not an object is an error here as in ``author``
            names = read_names(str(item["id"]).lower(), variable, value)
        if not names:  # no names: no variable, as citeproc-js reads an empty list
            reference.pop(variable, None)
            reference.pop(key, None)
            continue
        reference[variable] = names
        reference[key] = names


#: Zotero's names for two CSL variables, which citeproc-js reads as the CSL ones
LEGACY_FIELDS = {"journalAbbreviation": "container-title-short", "shortTitle": "title-short"}


def _legacy_fields(item: JsonObject) -> None:
    for legacy, variable in LEGACY_FIELDS.items():
        if legacy in item:
            value = item.pop(legacy)
            item.setdefault(variable, value)


_NAME_FIELDS = ("family", "given", "dropping-particle", "non-dropping-particle", "suffix",
                "literal")


def _prepared_names(item: JsonObject) -> None:
    """Every name (a dict in a list) of ``item``, read once:

    - apostrophes become typographic (’), as in every other field (see :mod:`.flipflop`);
      citeproc-js prints "d’Wander";
    - in the name variables, particles and suffixes written inside family and given names
      become name parts (see :mod:`.name_parsing`), and markup ("Center <sup>for</sup>
      History") becomes formatting, as in every other field (CSL 1.0.2 Appendix VI): the
      tags become the engine's formatting markers, which the output writes as tags again.
    """
    for variable, value in item.items():
        if not isinstance(value, list):
            continue
        is_name_variable = variable in NAME_VARIABLES
        for name in value:
            if not isinstance(name, dict):
                continue
            # (the parts a name has: most have two of the six; a value set for a key the
            # dict already has leaves its iteration intact)
            for part, text in name.items():
                if isinstance(text, str) and "'" in text and part in _NAME_FIELDS:
                    name[part] = text.replace("'", "\u2019")
            if not is_name_variable:
                continue
            parse_name(name)
            for part, text in name.items():
                if isinstance(text, str) and "<" in text and part in _NAME_FIELDS:
                    name[part] = str(parse_rich_text(text))


_ISO_DATE = re.compile(r"^(-?\d{1,4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def _readable_dates(item: JsonObject) -> None:
    """Dates as citeproc-js reads them: a date part given as an empty string ends the date
    ("2000", "", "" is the year 2000); a date with no date-parts but a ``raw`` string is
    that string read as an ISO date ("2000-05-01"), else printed as it is (a literal)."""
    for key, value in list(item.items()):
        if not isinstance(value, dict) or ("date-parts" not in value and "raw" not in value):
            continue
        parts = value.get("date-parts")
        if isinstance(parts, list) and parts and all(isinstance(p, list) for p in parts):
            cleaned = []
            for date in parts:
                cut = next((i for i, part in enumerate(date) if part in ("", None)), len(date))
                cleaned.append(date[:cut])
            if any(cleaned):
                value["date-parts"] = [d for d in cleaned if d]
                continue
        raw = value.get("raw")
        if isinstance(raw, str) and raw.strip() and "literal" not in value:
            iso = _ISO_DATE.match(raw.strip())
            date = dict(value)
            date.pop("raw", None)
            date.pop("date-parts", None)
            if iso:
                date["date-parts"] = [[int(p) for p in iso.groups() if p is not None]]
            else:
                date["literal"] = raw.strip()
            item[key] = date

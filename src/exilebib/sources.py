"""Open a sources file of either kind: BibTeX (``.bib``) or CSL-JSON (``.json``).

Both become a :class:`~exilebib.model.Library`; CSL-JSON items are kept whole in
``Source.csl`` and rendered as they are, so users coming from Zotero or pandoc can render
their own exports.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from exilebib import crossref
from exilebib.bibtex import read_bibtex, read_text
from exilebib.csljson import check_item
from exilebib.errors import Diagnostic, InputError, Severity
from exilebib.model import Field, Library, Location, Source


def rendered_sources(library: Library) -> list[Source]:
    """The sources as every command renders them: the first source of each key (lint
    reports the repetition), with the fields its ``crossref`` parent supplies."""
    seen: set[str] = set()
    unique = []
    for source in library.sources:
        if source.key not in seen:
            seen.add(source.key)
            unique.append(source)
    return crossref.resolve(unique)


def is_csl_json(path: Path, content: str) -> bool:
    """Whether ``path`` holds CSL-JSON: a ``.json`` suffix, or (unless it is a ``.bib``)
    ``content`` that starts like JSON. The one rule every command reads sources by."""
    suffix = path.suffix.lower()
    return suffix == ".json" or (suffix != ".bib" and content.lstrip()[:1] in ("[", "{"))


def load_library(path: Path) -> Library:
    """Read ``path`` as CSL-JSON or BibTeX (see :func:`is_csl_json`)."""
    text = read_text(path)
    if is_csl_json(path, text):
        return read_csl_json(path, text)
    return read_bibtex(path, text)


def _line_of_id(text: str, item_id: str, start: int) -> tuple[int, int]:
    """The 1-based line where the item with ``item_id`` is declared, searching from ``start``."""
    match = re.compile(r'"id"\s*:\s*"?' + re.escape(item_id)).search(text, start)
    if match is None:
        return text.count("\n", 0, start) + 1, start
    return text.count("\n", 0, match.start()) + 1, match.end()


def read_csl_json(path: Path, text: str | None = None) -> Library:
    """A CSL-JSON file (an array of items, or ``{"items": [...]}``) → :class:`Library`."""
    import json  # here: lint imports this module for is_csl_json and reads no JSON

    if text is None:
        text = read_text(path)
    shown = str(path)
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}") from None
    except RecursionError:
        raise InputError(
            f"{path}: arrays or objects nested too deeply to read; CSL-JSON items are objects "
            "in one array"
        ) from None
    except ValueError:  # an integer of more digits than Python converts (4,300)
        raise InputError(
            f"{path}: not usable JSON: a number of thousands of digits, which no CSL value needs"
        ) from None
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        data = data["items"]
    if not isinstance(data, list):
        raise InputError(f"{path}: CSL-JSON must be an array of items (objects with id and type)")
    sources: list[Source] = []
    diagnostics: list[Diagnostic] = []
    seen: dict[str, Location] = {}
    cursor = 0
    for index, item in enumerate(data):
        if not isinstance(item, dict):
            diagnostics.append(
                Diagnostic(
                    Severity.ERROR,
                    "csl-json-item",
                    f"item {index + 1} is not an object; it is skipped",
                    Location(shown, 1),
                    hint="each item must be an object with at least id and type",
                )
            )
            continue
        item_id = str(item.get("id", "")).strip()
        line, cursor = _line_of_id(text, item_id, cursor) if item_id else (1, cursor)
        location = Location(shown, line)
        if not item_id or not item.get("type"):
            missing = " and ".join(k for k in ("id", "type") if not str(item.get(k, "")).strip())
            diagnostics.append(
                Diagnostic(
                    Severity.ERROR,
                    "csl-json-item",
                    f"item {index + 1}{' ' + repr(item_id) if item_id else ''} has no {missing}; "
                    "it is skipped",
                    location,
                    key=item_id or None,
                    hint='give every item an "id" and a CSL "type" such as "book"',
                )
            )
            continue
        if item_id in seen:
            diagnostics.append(
                Diagnostic(
                    Severity.ERROR,
                    "duplicate-key",
                    f"item id '{item_id}' is used again (first at line {seen[item_id].line}); "
                    "this item is skipped",
                    location,
                    key=item_id,
                    hint="give every item a unique id",
                )
            )
            continue
        seen[item_id] = location
        item, problems = check_item(item, location)
        diagnostics += problems
        fields = tuple(
            Field(k.lower(), v if isinstance(v, str) else json.dumps(v), json.dumps(v), location)
            for k, v in ((str(key), value) for key, value in item.items())
            if k not in ("id", "type")
        )
        item = dict(item)
        item["id"] = item_id
        sources.append(Source(item_id, str(item["type"]), fields, location, csl=item))
    return Library(path, tuple(sources), tuple(diagnostics))

"""CSL-JSON from other tools: values the schema does not allow are reported and left out."""

from __future__ import annotations

import json
from pathlib import Path

from exilebib.sources import load_library


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _csl(tmp_path: Path, items: list[dict[str, object]]) -> tuple[dict[str, object], list[str]]:
    path = write(tmp_path, "lib.json", json.dumps(items))
    library = load_library(path)
    return library.sources[0].csl or {}, [d.message for d in library.diagnostics]


def test_csl_json_string_date_is_read_as_edtf(tmp_path: Path) -> None:
    item, messages = _csl(tmp_path, [{"id": "a", "type": "book", "issued": "2001-05"}])
    assert item["issued"] == {"date-parts": [[2001, 5]]}
    assert messages == []


def test_csl_json_raw_date_is_read(tmp_path: Path) -> None:
    item, _ = _csl(tmp_path, [{"id": "a", "type": "book", "issued": {"raw": "1937-04-10/1937-04-17"}}])
    assert item["issued"] == {"date-parts": [[1937, 4, 10], [1937, 4, 17]]}


def test_csl_json_bad_values_are_left_out_with_a_warning(tmp_path: Path) -> None:
    item, messages = _csl(
        tmp_path,
        [
            {
                "id": "a",
                "type": "book",
                "author": "Smith",
                "title": ["X"],
                "issued": {"date-parts": [["x"]]},
                "accessed": {"date-parts": [[2001, 13, 40]]},
            }
        ],
    )
    assert "author" not in item
    assert "title" not in item
    assert "issued" not in item
    assert item["accessed"] == {"date-parts": [[2001]]}
    assert messages == [
        "item 'a': author must be a list of name objects; it is left out",
        "item 'a': title must be a string or a number; it is left out",
        "item 'a': issued has a date part ['x'] without a numeric year; it is left out",
        "item 'a': accessed has an impossible month or day in [2001, 13, 40]; only [2001] is used",
    ]


def test_csl_json_unknown_type_is_a_document(tmp_path: Path) -> None:
    item, messages = _csl(tmp_path, [{"id": "a", "type": "bogus-type", "title": "T"}])
    assert item["type"] == "document"
    assert messages == ["item 'a': unknown CSL type 'bogus-type'; it is rendered as a document"]


def test_csl_json_duplicate_ids(tmp_path: Path) -> None:
    path = write(tmp_path, "lib.json", '[{"id": "a", "type": "book"},\n{"id": "a", "type": "book"}]')
    library = load_library(path)
    assert len(library) == 1
    (diagnostic,) = library.diagnostics
    assert (diagnostic.rule, diagnostic.location.line) == ("duplicate-key", 2)

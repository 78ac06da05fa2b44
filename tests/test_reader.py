"""Reading sources: BibTeX with located diagnostics, CSL-JSON, and unreadable files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from exilebib.errors import InputError, Severity
from exilebib.sources import load_library


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_essay_has_eighteen_sources_in_three_groups(essay_bib: Path) -> None:
    library = load_library(essay_bib)
    assert len(library) == 18
    assert not library.diagnostics
    groups = [source.keywords for source in library]
    assert groups.count(("images",)) == 6
    assert groups.count(("primary",)) == 7
    assert groups.count(("secondary",)) == 5


def test_percent_in_urls_survives_reading(essay_bib: Path) -> None:
    library = load_library(essay_bib)
    url = library.by_key()["natalia-trotsky-lev-kazakhstan"].get("url")
    assert url is not None
    assert url.endswith("%D0%B2_%D1%81%D1%81%D1%8B%D0%BB%D0%BA%D0%B5.jpg")


def test_field_lines_are_one_based(tmp_path: Path) -> None:
    path = write(tmp_path, "a.bib", "% c\n@book{k,\n  title = {T},\n  year = 2001\n}\n")
    (source,) = load_library(path).sources
    assert source.location.line == 2
    assert source.field("year") is not None
    assert source.field("year").location.line == 4  # type: ignore[union-attr]


def test_every_broken_block_is_reported_and_the_rest_kept(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "bad.bib",
        "@book{a, title = {ok}}\n@book{b, title = {unclosed}\n@book{c, title = {ok}}\n"
        "@book{d, title = {x}\n",
    )
    library = load_library(path)
    assert [s.key for s in library] == ["a", "c"]
    errors = [(d.rule, d.location.line, d.key) for d in library.diagnostics]
    assert errors == [("syntax-error", 2, "b"), ("syntax-error", 4, "d")]
    assert str(library.diagnostics[0]).startswith(f"{path}:2: error: entry 'b' does not parse")


def test_repeated_field_keeps_the_entry_with_the_first_value(tmp_path: Path) -> None:
    path = write(tmp_path, "dup.bib", "@book{a, title = {First}, title = {Second}}\n")
    library = load_library(path)
    assert library.sources[0].get("title") == "First"
    (diagnostic,) = library.diagnostics
    assert (diagnostic.rule, diagnostic.severity) == ("duplicate-field", Severity.ERROR)


def test_undefined_macro_is_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path, "m.bib", "@book{a, publisher = nopub}\n")
    (diagnostic,) = load_library(path).diagnostics
    assert diagnostic.rule == "undefined-macro"
    assert "nopub" in diagnostic.message


def test_csl_json_is_read_whole(tmp_path: Path) -> None:
    items = [{"id": "Zotero1", "type": "book", "title": "T", "keyword": "primary"}]
    path = write(tmp_path, "lib.json", json.dumps(items))
    (source,) = load_library(path).sources
    assert source.key == "Zotero1"
    assert source.csl == items[0]
    assert source.keywords == ("primary",)


def test_csl_json_items_without_id_or_type_are_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "lib.json", '[\n{"id": "a", "type": "book"},\n{"id": "b"}\n]')
    library = load_library(path)
    assert [s.key for s in library] == ["a"]
    (diagnostic,) = library.diagnostics
    assert diagnostic.location.line == 3
    assert "has no type" in diagnostic.message


def test_broken_json_names_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "lib.json", '[\n{"id": "a",,}\n]')
    with pytest.raises(InputError, match=r"lib.json:2:\d+: not valid JSON"):
        load_library(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_library(tmp_path / "nope.bib")


def test_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.bib"
    path.write_bytes(b"@book{a,\n title = {caf\xe9}}\n")
    with pytest.raises(InputError, match=r"latin1.bib:2: not valid UTF-8"):
        load_library(path)

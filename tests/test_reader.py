"""Reading sources: BibTeX with located diagnostics, CSL-JSON, and unreadable files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from exilebib.bibtex import read_bibtex
from exilebib.cli import main
from exilebib.errors import InputError, Severity
from exilebib.lint import READER_RULES, lint_text
from exilebib.sources import load_library

LINT_FIXTURES = Path(__file__).parent / "lint" / "fixtures"


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
    assert errors == [("unbalanced-braces", 2, "b"), ("unbalanced-braces", 4, "d")]
    assert str(library.diagnostics[0]).startswith(f"{path}:2:28: error: entry 'b' does not parse")


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
    with pytest.raises(InputError, match=r"latin1.bib:2:14: not valid UTF-8 \(byte 0xE9\)"):
        load_library(path)


# ------------------------------------------------- broken blocks bibtexparser accepts
#
# bibtexparser reads each of these without a word; the reader reports them as lint does
# (one implementation: exilebib.lint.reader_diagnostics) and keeps a defined result.


def _found(path: Path) -> list[tuple[str, Severity, str, int, int | None, str | None]]:
    return [
        (d.rule, d.severity, str(d.location.path), d.location.line, d.location.column, d.key)
        for d in read_bibtex(path).diagnostics
    ]


def test_a_missing_comma_is_an_error_and_both_fields_are_read(tmp_path: Path) -> None:
    path = write(tmp_path, "a.bib", "@book{mc,\n  title = {Foo}\n  year = {2000},\n}\n")
    library = read_bibtex(path)
    assert _found(path) == [("missing-comma", Severity.ERROR, str(path), 3, 3, "mc")]
    (source,) = library.sources
    assert (source.get("title"), source.get("year")) == ("Foo", "2000")


def test_an_extra_closing_brace_is_an_error_and_ends_the_entry(tmp_path: Path) -> None:
    path = write(tmp_path, "a.bib", "@book{xb,\n  title = {Foo}},\n  year = {2000},\n}\n")
    library = read_bibtex(path)
    assert _found(path) == [("unbalanced-braces", Severity.ERROR, str(path), 2, 16, "xb")]
    (source,) = library.sources
    # As in BibTeX, the '}' ends the entry: the fields after it are lost, and said so.
    assert [item.name for item in source.fields] == ["title"]


def test_a_key_with_a_space_is_an_error_and_the_entry_kept_under_it(tmp_path: Path) -> None:
    path = write(tmp_path, "a.bib", "@book{a b,\n  title = {Foo},\n}\n")
    library = read_bibtex(path)
    assert _found(path) == [("key-syntax", Severity.ERROR, str(path), 1, 8, "a b")]
    assert [source.key for source in library] == ["a b"]


@pytest.mark.parametrize("head", ["@book{, title={x}}", "@book{ title={x}}", "@book{ , title={x}}"])
def test_an_entry_without_a_key_is_left_out_with_an_error(tmp_path: Path, head: str) -> None:
    path = write(tmp_path, "a.bib", f"@book{{ok, title={{y}}}}\n{head}\n")
    library = read_bibtex(path)
    assert [source.key for source in library] == ["ok"]
    (diagnostic,) = library.diagnostics
    assert (diagnostic.rule, diagnostic.severity) == ("empty-key", Severity.ERROR)
    assert str(diagnostic).startswith(f"{path}:2:")
    assert "the @book entry at line 2 has no key" in diagnostic.message


def test_render_reports_every_broken_block_and_exits_1(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "four.bib",
        "@book{mc,\n  author = {Doe, Ann},\n  title = {Comma}\n  year = {2000},\n}\n"
        "@book{xb,\n  author = {Doe, Ann},\n  title = {Brace}},\n  year = {2001},\n}\n"
        "@book{a b,\n  author = {Doe, Ann},\n  title = {Space},\n  year = {2002},\n}\n"
        "@book{, author = {Doe, Ann}, title = {Keyless}, year = {2003}}\n",
    )
    result = CliRunner().invoke(main, ["render", str(path), "--group-by", "none"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.stderr
    rules = [line.split("[")[-1].split("]")[0] for line in result.stderr.splitlines()]
    assert rules == ["missing-comma", "unbalanced-braces", "key-syntax", "empty-key"]
    for title in ("Comma", "Brace", "Space"):
        assert title in result.stdout
    assert "Keyless" not in result.stdout


@pytest.mark.parametrize(
    "fixture", sorted(path.name for path in LINT_FIXTURES.glob("*.bib")), ids=str
)
def test_the_reader_reports_what_lint_reports(fixture: str) -> None:
    path = LINT_FIXTURES / fixture
    text = path.read_text(encoding="utf-8")
    linted = [d for d in lint_text(str(path), text).diagnostics if d.rule in READER_RULES]
    assert list(read_bibtex(path, text).diagnostics) == linted

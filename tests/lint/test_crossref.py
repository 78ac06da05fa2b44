"""Required fields with biblatex's alternatives and crossref inheritance (exilebib.crossref)."""

from __future__ import annotations

from pathlib import Path

import pytest

from exilebib.bibtex import read_bibtex
from exilebib.crossref import inherit
from exilebib.lint import lint_text


def _rules(text: str) -> list[tuple[str, int, str | None, str]]:
    return [
        (d.rule, d.location.line, d.key, d.message)
        for d in lint_text("x.bib", text).diagnostics
        if d.severity.value == "error"
    ]


@pytest.mark.parametrize("entry_type", ["book", "mvbook"])
def test_an_edited_book_needs_no_author(entry_type: str) -> None:
    text = f"@{entry_type}{{ed,\n  editor = {{Deutscher, Isaac}},\n  title = {{T}},\n  date = {{1954}},\n}}\n"
    assert _rules(text) == []


def test_a_book_with_neither_author_nor_editor_is_still_an_error() -> None:
    text = "@book{none,\n  title = {T},\n  year = {1954},\n}\n"
    assert _rules(text) == [
        ("required-field", 1, "none", "entry 'none' (@book) has no 'author' or 'editor'")
    ]


CHILD_AND_PARENT = """\
@incollection{child,
  author   = {Trotsky, Leon},
  title    = {Their Morals and Ours},
  crossref = {parent},
  pages    = {1--20},
}

@collection{parent,
  editor    = {Novack, George},
  title     = {Their Morals and Ours: Marxist versus Liberal Views on Morality},
  publisher = {Pathfinder},
  location  = {New York},
  date      = {1973},
}
"""


def test_a_crossref_child_gets_no_errors_for_what_its_parent_supplies() -> None:
    assert _rules(CHILD_AND_PARENT) == []


def test_a_crossref_child_still_needs_what_the_parent_does_not_supply() -> None:
    text = CHILD_AND_PARENT.replace("  date      = {1973},\n", "")
    found = [(rule, key) for rule, _, key, _ in _rules(text)]
    assert ("required-field", "child") in found
    assert ("required-field", "parent") in found


def test_inbook_inherits_the_books_author_and_title_as_booktitle() -> None:
    text = (
        "@inbook{chapter,\n  title = {Chapter},\n  crossref = {whole},\n}\n\n"
        "@book{whole,\n  author = {Trotsky, Leon},\n  title = {My Life},\n  date = {1930},\n}\n"
    )
    assert _rules(text) == []


def test_a_crossref_chain_is_followed_and_a_cycle_does_not_hang() -> None:
    chain = (
        "@inproceedings{paper,\n  author = {A, B},\n  title = {P},\n  crossref = {procs},\n}\n"
        "@proceedings{procs,\n  title = {Procs},\n  crossref = {series},\n}\n"
        "@mvproceedings{series,\n  title = {Series},\n  date = {1990},\n}\n"
    )
    assert _rules(chain) == []
    cycle = "@book{a,\n  title = {A},\n  crossref = {b},\n}\n@book{b,\n  title = {B},\n  crossref = {a},\n}\n"
    assert {rule for rule, *_ in _rules(cycle)} == {"required-field"}


def test_a_crossref_to_a_missing_key_is_an_error() -> None:
    text = "@incollection{child,\n  author = {A, B},\n  title = {T},\n  crossref = {nowhere},\n}\n"
    found = [d for d in lint_text("x.bib", text).diagnostics if d.rule == "crossref-missing"]
    assert [(d.location.line, d.location.column, d.key) for d in found] == [(4, 14, "child")]
    assert found[0].message == "entry 'child': crossref 'nowhere' names no entry in this file"


def test_inherit_adds_the_parents_fields_with_their_locations(tmp_path: Path) -> None:
    path = tmp_path / "x.bib"
    path.write_text(CHILD_AND_PARENT, encoding="utf-8")
    by_key = read_bibtex(path).by_key()
    child, parent = by_key["child"], by_key["parent"]
    merged = inherit(child, parent)
    assert merged is not child
    assert merged.key == "child"
    assert merged.fields[: len(child.fields)] == child.fields
    added = {item.name: item for item in merged.fields[len(child.fields) :]}
    # title becomes booktitle (the child's own title stays); the rest is inherited as is,
    # except the fields biblatex never inherits (crossref, ids, ...).
    assert sorted(added) == ["booktitle", "date", "editor", "location", "publisher"]
    assert added["booktitle"].value == parent.get("title")
    assert added["booktitle"].location == parent.field("title").location  # type: ignore[union-attr]
    assert merged.get("title") == "Their Morals and Ours"
    assert added["editor"].location.line == 9


def test_inherit_never_overrides_and_maps_author_to_bookauthor() -> None:
    from exilebib.model import Field, Location, Source

    def source(key: str, entry_type: str, **fields: str) -> Source:
        where = Location("x.bib", 1)
        return Source(
            key, entry_type, tuple(Field(n, v, "{" + v + "}", where) for n, v in fields.items()), where
        )

    book = source("b", "book", author="Trotsky, Leon", title="My Life", date="1930", ids="x")
    chapter = source("c", "inbook", title="Exile", date="1931", crossref="b")
    merged = inherit(chapter, book)
    assert merged.get("date") == "1931"
    assert merged.get("author") == "Trotsky, Leon"
    assert merged.get("bookauthor") == "Trotsky, Leon"
    assert merged.get("booktitle") == "My Life"
    assert merged.get("title") == "Exile"
    assert merged.get("ids") is None

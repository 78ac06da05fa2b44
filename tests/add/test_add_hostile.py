"""Hostile records: whatever a service or a page sends, the new entry reads back as one
well-formed entry, is lint-clean, and says what the record said (never a traceback)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from exilebib.bibtex import read_bibtex
from exilebib.capture.entry import NewEntry, UnwritableEntry, build_entry, visible
from exilebib.csl import convert
from exilebib.lint import lint_text

TODAY = dt.date(2026, 12, 2)
_NOCASE = re.compile(r'</?span(?: class="nocase")?>')
ARTICLE: dict[str, Any] = {
    "type": "article-journal",
    "author": [{"family": "Doe", "given": "Jan"}],
    "container-title": "Journal",
    "issued": {"date-parts": [[2020]]},
}


def written(item: dict[str, Any]) -> tuple[NewEntry, str, dict[str, Any]]:
    """The entry, its text, and what ``csl.py`` reads back from it; the text must read as
    one entry without a problem and be lint-clean."""
    entry = build_entry(item, today=TODAY, pattern="{author}{year}{title}", taken=())
    text = entry.text()
    library = read_bibtex(Path("new.bib"), text)
    assert not library.diagnostics, (text, library.diagnostics)
    assert len(library.sources) == 1, text
    problems = [
        str(d)
        for d in lint_text("new.bib", text).diagnostics
        if d.severity.value != "info" and d.rule != "missing-group"
    ]
    assert problems == [], text
    return entry, text, convert(library.sources[0]).item


def plain(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(visible(text).split()))


HOSTILE = [
    "A {weird} title}",
    "An {unclosed title",
    "}{ inside out {}",
    "50% of #hash and \\back @at ~tilde ^caret $dollar & amp _under",
    "Bad\x00control\x07chars\x1b[31m",
    "RTL \u202emark\u202c and \u200fLRM\u200e, soft\u00adhyphen, zero\u200bwidth",
    "Line one\nLine two\r\n@article{evil, title={x}}",
    "}\n@comment{",
    "\\emph{not markup} $x^2$",
    "He said \"hi\" ``quoted'' -- and --- dashes",
]


@pytest.mark.parametrize("title", HOSTILE)
def test_hostile_title_reads_back_as_itself(title) -> None:
    entry, _text, back = written({**ARTICLE, "title": title})
    assert entry.entry_type == "article"
    assert _NOCASE.sub("", back["title"]) == plain(title)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@example("{")
@example("}}{{")
@example("a\\")
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=60))
def test_any_title_container_and_name_give_a_well_formed_entry(text) -> None:
    if not plain(text):
        return
    item = {
        **ARTICLE,
        "title": text,
        "container-title": text,
        "author": [{"family": text, "given": text}],
    }
    _entry, _text, back = written(item)
    assert _NOCASE.sub("", back["title"]) == plain(text)


@pytest.mark.parametrize(
    "name",
    [
        {"family": "O}Brien", "given": "{Pat"},
        {"literal": "ACME, Inc. and Partners"},
        {"family": "and", "given": "Or"},
        {"family": "Name\u0000\u202e"},
        {"family": "{Team}"},
        {"family": "Doe", "given": "Jan", "suffix": "Jr.", "non-dropping-particle": "de"},
    ],
)
def test_hostile_name_is_one_name(name) -> None:
    _entry, _text, back = written({**ARTICLE, "title": "T", "author": [name]})
    assert len(back["author"]) == 1


def test_ten_thousand_authors_and_an_enormous_title() -> None:
    authors = [{"family": f"Family{i}", "given": "Given"} for i in range(10_000)]
    title = "word " * 100_000
    entry, _text, back = written({**ARTICLE, "title": title, "author": authors})
    assert len(back["author"]) == 10_000
    assert entry.key == "family02020word"


@pytest.mark.parametrize(
    ("issued", "date"),
    [
        ({"date-parts": [["2020", "5", "1"]]}, "2020-05-01"),  # DataCite writes strings
        ({"date-parts": [[2020, 13, 40]]}, "2020"),  # no such month: the year stays
        ({"date-parts": [[2020, 2, 30]]}, "2020-02"),
        ({"date-parts": [[1938, 9], [1939, 2]]}, "1938-09/1939-02"),
        ({"raw": "1936-05"}, "1936-05"),
    ],
)
def test_csl_date_shapes(issued, date) -> None:
    entry, _text, _back = written({**ARTICLE, "title": "T", "issued": issued})
    assert entry.get("date") == date
    assert entry.key == f"doe{date[:4]}t"


@pytest.mark.parametrize(
    "issued",
    [
        None,
        {"date-parts": [[None]]},
        {"date-parts": [[]]},
        {"date-parts": "2020"},
        {"date-parts": [[99999]]},
        {"literal": "Spring 2020"},
        "2020-01-01",
    ],
)
def test_a_record_without_a_usable_date_is_a_misc_with_a_note(issued) -> None:
    item = {**ARTICLE, "title": "T", "issued": issued}
    entry, _text, back = written(item)
    assert entry.entry_type == "misc"
    assert entry.key == "doet"  # no "None", no "99999" in the key
    assert entry.note == "written as @misc: the record has no date, which an @article needs"
    assert back["title"] == "T"


def test_a_record_without_authors_is_a_misc_with_a_note() -> None:
    item = {**ARTICLE, "title": "Editorial", "author": [{"literal": ""}, None, "x"]}
    entry, _text, _back = written(item)
    assert (entry.entry_type, entry.note) == (
        "misc",
        "written as @misc: the record has no author, which an @article needs",
    )


def test_hostile_url_doi_and_numbers_are_written_valid_or_left_out() -> None:
    item = {
        **ARTICLE,
        "title": "T",
        "URL": "https://x.example/a b}c{d\\e%f#g\n@x",
        "DOI": "https://doi.org/10.1000/a}b",
        "ISSN": ["1234-5678", "1363-3554"],
        "ISBN": "978",
        "volume": "1}",
        "issue": "{2",
        "page": "1--}2{",
    }
    entry, _text, back = written(item)
    assert entry.get("url") == "https://x.example/a%20b%7Dc%7Bd%5Ce%25f#g%20@x"
    assert entry.get("doi") == "10.1000/a%7Db"
    assert entry.get("issn") == "1363-3554"  # the first valid one
    assert entry.get("isbn") is None
    assert back["volume"] == "1}"


def test_a_doi_that_is_no_doi_is_left_out() -> None:
    entry, _text, _back = written({**ARTICLE, "title": "T", "DOI": "not a doi"})
    assert entry.get("doi") is None


def test_an_entry_that_would_not_read_back_is_refused_not_written() -> None:
    entry = NewEntry("misc", "k", (("title", "a}b"),))
    with pytest.raises(UnwritableEntry):
        entry.text()

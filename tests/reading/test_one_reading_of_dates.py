"""One reading of every date field: render prints what lint accepts, and a value render
cannot use is a lint finding in the same words (issue 9, "One reading of every field").

The examples are the issue's: ``2024-02-30`` rendered while lint called it an error;
``193X`` and ``2020-01-01T10:00`` passed lint while render printed them as literal text;
``1937-4-1`` rendered while lint rejected it. EDTF forms follow biblatex's manual §2.3.8.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from exilebib.cli import main
from exilebib.dates import read_date


def _files(tmp_path: Path, date: str) -> Path:
    path = tmp_path / "d.bib"
    path.write_text(
        "@book{k,\n  author = {Doe, Jo},\n  title = {T},\n  publisher = {P},\n"
        f"  date = {{{date}}},\n  keywords = {{primary}},\n}}\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("date", "issued"),
    [
        ("193X", {"date-parts": [[1930], [1939]]}),
        ("19XX", {"date-parts": [[1900], [1999]]}),
        ("1999-XX", {"date-parts": [[1999]]}),
        ("2020-01-01T10:00", {"date-parts": [[2020, 1, 1]]}),
        ("2004-04-05T14:34:00", {"date-parts": [[2004, 4, 5]]}),
        ("1723~", {"date-parts": [[1723]], "circa": True}),
        ("1723?", {"date-parts": [[1723]], "circa": True}),
        ("1723%", {"date-parts": [[1723]], "circa": True}),
        ("2004-22", {"date-parts": [[2004]], "season": 2}),
        ("-0044", {"date-parts": [[-45]]}),
        ("0000", {"date-parts": [[-1]]}),
        ("2024-02-29", {"date-parts": [[2024, 2, 29]]}),
    ],
)
def test_a_date_lint_accepts_renders_as_the_date_it_means(
    tmp_path: Path, date: str, issued: dict[str, object]
) -> None:
    path = _files(tmp_path, date)
    rendered = CliRunner().invoke(main, ["render", str(path), "-f", "csl-json"])
    assert json.loads(rendered.stdout)[0]["issued"] == issued
    assert "date-" not in rendered.stderr
    linted = CliRunner().invoke(main, ["lint", str(path)])
    assert "date-format" not in linted.stdout


@pytest.mark.parametrize(
    ("date", "problem"),
    [
        ("2024-02-30", "2024-02-30 is not a day of the calendar"),
        ("1937-4-1", "not in the form YYYY, YYYY-MM or YYYY-MM-DD"),
        ("2010-13", "month 13 does not exist"),
        ("1X9X", "only a year's last digits can be unspecified (199X, 19XX)"),
        ("../..", "a range needs at least one end"),
    ],
)
def test_a_date_render_cannot_use_is_a_lint_error_in_the_same_words(
    tmp_path: Path, date: str, problem: str
) -> None:
    path = _files(tmp_path, date)
    message = f"entry 'k': date '{date}' is not a valid date: {problem}"
    rendered = CliRunner().invoke(main, ["render", str(path), "--group-by", "none"])
    assert rendered.exit_code == 0
    assert f"{path}:5: warning: {message}; it is printed as written" in rendered.stderr
    assert "[date-literal]" in rendered.stderr
    linted = CliRunner().invoke(main, ["lint", str(path)])
    assert f"{path}:5:11: error: {message} [date-format]" in linted.stdout


@pytest.mark.parametrize(
    ("date", "issued", "shown"),
    [
        ("1999-10-14/..", {"date-parts": [[1999, 10, 14]]}, "end, which CSL cannot print; only 1999-10-14"),
        ("1999/", {"date-parts": [[1999]]}, "end, which CSL cannot print; only 1999 is"),
        ("/2001", {"date-parts": [[2001]]}, "start, which CSL cannot print; only 2001 is"),
        ("../2001", {"date-parts": [[2001]]}, "start, which CSL cannot print; only 2001 is"),
    ],
)
def test_an_open_range_keeps_its_known_end_with_a_located_warning(
    tmp_path: Path, date: str, issued: dict[str, object], shown: str
) -> None:
    path = _files(tmp_path, date)
    rendered = CliRunner().invoke(main, ["render", str(path), "-f", "csl-json"])
    assert json.loads(rendered.stdout)[0]["issued"] == issued
    assert f"{path}:5: warning: entry 'k': date '{date}': the range has an open or unknown {shown}" in rendered.stderr
    assert "[date-open]" in rendered.stderr


def test_a_range_of_unspecified_years_spans_both() -> None:
    assert read_date("199X/200X").csl == {"date-parts": [[1990], [2009]]}

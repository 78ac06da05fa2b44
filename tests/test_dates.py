"""Dates: the EDTF subset of biblatex, year/month/day fields, and "no date"."""

from __future__ import annotations

import pytest

from exilebib.dates import from_fields, parse_edtf, parse_month


@pytest.mark.parametrize(
    ("value", "csl"),
    [
        ("1980", {"date-parts": [[1980]]}),
        ("2011-12", {"date-parts": [[2011, 12]]}),
        ("2010-04-21", {"date-parts": [[2010, 4, 21]]}),
        ("1937-04-10/1937-04-17", {"date-parts": [[1937, 4, 10], [1937, 4, 17]]}),
        ("1929/1940", {"date-parts": [[1929], [1940]]}),
        ("1930?", {"date-parts": [[1930]], "circa": True}),
        ("1930~", {"date-parts": [[1930]], "circa": True}),
        ("2004/..", {"date-parts": [[2004]]}),
        ("2001-22", {"date-parts": [[2001]], "season": 2}),
        ("Spring 1999", {"literal": "Spring 1999"}),
        ("2010-13-01", {"literal": "2010-13-01"}),
    ],
)
def test_edtf(value: str, csl: dict[str, object]) -> None:
    assert parse_edtf(value) == csl


@pytest.mark.parametrize("value", ["n.d.", "nodate", "undated", "", "  "])
def test_no_date_means_no_date(value: str) -> None:
    assert parse_edtf(value) is None


@pytest.mark.parametrize(("value", "number"), [("aug", 8), ("August", 8), ("8", 8), ("08", 8)])
def test_months(value: str, number: int) -> None:
    assert parse_month(value) == number


def test_year_month_day_fields() -> None:
    assert from_fields("1975", "aug", "3") == {"date-parts": [[1975, 8, 3]]}


def test_year_range_in_year_field() -> None:
    assert from_fields("1937--1938") == {"date-parts": [[1937], [1938]]}

"""BibTeX/BibLaTeX dates → CSL-JSON date objects: the one reading of every date field.

``date``-like fields take the EDTF subset that biblatex documents (manual §2.3.8):
``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` (with a time, ``T14:34:00``, which CSL has no place
for), ranges ``A/B`` and open ranges ``A/..``, ``../B``, ``A/`` and ``/B``, the marks
``?`` (uncertain), ``~`` (approximate) and ``%`` (both), all printed as *circa*; seasons
(months 21-24); unspecified digits (``199X`` is 1990/1999, ``19XX`` 1900/1999, ``1999-XX``
the year 1999); negative years, which EDTF counts astronomically (``-0044`` is 45 BC, CSL's
``-45``). Without ``date`` an entry may give ``year``, ``month`` and ``day``. "No date"
spellings mean there is no date at all.

:func:`read_date` returns a :class:`DateReading`: the CSL date, and why a value is no date
(then it is a literal, printed as written) or what CSL cannot carry (an open end). ``render``
warns and ``lint`` reports from the same reading, in the same words.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from exilebib.latex import to_plain

#: Spellings of "no date" that mean the field should be left out.
NO_DATE = frozenset({"n.d.", "nd", "n. d.", "nodate", "no date", "undated", "s.d.", "s. d."})

#: The months, in order: the one table of month names (BibTeX's month macros are their
#: first three letters, lower-cased).
MONTH_NAMES: tuple[str, ...] = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

#: Month names and abbreviations (lower case) → month number; "sept" as well as "sep".
MONTHS: Mapping[str, int] = {
    **{name.lower(): number for number, name in enumerate(MONTH_NAMES, start=1)},
    **{name[:3].lower(): number for number, name in enumerate(MONTH_NAMES, start=1)},
    "sept": 9,
}

#: the shape every date of a date field must have (the check of each part follows)
FORM = "not in the form YYYY, YYYY-MM or YYYY-MM-DD"
_TIME = r"T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?"
_POINT = re.compile(
    r"(?P<year>-?[\dX]{4})(?:-(?P<month>[\dX]{2})(?:-(?P<day>[\dX]{2})(?:" + _TIME + r")?)?)?"
    r"(?P<mark>[?~%]?)"
)
_UNSPECIFIED_YEAR = re.compile(r"-?\d+X*")


@dataclass(frozen=True, slots=True)
class DateReading:
    """What one date field says.

    ``csl`` is the CSL-JSON date (``None``: the field says there is no date; a ``literal``
    date when ``problem`` is set). ``problem`` says why the value is no date; ``note`` what
    CSL cannot carry of a valid one (an open end), so a warning can say what is printed.
    """

    csl: dict[str, object] | None
    problem: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class _Point:
    first: list[int]  #: date parts of the earliest day the point can mean
    last: list[int]  #: ... and of the latest (the same unless digits are unspecified)
    circa: bool = False
    season: int | None = None  #: 1-4 (EDTF's 21-24)


def _csl_year(year: int) -> int:
    """EDTF's astronomical year → CSL's (no year 0: EDTF 0 is 1 BC, CSL -1)."""
    return year if year > 0 else year - 1


def _point(text: str) -> _Point | str:
    """One date of a field, or why it is none (lint's wording)."""
    match = _POINT.fullmatch(text)
    if match is None:
        return FORM
    year, month, day, mark = match.group("year", "month", "day", "mark")
    circa = bool(mark)
    if "X" in year:
        if not _UNSPECIFIED_YEAR.fullmatch(year):
            return "only a year's last digits can be unspecified (199X, 19XX)"
        if (month and month != "XX") or (day and day != "XX"):
            return "a year with unspecified digits takes no month or day"
        low, high = int(year.replace("X", "0")), int(year.replace("X", "9"))
        return _Point([_csl_year(low)], [_csl_year(high)], circa)
    number = _csl_year(int(year))
    if month is None or month == "XX":
        if day and day != "XX":
            return "a day needs its month"
        return _Point([number], [number], circa)
    if "X" in month:
        return f"month {month} is partly unspecified; write XX or the month"
    month_number = int(month)
    if day is None and 21 <= month_number <= 24:
        return _Point([number], [number], circa, season=month_number - 20)
    if not 1 <= month_number <= 12:
        return f"month {month} does not exist"
    if day is None or day == "XX":
        return _Point([number, month_number], [number, month_number], circa)
    if "X" in day:
        return f"day {day} is partly unspecified; write XX or the day"
    day_number = int(day)
    try:
        # the calendar of year 2000 (a leap year) for years datetime cannot hold
        dt.date(int(year) if int(year) >= 1 else 2000, month_number, day_number)
    except ValueError:
        return f"{year}-{month}-{day} is not a day of the calendar"
    return _Point([number, month_number, day_number], [number, month_number, day_number], circa)


def read_date(value: str) -> DateReading:
    """One date field's value (EDTF subset) → :class:`DateReading`."""
    text = value.strip()
    if not text or text.lower() in NO_DATE:
        return DateReading(None)
    if "/" not in text:
        point = _point(text)
        if isinstance(point, str):
            return DateReading({"literal": to_plain(text)}, point)
        return DateReading(_csl(point, point))
    start_text, _, end_text = text.partition("/")
    if "/" in end_text:
        return DateReading({"literal": to_plain(text)}, "a range has one slash")
    open_start, open_end = start_text in ("", ".."), end_text in ("", "..")
    if open_start and open_end:
        return DateReading({"literal": to_plain(text)}, "a range needs at least one end")
    start = None if open_start else _point(start_text)
    end = None if open_end else _point(end_text)
    for part in (start, end):
        if isinstance(part, str):
            return DateReading({"literal": to_plain(text)}, part)
    assert not isinstance(start, str)
    assert not isinstance(end, str)
    if start is None or end is None:
        known = start or end
        assert known is not None
        shown = end_text if start is None else start_text
        side = "start" if start is None else "end"
        note = (
            f"the range has an open or unknown {side}, which CSL cannot print; only "
            f"{shown} is printed"
        )
        return DateReading(_csl(known, known), note=note)
    return DateReading(_csl(start, end))


def _csl(start: _Point, end: _Point) -> dict[str, object]:
    first, last = start.first, end.last
    date: dict[str, object]
    if start.season is not None and start is end:
        date = {"date-parts": [first], "season": start.season}
    elif first == last:
        date = {"date-parts": [first]}
    else:
        date = {"date-parts": [first, last]}
    if start.circa or end.circa:
        date["circa"] = True
    return date


def date_problem(value: str) -> str | None:
    """Why ``value`` is not a biblatex date or date range, or ``None`` when it is one."""
    return read_date(value).problem


def parse_edtf(value: str) -> dict[str, object] | None:
    """An EDTF-subset string → CSL date object; ``None`` when the value is "no date".

    Values that are not dates become ``{"literal": value}`` (see :func:`read_date` for why).
    """
    return read_date(value).csl


def parse_month(value: str) -> int | None:
    """``aug``, ``August``, ``8`` or ``08`` → 8; anything else → ``None``."""
    text = to_plain(value).strip().rstrip(".").lower()
    if text.isdigit():
        number = int(text)
        return number if 1 <= number <= 12 else None
    return MONTHS.get(text)


def from_fields(
    year: str, month: str | None = None, day: str | None = None
) -> dict[str, object] | None:
    """``year``/``month``/``day`` fields → a CSL date object (literal if they don't parse)."""
    text = to_plain(year).strip()
    if text.lower() in NO_DATE or not text:
        return None
    if not re.fullmatch(r"-?\d{1,4}", text):
        # "1937--1938" and the like: a range in the year field.
        range_match = re.fullmatch(r"(\d{4})\s*[-–/]+\s*(\d{4})", text)
        if range_match:
            return {"date-parts": [[int(range_match.group(1))], [int(range_match.group(2))]]}
        return {"literal": text}
    parts = [int(text)]
    number = parse_month(month) if month else None
    if number:
        parts.append(number)
        if day and to_plain(day).strip().isdigit():
            parts.append(int(to_plain(day).strip()))
    return {"date-parts": [parts]}

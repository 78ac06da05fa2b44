"""Dates: ``date``-like fields (biblatex's EDTF subset), ``year``, ``month``, access dates."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from exilebib.bibtex import MONTH_MACROS, RawField, ValueKind
from exilebib.dates import MONTHS, date_problem

#: date_problem is the reader's (exilebib.dates), re-exported where lint's users look for it
__all__ = ["DATE_FIELDS", "DATE_FORMAT", "date_problem", "dates"]
from exilebib.errors import Severity
from exilebib.lint.context import EntryView, LintContext
from exilebib.lint.datamodel import ONLINE_TYPES
from exilebib.lint.rules import Finding, check, rule

DATE_FORMAT = rule(
    "date-format",
    Severity.ERROR,
    "dates",
    "date, urldate, origdate, eventdate not in biblatex's ISO 8601/EDTF form (or impossible)",
)
YEAR_FORMAT = rule("year-format", Severity.ERROR, "dates", "year not four digits (or n.d.)")
MONTH_FORMAT = rule(
    "month-format", Severity.ERROR, "dates", "month not 1-12, a month macro (aug) or a month name"
)
URLDATE_MISSING = rule(
    "urldate-missing",
    Severity.WARNING,
    "dates",
    "an entry with a url but no date at all: nothing dates it but an access date",
)
URLDATE_RECOMMENDED = rule(
    "urldate-recommended",
    Severity.INFO,
    "dates",
    "a dated @online entry without urldate (Harvard prints 'Accessed: ...' for web pages)",
)

#: Fields in biblatex's date format.
DATE_FIELDS: tuple[str, ...] = ("date", "urldate", "origdate", "eventdate")

#: a year range written as in a year field ("1937-1940"), which belongs in date with a slash
_YEAR_RANGE = re.compile(r"\d{4}\s*-{1,3}\s*\d{4}")
#: a day (an access date in the future is checked on it)
_DAY = re.compile(r"\d{4}-\d{2}(?:-\d{2})?")


def _as_range(text: str) -> str:
    """``1941--1942`` → ``1941/1942``, biblatex's range form."""
    return re.sub(r"[\s-]+", "/", text)


def _value_offset(item: RawField) -> int:
    part = item.parts[0]
    return part.start + (1 if part.kind in (ValueKind.BRACED, ValueKind.QUOTED) else 0)


def _dates(entry: EntryView, today: dt.date) -> Iterator[Finding]:
    key = entry.key or None
    for name in DATE_FIELDS:
        value = entry.get(name)
        item = entry.by_name.get(name)
        if value is None or item is None:
            continue
        text = value.strip()
        problem = date_problem(text) if text else "it is empty"
        if problem is None and name == "urldate":
            if "/" in text or text[-1:] in "?~%":
                problem = "an access date is one day, not a range or an approximate date"
            elif _DAY.match(text) and text[:10] > today.isoformat():
                problem = "it is in the future"
        if problem is None:
            continue
        hint = f"write {name} = {{1941-08-20}} (ISO 8601: year, month, day)"
        if _YEAR_RANGE.fullmatch(text):
            hint = f"write a range with a slash: {name} = {{{_as_range(text)}}}"
        yield Finding(
            DATE_FORMAT,
            f"{entry.label}: {name} '{text}' is not a valid date: {problem}",
            hint,
            key=key,
            offset=_value_offset(item),
            entry=entry,
        )
    year = entry.get("year")
    item = entry.by_name.get("year")
    if year is not None and item is not None:
        text = year.strip()
        if not re.fullmatch(r"-?\d{4}|n\.\s?d\.", text):
            hint = "write four digits, e.g. year = {1937}, or use date = {...} for a full date"
            if _YEAR_RANGE.fullmatch(text):
                hint = f"a range belongs in date: date = {{{_as_range(text)}}}"
            yield Finding(
                YEAR_FORMAT,
                f"{entry.label}: year '{text}' is not a four-digit year",
                hint,
                key=key,
                offset=_value_offset(item),
                entry=entry,
            )
    month = entry.get("month")
    item = entry.by_name.get("month")
    if month is not None and item is not None:
        bare = item.parts[0].kind is ValueKind.MACRO and len(item.parts) == 1
        text = month.strip()
        lowered = item.parts[0].text.lower() if bare else text.lower().rstrip(".")
        valid = (
            (bare and lowered in MONTH_MACROS)
            or (text.isdigit() and 1 <= int(text) <= 12)
            or lowered in MONTHS
        )
        if not valid:
            yield Finding(
                MONTH_FORMAT,
                f"{entry.label}: month '{text}' is not a month",
                "write a number 1-12 or a month macro (month = aug), or put the date in date",
                key=key,
                offset=_value_offset(item),
                entry=entry,
            )


@check
def dates(context: LintContext) -> Iterator[Finding]:
    """Date syntax per field and access dates for online sources."""
    today = dt.date.today()
    for entry in context.entries:
        yield from _dates(entry, today)
        url = entry.by_name.get("url")
        if url is None or not entry.has("url") or entry.has("urldate"):
            continue
        dated = any(entry.has(name) for name in ("date", "year"))
        if not dated:
            yield Finding(
                URLDATE_MISSING,
                f"{entry.label} has a url but neither a date nor an access date "
                "(urldate); an undated web source is dated by when it was read",
                "add urldate = {YYYY-MM-DD}, the day you last opened the link",
                key=entry.key or None,
                offset=url.name_start,
                entry=entry,
            )
        elif entry.entry_type in ONLINE_TYPES:
            yield Finding(
                URLDATE_RECOMMENDED,
                f"{entry.label} is a web page without an access date (urldate); "
                "Harvard (Cite Them Right) prints one for every web page, Chicago only "
                "for undated ones",
                "add urldate = {YYYY-MM-DD}, or switch the rule off for this entry",
                key=entry.key or None,
                offset=url.name_start,
                entry=entry,
            )

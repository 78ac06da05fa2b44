"""BibTeX/BibLaTeX dates → CSL-JSON date objects.

``date``-like fields take the EDTF subset that biblatex documents: ``YYYY``, ``YYYY-MM``,
``YYYY-MM-DD``, ranges ``A/B``, open ranges ``A/..`` and ``../B``, and the uncertainty
marks ``?``, ``~`` and ``%`` (all rendered as *circa*). Without ``date`` an entry may give
``year``, ``month`` and ``day``. Anything else is passed on as a literal date, and
"no date" spellings mean there is no date at all.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from exilebib.latex import to_plain

#: Spellings of "no date" that mean the field should be left out.
NO_DATE = frozenset({"n.d.", "nd", "n. d.", "nodate", "no date", "undated", "s.d.", "s. d."})

MONTHS: Mapping[str, int] = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january", "janvier"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}

_PART = re.compile(r"^(-?\d{1,4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?([?~%]?)$")


def _parse_point(text: str) -> tuple[list[int], bool] | None:
    match = _PART.match(text.strip())
    if not match:
        return None
    year, month, day, mark = match.groups()
    parts = [int(year)]
    if month:
        number = int(month)
        if number > 12:
            # EDTF seasons (21-24) map to CSL's season; other numbers are not dates.
            if 21 <= number <= 24 and not day:
                return [int(year), number], bool(mark)
            return None
        parts.append(number)
        if day:
            if not 1 <= int(day) <= 31:
                return None
            parts.append(int(day))
    return parts, bool(mark)


def parse_edtf(value: str) -> dict[str, object] | None:
    """An EDTF-subset string → CSL date object; ``None`` when the value is "no date".

    Values that are not dates become ``{"literal": value}``.
    """
    text = value.strip()
    if text.lower() in NO_DATE or not text:
        return None
    ends = text.split("/") if "/" in text else [text]
    if len(ends) > 2:
        return {"literal": to_plain(text)}
    parts: list[list[int]] = []
    circa = False
    for end in ends:
        if end in ("..", ""):
            continue  # an open end: CSL has no open ranges, keep the known end
        point = _parse_point(end)
        if point is None:
            return {"literal": to_plain(text)}
        parts.append(point[0])
        circa = circa or point[1]
    if not parts:
        return {"literal": to_plain(text)}
    date: dict[str, object] = {"date-parts": parts}
    if len(parts) == 2 and parts[1] and len(parts[1]) > 2 and parts[1][1] > 20:
        date = {"date-parts": parts[:1]}
    if parts and len(parts[0]) == 2 and parts[0][1] > 20:
        date = {"date-parts": [[parts[0][0]]], "season": parts[0][1] - 20}
    if circa:
        date["circa"] = True
    return date


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

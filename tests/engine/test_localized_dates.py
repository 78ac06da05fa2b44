"""localized_dates: a calling cs:date's date-part overrides the locale's for that date only
(CSL 1.0.2, Localized Date Formats). Expected strings are citeproc-js's."""

from __future__ import annotations

from pathlib import Path

from exilebib.engine import Engine

STYLE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0"
       default-locale="en-US">
  <info><title>overrides</title><id>overrides</id>
    <updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography>
    <layout>
      <group delimiter=" | ">
        <date variable="issued" form="text"><date-part name="month" form="short" suffix="!"/></date>
        <date variable="accessed" form="text"/>
      </group>
    </layout>
  </bibliography>
</style>
"""
ITEM = {"id": "a", "type": "book", "issued": {"date-parts": [[2001, 3, 4]]},
        "accessed": {"date-parts": [[2024, 5, 6]]}}


def test_an_override_stays_with_its_own_date(tmp_path: Path) -> None:
    style = tmp_path / "overrides.csl"
    style.write_text(STYLE, encoding="utf-8")
    engine = Engine(style, "en-US")
    expected = "Mar.!4, 2001 | May 6, 2024"
    assert engine.bibliography([ITEM]).entries[0].text == expected
    # the style is cached: a second render must not see the first one's overrides either
    assert Engine(style, "en-US").bibliography([ITEM]).entries[0].text == expected


def test_an_override_reaches_a_ranges_delimiter(tmp_path: Path) -> None:
    style = tmp_path / "ranges.csl"
    style.write_text(STYLE.replace(
        '<date-part name="month" form="short" suffix="!"/>',
        '<date-part name="year" range-delimiter="/"/>'), encoding="utf-8")
    item = {**ITEM, "issued": {"date-parts": [[1907], [1910]]}}
    text = Engine(style, "en-US").bibliography([item]).entries[0].text
    assert text == "1907/1910 | May 6, 2024"

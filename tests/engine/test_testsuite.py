"""The CSL processor test suite, with a ratchet.

``testsuite_known_failures.txt`` lists the fixtures the engine is known to fail. A listed
fixture that passes fails the run (remove it from the list: the engine got better), and so
does an unlisted fixture that fails (the engine got worse). Regenerate the list with
``python -m exilebib.engine.testsuite --failures tests/engine/testsuite_known_failures.txt``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from exilebib.engine.testsuite import (
    Fixture,
    fixture_items,
    fixture_paths,
    render_fixture,
    run_fixture,
)

SUITE = Path(__file__).resolve().parents[2] / ".." / "shared" / "csl-test-suite" / "humans"
KNOWN_FAILURES_FILE = Path(__file__).with_name("testsuite_known_failures.txt")
KNOWN_FAILURES = frozenset(
    line.strip()
    for line in KNOWN_FAILURES_FILE.read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
)
PATHS = fixture_paths(SUITE) if SUITE.is_dir() else []


def test_suite_is_present() -> None:
    if not SUITE.is_dir():
        pytest.skip(f"CSL test suite not found at {SUITE} (../shared/csl-test-suite/humans)")
    assert len(PATHS) > 800


def test_known_failures_are_fixtures() -> None:
    if not SUITE.is_dir():
        pytest.skip(f"CSL test suite not found at {SUITE}")
    names = {path.stem for path in PATHS}
    assert sorted(KNOWN_FAILURES - names) == []


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_fixture(path: Path) -> None:
    outcome = run_fixture(path)
    if path.stem in KNOWN_FAILURES:
        assert not outcome.passed, (
            f"{path.stem} passes now: remove it from {KNOWN_FAILURES_FILE.name}"
        )
    else:
        assert outcome.passed, (
            f"{path.stem} regressed\n expected: {outcome.expected}\n actual:   {outcome.actual}"
        )


def test_runner_gives_items_ids_as_citeproc_js_harness_does() -> None:
    # no id: ITEM-n by position; a repeated id: the later item replaces the earlier
    fixture = Fixture("x_y", "citation", "", "", [
        {"title": "A"}, {"id": "ITEM-2", "title": "B", "type": "book"},
        {"id": "ITEM-2", "title": "C", "type": "book"},
    ], None, None, None)
    assert [(i["id"], i["title"], i["type"]) for i in fixture_items(fixture)] == [
        ("ITEM-1", "A", "article"), ("ITEM-2", "C", "book"),
    ]


def test_runner_registers_only_the_cited_items_in_citation_mode() -> None:
    # as citeproc-js's harness: the uncited twin gives the cited item no year-suffix
    csl = """<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
      <info><id>x</id><title>x</title><updated>2024-01-01T00:00:00+00:00</updated></info>
      <citation disambiguate-add-year-suffix="true"><layout><group delimiter=" ">
        <names variable="author"><name form="short"/></names>
        <date variable="issued"><date-part name="year"/></date></group></layout></citation>
      </style>"""
    twins = [{"id": key, "type": "book", "issued": {"date-parts": [[1986]]},
              "author": [{"family": "Smith", "given": "J"}]} for key in ("a", "b")]
    fixture = Fixture("x_y", "citation", "", csl, twins, [[{"id": "a"}]], None, None)
    assert render_fixture(fixture, fixes=True) == "Smith 1986"

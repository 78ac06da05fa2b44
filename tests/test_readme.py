"""The README's command lines name commands and options that exist, so the docs cannot rot."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from exilebib.cli import main

README = Path(__file__).resolve().parents[1] / "README.md"


def _command_lines() -> list[str]:
    """Lines of fenced code blocks that run exilebib (continuation lines joined)."""
    lines: list[str] = []
    inside = False
    for raw in README.read_text(encoding="utf-8").splitlines():
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


LINES = _command_lines()


def test_the_readme_shows_every_command() -> None:
    shown = {shlex.split(line.replace("python3 -m ", ""))[1] for line in LINES}
    assert set(main.commands) <= shown, set(main.commands) - shown


@pytest.mark.parametrize("line", LINES)
def test_readme_options_exist(line: str) -> None:
    words = line.replace("python3 -m ", "").split()
    command = words[1]
    assert command in main.commands, f"README names an unknown command: {line}"
    help_text = CliRunner().invoke(main, [command, "--help"]).stdout
    for option in re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", line):
        assert option in help_text, f"README shows {option} for 'exilebib {command}': {line}"

"""``exilebib styles --locales --search TEXT`` filters the locales as it filters style IDs."""

from __future__ import annotations

from click.testing import CliRunner

from exilebib.cli import main
from exilebib.styles import available_locales


def test_search_filters_locales() -> None:
    result = CliRunner().invoke(main, ["styles", "--locales", "--search", "fr"])
    assert result.exit_code == 0, result.output
    shown = result.stdout.split()
    assert shown == [code for code in available_locales() if "fr" in code.lower()]
    assert "fr-FR" in shown
    assert "en-US" not in shown


def test_search_for_locales_is_case_insensitive_and_may_find_nothing() -> None:
    result = CliRunner().invoke(main, ["styles", "--locales", "--search", "FR-fr"])
    assert result.stdout.split() == ["fr-FR"]
    result = CliRunner().invoke(main, ["styles", "--locales", "--search", "zz-nowhere"])
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "exilebib: no locale contains 'zz-nowhere'\n"


def test_a_style_search_that_finds_nothing_exits_1() -> None:
    result = CliRunner().invoke(main, ["styles", "--search", "zzzz"])
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == "exilebib: no style ID or title contains 'zzzz'\n"

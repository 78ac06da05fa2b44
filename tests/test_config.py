"""[tool.exilebib] settings: found upward, overridden by flags, typos refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from exilebib.config import Group, load_settings
from exilebib.errors import UsageError


def test_defaults_without_config(tmp_path: Path) -> None:
    settings = load_settings(tmp_path)
    assert settings.style == "chicago"
    assert [g.keyword for g in settings.groups] == ["images", "primary", "secondary"]


def test_pyproject_table_found_from_a_subfolder(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.exilebib]\nsources = "bib/all.bib"\nstyle = "harvard"\nlocale = "en-US"\n'
        'groups = ["primary", "secondary"]\n[tool.exilebib.group-titles]\n'
        'primary = "Primary sources"\n',
        encoding="utf-8",
    )
    sub = tmp_path / "deep" / "er"
    sub.mkdir(parents=True)
    settings = load_settings(sub)
    assert settings.sources == tmp_path / "bib" / "all.bib"
    assert (settings.style, settings.locale) == ("harvard", "en-US")
    assert settings.groups == (Group("primary", "Primary sources"), Group("secondary", "Secondary"))


def test_unknown_key_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.exilebib]\nstyel = "x"\n', encoding="utf-8")
    with pytest.raises(UsageError, match=r"pyproject.toml: \[tool.exilebib\]: unknown key\(s\) styel"):
        load_settings(tmp_path)


def test_broken_toml_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "exilebib.toml").write_text("style = \n", encoding="utf-8")
    with pytest.raises(UsageError, match="not valid TOML"):
        load_settings(tmp_path)


def test_sources_below_the_working_directory_are_shown_relative(in_tmp: Path) -> None:
    (in_tmp / "pyproject.toml").write_text('[tool.exilebib]\nstyle = "harvard"\n', encoding="utf-8")
    assert load_settings().sources == Path("refs/sources.bib")


def test_group_title_for_no_group_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.exilebib]\n[tool.exilebib.group-titles]\nprimari = "P"\n', encoding="utf-8"
    )
    with pytest.raises(UsageError, match=r"group-titles\] names primari, which is not among"):
        load_settings(tmp_path)


def test_group_titles_apply_to_the_default_groups(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.exilebib]\n[tool.exilebib.group-titles]\nprimary = "Primary sources"\n',
        encoding="utf-8",
    )
    assert load_settings(tmp_path).groups[1] == Group("primary", "Primary sources")

"""Style and locale resolution: presets, official IDs, dependent styles, paths, mistakes."""

from __future__ import annotations

from pathlib import Path

import pytest

from exilebib.errors import UsageError
from exilebib.styles import resolve_style


@pytest.mark.parametrize(
    ("name", "style_id", "locale", "is_note"),
    [
        ("chicago", "chicago-notes-bibliography", "en-US", True),
        ("chicago-author-date", "chicago-author-date", "en-US", False),
        ("harvard", "harvard-cite-them-right", "en-GB", False),
        ("apa", "apa", "en-US", False),
    ],
)
def test_presets_and_ids(name: str, style_id: str, locale: str, is_note: bool) -> None:
    resolved = resolve_style(name)
    assert (resolved.style_id, resolved.locale, resolved.is_note) == (style_id, locale, is_note)


def test_locale_flag_overrides_the_preset() -> None:
    assert resolve_style("harvard", "en-US").locale == "en-US"


def test_language_code_takes_its_primary_dialect() -> None:
    assert resolve_style("chicago", "fr").locale == "fr-FR"


def test_dependent_style_resolves_to_its_parent() -> None:
    resolved = resolve_style("nature-digest")
    assert resolved.style_id == "nature"
    assert resolved.title == "Nature Digest"


def test_style_file_path(tmp_path: Path) -> None:
    path = resolve_style("harvard").path
    copy = tmp_path / "house.csl"
    copy.write_bytes(path.read_bytes())
    resolved = resolve_style(str(copy))
    assert resolved.path == copy
    # A copy under another name is another style: its file names no locale, so en-US.
    assert resolved.locale == "en-US"


def test_unknown_style_suggests_close_names() -> None:
    with pytest.raises(UsageError, match=r"unknown style 'chicgo'; did you mean 'chicago'"):
        resolve_style("chicgo")


def test_missing_style_file() -> None:
    with pytest.raises(UsageError, match="no such style file"):
        resolve_style("missing.csl")


def test_not_a_style(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csl"
    bad.write_text("<html/>", encoding="utf-8")
    with pytest.raises(UsageError, match="not a CSL style"):
        resolve_style(str(bad))


def test_unknown_locale() -> None:
    with pytest.raises(UsageError, match="unknown locale 'xx-YY'"):
        resolve_style("harvard", "xx-YY")


def test_a_style_id_without_default_locale_takes_its_presets_locale() -> None:
    assert resolve_style("harvard-cite-them-right").locale == "en-GB"

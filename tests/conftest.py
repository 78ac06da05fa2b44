"""Shared fixtures: the repository's paths and a CLI runner that keeps stderr apart."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

REPO = Path(__file__).resolve().parents[1]
ESSAY_BIB = REPO / "refs" / "sources.bib"
SHARED = REPO.parent / "shared"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in an empty folder with no config above it that could change defaults."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def essay_bib() -> Path:
    """The essay's own sources file, as committed."""
    return ESSAY_BIB

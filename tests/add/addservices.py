"""Shared by the ``add`` tests: the recorded answers (fixtures/) and their media types."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
CSL_JSON = {"Content-Type": "application/vnd.citationstyles.csl+json; charset=utf-8"}
JSON = {"Content-Type": "application/json; charset=utf-8"}
HTML = {"Content-Type": "text/html; charset=utf-8"}

#: The DOI of the recorded Crossref answer.
DOI = "10.1093/hwj/dbz001"
ISBN = "9781781685600"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()

"""One reading of identifier fields: render prints the URL and DOI that links checks
(issue 9: DOIs and URLs were parsed in csl.py, lint and links/collect.py, each its own way)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from exilebib.cli import main
from exilebib.identifiers import bare_doi, doi_url, url_of
from exilebib.links.collect import collect_links
from exilebib.sources import load_library


@pytest.mark.parametrize(
    ("written", "url"),
    [
        ("https://a.org/x_y", "https://a.org/x_y"),
        ("https://a.org/x\\_y\\%20z", "https://a.org/x_y%20z"),
        ("\\url{https://a.org/x\\_y}", "https://a.org/x_y"),
    ],
)
def test_render_prints_the_url_links_checks(tmp_path: Path, written: str, url: str) -> None:
    path = tmp_path / "u.bib"
    path.write_text(
        f"@online{{k, title = {{T}}, url = {{{written}}}, doi = {{https://doi.org/10.1000/Ab_1}}}}\n",
        encoding="utf-8",
    )
    rendered = CliRunner().invoke(main, ["render", str(path), "-f", "csl-json"])
    item = json.loads(rendered.stdout)[0]
    checked = [link.url for link in collect_links([load_library(path)])]
    assert item["URL"] == url
    assert item["DOI"] == "10.1000/Ab_1"
    assert checked == [url, doi_url(item["DOI"])]


@pytest.mark.parametrize(
    "written", ["10.1000/xyz", "doi:10.1000/xyz", "https://dx.doi.org/10.1000/xyz", " doi.org/10.1000/xyz "]
)
def test_every_spelling_of_a_doi_is_the_bare_doi(written: str) -> None:
    assert bare_doi(written) == "10.1000/xyz"
    assert doi_url(written) == "https://doi.org/10.1000/xyz"
    assert url_of(" https://a.org ") == "https://a.org"

"""Collecting URLs from a .bib file: fields, DOIs, free text, dedup, keys and lines."""

from __future__ import annotations

from pathlib import Path

from exilebib.bibtex import read_bibtex
from exilebib.links.collect import collect_links, doi_url, urls_in_text

BIB = r"""@online{first,
  title = {First},
  url   = {https://example.org/a},
}

@article{second,
  title = {Second},
  doi   = {10.1000/xyz(123)},
  note  = {See \url{https://example.org/b} and https://example.org/c.},
}

@misc{third,
  howpublished = {\href{https://example.org/d}{the site}},
  url          = {https://example.org/a},
}

@book{fourth,
  doi = {https://doi.org/10.1000/ABC},
  url = {https://example.org/100\%25\_done},
}
"""


def test_collects_every_kind_of_field_with_keys_and_lines(tmp_path: Path) -> None:
    path = tmp_path / "refs.bib"
    path.write_text(BIB, encoding="utf-8")
    links = collect_links([read_bibtex(path)])
    by_url = {link.url: link for link in links}
    assert list(by_url) == [
        "https://example.org/a",
        "https://doi.org/10.1000/xyz(123)",
        "https://example.org/b",
        "https://example.org/c",
        "https://example.org/d",
        "https://doi.org/10.1000/ABC",
        "https://example.org/100%25_done",
    ]
    shared = by_url["https://example.org/a"]
    assert shared.keys == ("first", "third")
    assert [(c.key, c.field, str(c.location)) for c in shared.citations] == [
        ("first", "url", f"{path}:3"),
        ("third", "url", f"{path}:14"),
    ]
    assert [str(c.location) for c in by_url["https://example.org/c"].citations] == [f"{path}:9"]


def test_doi_forms() -> None:
    assert doi_url("10.1/x") == "https://doi.org/10.1/x"
    assert doi_url("doi:10.1/x") == "https://doi.org/10.1/x"
    assert doi_url("http://dx.doi.org/10.1/x") == "https://doi.org/10.1/x"
    assert doi_url("10.1/a b<c>") == "https://doi.org/10.1/a%20b%3Cc%3E"


def test_urls_in_prose_drop_sentence_punctuation() -> None:
    text = "Online (https://example.org/x_(y)), also https://example.org/z; or https://e.org/q."
    assert urls_in_text(text) == [
        "https://example.org/x_(y)",
        "https://example.org/z",
        "https://e.org/q",
    ]

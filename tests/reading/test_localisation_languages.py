"""Localisation keys print in the entry's language, as biblatex prints them from its .lbx
strings (manual §4.9.2): German, French and Spanish; English for any other language and for
a key a language lacks. Run through the real CLI: ``exilebib render FILE -f csl-json``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from exilebib.cli import main
from exilebib.localisation import ENGLISH, STRINGS, resolve


def rendered(tmp_path: Path, text: str) -> dict[str, dict[str, Any]]:
    """The CSL-JSON items ``exilebib render`` prints for ``text``, by id."""
    source = tmp_path / "refs.bib"
    source.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["render", str(source), "-f", "csl-json", "--group-by", "none"]
    )
    assert result.exit_code == 0, result.output
    return {item["id"]: item for item in json.loads(result.stdout)}


def test_a_german_thesis_prints_its_type_and_country_in_german(tmp_path: Path) -> None:
    items = rendered(
        tmp_path,
        "@thesis{diss, author = {Muster, Max}, title = {Über Dinge}, institution = {Uni},"
        " type = {phdthesis}, location = {countryde}, year = {2001}, langid = {ngerman}}\n"
        # biblatex's @phdthesis alias sets type = {phdthesis}: the same string
        "@phdthesis{alias, author = {Muster, Max}, title = {X}, school = {Uni},"
        " year = {2001}, langid = {austrian}}\n",
    )
    assert items["diss"]["genre"] == "Dissertation"
    assert items["diss"]["publisher-place"] == "Deutschland"
    assert items["alias"]["genre"] == "Dissertation"


def test_a_french_journals_new_series_is_a_nouvelle_serie(tmp_path: Path) -> None:
    items = rendered(
        tmp_path,
        "@article{fr, author = {Dupont, Jean}, title = {Sur les choses}, journaltitle = {Revue},"
        " series = {newseries}, year = {1999}, langid = {french}}\n",
    )
    assert items["fr"]["collection-title"] == "Nouvelle série"


def test_a_spanish_patent_reads_hyphenation_when_langid_is_absent(tmp_path: Path) -> None:
    items = rendered(
        tmp_path,
        "@patent{es, author = {García, Ana}, title = {Un invento}, number = {123},"
        " type = {patenteu}, location = {countryfr and countryuk}, year = {2010},"
        " hyphenation = {spanish}}\n"
        "@thesis{tesis, author = {García, Ana}, title = {T}, institution = {U},"
        " type = {phdthesis}, year = {2010}, language = {spanish}}\n",
    )
    assert items["es"]["genre"] == "patente europea"
    assert items["es"]["publisher-place"] == "Francia and Reino Unido"
    assert items["tesis"]["genre"] == "Tesis doctoral"


def test_langid_wins_over_hyphenation_and_language(tmp_path: Path) -> None:
    items = rendered(
        tmp_path,
        "@thesis{k, author = {A, B}, title = {T}, institution = {U}, type = {phdthesis},"
        " year = {2001}, langid = {french}, hyphenation = {german}, language = {spanish}}\n",
    )
    assert items["k"]["genre"] == "thèse de doctorat"


def test_an_unknown_language_and_a_missing_key_fall_back_to_english(tmp_path: Path) -> None:
    items = rendered(
        tmp_path,
        "@thesis{it, author = {Rossi, Mario}, title = {T}, institution = {U},"
        " type = {phdthesis}, location = {countryuk}, year = {2001}, langid = {italian}}\n"
        # german.lbx has no candthesis: biblatex falls back to English
        "@thesis{cand, author = {A, B}, title = {T}, institution = {U},"
        " type = {candthesis}, year = {2001}, langid = {german}}\n",
    )
    assert items["it"]["genre"] == "PhD thesis"
    assert items["it"]["publisher-place"] == "United Kingdom"
    assert items["cand"]["genre"] == "Candidate thesis"


def test_english_entries_are_unchanged(tmp_path: Path) -> None:
    items = rendered(
        tmp_path,
        "@thesis{none, author = {A, B}, title = {T}, institution = {U}, type = {phdthesis},"
        " location = {countryus}, year = {2001}}\n"
        "@article{british, author = {A, B}, title = {T}, journaltitle = {J},"
        " series = {oldseries}, year = {2001}, langid = {british}}\n"
        "@patent{american, author = {A, B}, title = {T}, number = {1}, type = {patentus},"
        " year = {2001}, langid = {american}}\n",
    )
    assert items["none"]["genre"] == "PhD thesis"
    assert items["none"]["publisher-place"] == "United States of America"
    assert items["british"]["collection-title"] == "Old series"
    assert items["american"]["genre"] == "U.S. patent"


@pytest.mark.parametrize("language", sorted(STRINGS))
def test_every_language_table_holds_only_keys_english_knows(language: str) -> None:
    # a key only another language knows would never resolve (English decides what is a key)
    assert set(STRINGS[language]) <= set(ENGLISH)


def test_a_value_that_is_no_key_is_no_key_in_any_language() -> None:
    assert resolve("Habilitationsschrift", "german") is None

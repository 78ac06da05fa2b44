"""BibTeX name lists → CSL names: the three name forms, particles, suffixes, institutions."""

from __future__ import annotations

import pytest

from exilebib.names import parse_name, parse_names


@pytest.mark.parametrize(
    ("bibtex", "csl"),
    [
        ("Trotsky, Leon", {"family": "Trotsky", "given": "Leon"}),
        ("Leon Trotsky", {"family": "Trotsky", "given": "Leon"}),
        ("Patenaude, Bertrand M.", {"family": "Patenaude", "given": "Bertrand M."}),
        ("Sedova Trotsky, Natalia", {"family": "Sedova Trotsky", "given": "Natalia"}),
        ("King, Jr., Martin Luther", {"family": "King", "given": "Martin Luther", "suffix": "Jr."}),
        ("Ludwig van Beethoven", {"family": "Beethoven", "given": "Ludwig", "dropping-particle": "van"}),
        ("de la Fontaine, Jean", {"family": "Fontaine", "given": "Jean", "dropping-particle": "de la"}),
        ("La Follette, Suzanne", {"family": "La Follette", "given": "Suzanne"}),
        ("{World Health Organization}", {"literal": "World Health Organization"}),
        (r"R{\"u}hle, Otto", {"family": "Rühle", "given": "Otto"}),
        ("Aristotle", {"family": "Aristotle"}),
    ],
)
def test_name_forms(bibtex: str, csl: dict[str, str]) -> None:
    assert parse_name(bibtex) == csl


def test_useprefix_makes_the_particle_non_dropping() -> None:
    assert parse_name("van Gogh, Vincent", useprefix=True) == {
        "family": "Gogh",
        "given": "Vincent",
        "non-dropping-particle": "van",
    }


def test_list_splits_on_top_level_and_only() -> None:
    names = parse_names("{Barnes and Noble} and Smith, Ann AND Jones, Bob")
    assert [n.get("literal") or n["family"] for n in names.names] == [
        "Barnes and Noble",
        "Smith",
        "Jones",
    ]


def test_and_others_is_flagged_not_a_person() -> None:
    names = parse_names("Dewey, John and others")
    assert names.names == ({"family": "Dewey", "given": "John"},)
    assert names.et_al

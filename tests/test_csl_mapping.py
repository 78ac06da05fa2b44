"""BibTeX → CSL-JSON: one test per row of the mapping tables in exilebib.csl."""

from __future__ import annotations

from pathlib import Path

import pytest

from exilebib.bibtex import read_bibtex
from exilebib.csl import ARTICLE_SUBTYPES, TYPES, convert
from exilebib.model import Source


def entry(tmp_path: Path, text: str) -> Source:
    path = tmp_path / "one.bib"
    path.write_text(text, encoding="utf-8")
    library = read_bibtex(path)
    assert not library.diagnostics, library.diagnostics
    (source,) = library.sources
    return source


def item(tmp_path: Path, text: str) -> dict[str, object]:
    return convert(entry(tmp_path, text)).item


@pytest.mark.parametrize(("bibtex_type", "csl_type"), sorted(TYPES.items()))
def test_every_entry_type_row(tmp_path: Path, bibtex_type: str, csl_type: str) -> None:
    converted = item(tmp_path, f"@{bibtex_type}{{k, title = {{T}}}}")
    assert converted["type"] == csl_type


@pytest.mark.parametrize(("subtype", "csl_type"), sorted(ARTICLE_SUBTYPES.items()))
def test_article_subtypes(tmp_path: Path, subtype: str, csl_type: str) -> None:
    assert item(tmp_path, f"@article{{k, entrysubtype = {{{subtype}}}}}")["type"] == csl_type


def test_unknown_type_is_a_document(tmp_path: Path) -> None:
    assert item(tmp_path, "@whatever{k, title = {T}}")["type"] == "document"


def test_unpublished_with_event_is_a_speech(tmp_path: Path) -> None:
    converted = item(tmp_path, "@unpublished{k, title = {T}, eventdate = {1937-04-10}}")
    assert converted["type"] == "speech"
    assert converted["event-date"] == {"date-parts": [[1937, 4, 10]]}


def test_title_subtitle_and_addon_join(tmp_path: Path) -> None:
    converted = item(tmp_path, "@book{k, title = {A}, subtitle = {B}, titleaddon = {C}}")
    assert converted["title"] == "A: B. C"


def test_journal_aliases_become_container_title(tmp_path: Path) -> None:
    assert item(tmp_path, "@article{k, journal = {J}}")["container-title"] == "J"
    assert item(tmp_path, "@article{k, journaltitle = {J}}")["container-title"] == "J"
    assert item(tmp_path, "@incollection{k, booktitle = {B}}")["container-title"] == "B"


def test_article_number_is_the_issue(tmp_path: Path) -> None:
    converted = item(tmp_path, "@article{k, volume = {2}, number = {7}}")
    assert (converted["volume"], converted["issue"]) == ("2", "7")


def test_report_number_stays_a_number(tmp_path: Path) -> None:
    # the hyphen escaped as citeproc-js reads it: one number, never the range "17–04"
    assert item(tmp_path, "@report{k, number = {17-04}}")["number"] == "17\\-04"


def test_series_number_is_the_collection_number(tmp_path: Path) -> None:
    converted = item(tmp_path, "@book{k, series = {S}, number = {4}}")
    assert (converted["collection-title"], converted["collection-number"]) == ("S", "4")


def test_pages_dashes_become_one_hyphen(tmp_path: Path) -> None:
    assert item(tmp_path, "@article{k, pages = {1496--1504}}")["page"] == "1496-1504"


def test_publisher_chain_and_place(tmp_path: Path) -> None:
    converted = item(
        tmp_path, "@book{k, publisher = {P}, institution = {I}, address = {London}}"
    )
    assert converted["publisher"] == "P; I"
    assert converted["publisher-place"] == "London"


def test_online_organization_is_the_site(tmp_path: Path) -> None:
    converted = item(tmp_path, "@online{k, organization = {Hoover Institution}}")
    assert converted["container-title"] == "Hoover Institution"
    assert "publisher" not in converted


def test_image_organization_is_the_publisher(tmp_path: Path) -> None:
    converted = item(tmp_path, "@image{k, organization = {Wikimedia Commons}, medium = {Photograph}}")
    assert converted["type"] == "graphic"
    assert (converted["publisher"], converted["medium"]) == ("Wikimedia Commons", "Photograph")


def test_dates_and_reprints(tmp_path: Path) -> None:
    converted = item(tmp_path, "@book{k, date = {1960}, origdate = {1930}, urldate = {2024-12-18}}")
    assert converted["issued"] == {"date-parts": [[1960]]}
    assert converted["original-date"] == {"date-parts": [[1930]]}
    assert converted["accessed"] == {"date-parts": [[2024, 12, 18]]}


def test_year_and_month_macro(tmp_path: Path) -> None:
    assert item(tmp_path, "@book{k, year = 1941, month = aug}")["issued"] == {
        "date-parts": [[1941, 8]]
    }


def test_no_date_leaves_issued_out(tmp_path: Path) -> None:
    assert "issued" not in item(tmp_path, "@book{k, year = {n.d.}}")


def test_url_is_never_latex_decoded(tmp_path: Path) -> None:
    url = "https://commons.wikimedia.org/wiki/File:%D0%9B.%D0%94._x_y~z.jpg"
    assert item(tmp_path, f"@online{{k, url = {{{url}}}}}")["URL"] == url


def test_url_wrapper_is_unwrapped(tmp_path: Path) -> None:
    assert item(tmp_path, r"@online{k, url = {\url{https://x.org/a_b}}}")["URL"] == (
        "https://x.org/a_b"
    )


def test_doi_prefix_is_stripped(tmp_path: Path) -> None:
    assert item(tmp_path, "@article{k, doi = {https://doi.org/10.1000/X_1}}")["DOI"] == (
        "10.1000/X_1"
    )


def test_howpublished_url(tmp_path: Path) -> None:
    assert item(tmp_path, r"@misc{k, howpublished = {\url{https://x.org}}}")["URL"] == (
        "https://x.org"
    )


def test_eprint_arxiv(tmp_path: Path) -> None:
    converted = item(tmp_path, "@misc{k, eprint = {2101.00001}, eprinttype = {arxiv}}")
    assert converted["URL"] == "https://arxiv.org/abs/2101.00001"


def test_names_by_role(tmp_path: Path) -> None:
    converted = item(
        tmp_path,
        "@book{k, author = {Serge, Victor}, translator = {Pomerans, Arnold J.},"
        " editor = {E, F}, bookauthor = {B, C}}",
    )
    assert converted["author"] == [{"family": "Serge", "given": "Victor"}]
    assert converted["translator"] == [{"family": "Pomerans", "given": "Arnold J."}]
    assert converted["editor"] == [{"family": "E", "given": "F"}]
    assert converted["container-author"] == [{"family": "B", "given": "C"}]


def test_and_others_is_reported(tmp_path: Path) -> None:
    conversion = convert(entry(tmp_path, "@book{k, author = {Dewey, John and others}}"))
    assert conversion.et_al == ("author",)


def test_notes_join(tmp_path: Path) -> None:
    assert item(tmp_path, "@book{k, note = {A}, addendum = {B}}")["note"] == "A. B"


def test_language_from_langid(tmp_path: Path) -> None:
    assert item(tmp_path, "@book{k, langid = {british}}")["language"] == "en-GB"


def test_thesis_default_genre(tmp_path: Path) -> None:
    assert item(tmp_path, "@phdthesis{k, school = {S}}")["genre"] == "PhD thesis"


def test_macros_and_concatenation_are_resolved(tmp_path: Path) -> None:
    converted = item(
        tmp_path,
        '@string{wmc = "Wikimedia Commons"}\n@image{k, organization = {via } # wmc}',
    )
    assert converted["publisher"] == "via Wikimedia Commons"


def test_unknown_fields_are_listed_not_silently_dropped(tmp_path: Path) -> None:
    conversion = convert(entry(tmp_path, "@book{k, title = {T}, frobnicate = {x}}"))
    assert conversion.unmapped == ("frobnicate",)


def test_title_braces_become_nocase_spans(tmp_path: Path) -> None:
    assert item(tmp_path, "@book{k, title = {{Trotsky} in Exile}}")["title"] == (
        '<span class="nocase">Trotsky</span> in exile'
    )


@pytest.mark.parametrize(
    ("written", "printed"),
    [("phdthesis", "PhD thesis"), ("mathesis", "Master’s thesis"), ("TechReport", "technical report"),
     ("Habilitationsschrift", "Habilitationsschrift")],
)
def test_biblatex_type_keys_print_as_words(tmp_path: Path, written: str, printed: str) -> None:
    entry = f"@thesis{{k, title = {{T}}, type = {{{written}}}, institution = {{U}}}}"
    assert item(tmp_path, entry)["genre"] == printed


def test_subtitle_after_a_question_takes_no_colon(tmp_path: Path) -> None:
    # a German entry: its title is printed as written (no sentence case), which keeps the
    # test to the punctuation between title and subtitle
    entry = (
        "@book{k, title = {Why Did Mexico Say Yes?}, subtitle = {Trotsky and After}, "
        "langid = {german}}"
    )
    converted = item(tmp_path, entry)
    assert converted["title"] == "Why Did Mexico Say Yes? Trotsky and After"
    assert converted["title-short"] == "Why Did Mexico Say Yes?"
    plain = item(
        tmp_path,
        "@book{k, title = {Exile}, subtitle = {A Life}, titleaddon = {Notes}, langid = {german}}",
    )
    assert plain["title"] == "Exile: A Life. Notes"

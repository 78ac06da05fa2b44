"""biblatex constructs read as its manual defines them (one test per construct).

Written from biblatex's documentation: the data model (§2.1, §2.2), localisation keys
(§4.9.2), literal lists (§2.2.1), multi-volume works and addons, and from pandoc's reading of
English titles into CSL's sentence case.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from exilebib.bibtex import read_bibtex
from exilebib.cli import main
from exilebib.csl import convert
from exilebib.lint import lint_text
from exilebib.sentencecase import to_sentence_case


def item(text: str, *, sentence_case: bool = True) -> dict[str, Any]:
    library = read_bibtex(Path("x.bib"), text)
    return convert(library.sources[0], sentence_case=sentence_case).item


@pytest.mark.parametrize(
    ("title", "sentence"),
    [
        ("The True Frontier", "The true frontier"),
        ("My Life: An Attempt at an Autobiography", "My life: An attempt at an autobiography"),
        ("Palladium Complexes: efficient Catalysts", "Palladium complexes: Efficient catalysts"),
        ("USSR and the McCarthy Era of the iPod", "USSR and the McCarthy era of the iPod"),
        ("A Twentieth-Century War", "A twentieth-century war"),
        ("Higher-Dimensional Algebra V: 2-Groups", "Higher-dimensional algebra V: 2-groups"),
        ("What I Saw", "What I saw"),
        ('The <span class="nocase">Moscow</span> Trials', 'The <span class="nocase">Moscow</span> trials'),
        ("<i>Italic Words</i> Here", "<i>Italic words</i> here"),
    ],
)
def test_english_titles_are_converted_to_sentence_case(title: str, sentence: str) -> None:
    assert to_sentence_case(title) == sentence


def test_only_english_entries_get_sentence_case_and_the_setting_turns_it_off() -> None:
    assert item("@book{k, title = {Ein Deutscher Titel}, langid = {ngerman}}")["title"] == (
        "Ein Deutscher Titel"
    )
    assert item("@book{k, title = {A Plain Title}, langid = {british}}")["title"] == (
        "A plain title"
    )
    assert item("@book{k, title = {A Plain Title}}", sentence_case=False)["title"] == (
        "A Plain Title"
    )
    # a journal's title is a name, not a title to convert
    article = item("@article{k, title = {On Names}, journaltitle = {Journal of Names}}")
    assert article["container-title"] == "Journal of Names"


def test_title_case_as_written_is_a_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "refs.bib").write_text(
        "@book{k, title = {The Revolution Betrayed}, author = {Trotsky, Leon}, year = {1937}}\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    monkeypatch.chdir(tmp_path)
    config = tmp_path / "exilebib.toml"
    config.write_text('title-case = "as-written"\n', encoding="utf-8")
    written = runner.invoke(main, ["render", "refs.bib", "-s", "harvard", "--group-by", "none"])
    config.write_text('title-case = "sentence"\n', encoding="utf-8")
    sentence = runner.invoke(main, ["render", "refs.bib", "-s", "harvard", "--group-by", "none"])
    config.write_text('title-case = "loud"\n', encoding="utf-8")
    bad = runner.invoke(main, ["render", "refs.bib"])
    assert "The Revolution Betrayed" in written.stdout
    assert "The revolution betrayed" in sentence.stdout
    assert bad.exit_code == 2
    assert "exilebib.toml: title-case = 'loud' must be one of 'sentence', 'as-written'" in bad.stderr


@pytest.mark.parametrize(
    ("field", "written", "variable", "printed"),
    [
        ("type", "patenteu", "genre", "European patent"),
        ("type", "patreqfr", "genre", "French patent request"),
        ("type", "mathesis", "genre", "Master’s thesis"),
        ("type", "resreport", "genre", "research report"),
        ("series", "newseries", "collection-title", "New series"),
        ("series", "3", "collection-title", "3rd series"),
        ("location", "countryfr and countryuk and countryde", "publisher-place",
         "France, United Kingdom and Germany"),
    ],
)  # fmt: skip
def test_localisation_keys_print_their_english_strings(
    field: str, written: str, variable: str, printed: str
) -> None:
    entry = f"@patent{{k, title = {{T}}, author = {{Doe, Jo}}, {field} = {{{written}}}}}"
    assert item(entry)[variable] == printed


def test_a_value_that_is_no_key_is_printed_as_written() -> None:
    assert item("@thesis{k, title = {T}, type = {Habilitationsschrift}}")["genre"] == (
        "Habilitationsschrift"
    )


def test_literal_lists_are_joined_as_biblatex_prints_them() -> None:
    converted = item(
        "@book{k, title = {T}, location = {Durham and London}, "
        "publisher = {Deutscher Taschenbuch-Verlag and {Walter and Gruyter} and Dover}}"
    )
    assert converted["publisher-place"] == "Durham and London"
    assert converted["publisher"] == (
        'Deutscher Taschenbuch-Verlag, <span class="nocase">Walter and Gruyter</span> and Dover'
    )


def test_a_patents_holder_is_not_its_author() -> None:
    patent = item("@patent{k, title = {T}, author = {Doe, Jo}, holder = {{Acme AG}}}")
    assert patent["author"] == [{"family": "Doe", "given": "Jo"}]
    assert item("@patent{k, title = {T}, holder = {{Acme AG}}}")["author"] == [
        {"literal": "Acme AG"}
    ]


def test_a_chapter_of_a_volume_of_a_multivolume_work() -> None:
    chapter = item(
        "@inbook{k, title = {Kritik}, booktitle = {Kritik der Urtheilskraft}, "
        "maintitle = {Werke}, volume = {5}, langid = {german}}"
    )
    assert (chapter["title"], chapter["container-title"], chapter["volume-title"]) == (
        "Kritik", "Werke", "Kritik der Urtheilskraft",
    )  # fmt: skip


def test_addons_follow_their_titles() -> None:
    converted = item(
        "@inproceedings{k, title = {T}, booktitle = {Mind}, booktitleaddon = {Proceedings}, "
        "langid = {german}}"
    )
    assert converted["container-title"] == "Mind. Proceedings"


def test_a_periodical_issue_has_the_journal_as_its_container() -> None:
    issue = item(
        "@periodical{k, title = {Computers and Graphics}, issuetitle = {Semantic {3D} Media}, "
        "volume = {35}, number = {4}, year = {2011}}"
    )
    assert issue["type"] == "article-journal"
    assert issue["container-title"] == "Computers and Graphics"
    assert issue["title"] == 'Semantic <span class="nocase">3D</span> media'


def test_a_collection_does_not_print_its_own_booktitle() -> None:
    collection = item("@collection{k, title = {Space}, booktitle = {Space}, editor = {Doe, Jo}}")
    assert "container-title" not in collection


def test_volume_and_part_print_as_biblatex_prints_them() -> None:
    assert item("@book{k, title = {T}, volume = {7}, part = {2}}")["volume"] == "7.2"


def test_a_report_number_keeps_its_hyphen(tmp_path: Path) -> None:
    # biblatex's number is a literal field; the hyphen is escaped as citeproc-js reads it
    assert item("@report{k, title = {T}, number = {99-02}, type = {techreport}}")["number"] == (
        "99\\-02"
    )
    path = tmp_path / "report.bib"
    path.write_text(
        "@report{r, author = {Doe, Jo}, title = {A Report}, number = {99-02}, "
        "institution = {MIT}, type = {techreport}, year = {1999}}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["render", str(path), "-s", "chicago", "--group-by", "none"])
    assert result.stdout == "Doe, Jo. A Report. Technical Report No. 99-02. MIT, 1999.\n"


@pytest.mark.parametrize("language", ["langid = {ngerman}", "hyphenation = {latin}", "language = {french}"])
def test_title_capitals_is_quiet_on_titles_that_are_not_english(language: str) -> None:
    # German nouns are capitalised; styles change the case of English titles only
    text = (
        "@book{k, author = {Kant, Immanuel}, title = {Kritik der praktischen Vernunft}, "
        f"date = {{1788}}, keywords = {{primary}}, {language}}}\n"
    )
    rules = [d.rule for d in lint_text("x.bib", text).diagnostics]
    assert "title-capitals" not in rules
    english = text.replace(language, "langid = {english}")
    assert "title-capitals" in [d.rule for d in lint_text("x.bib", english).diagnostics]


def test_extended_name_format_is_read_part_by_part() -> None:
    # biblatex manual §3.4: key=value parts; useprefix per name overrides the entry's
    converted = item(
        "@book{k, title = {T}, author = {family=Goethe, given=Johann Wolfgang, prefix=von, "
        "useprefix=false and family={Vries}, prefix={de}, useprefix=true, given=Hugo "
        "and Smith, John}}"
    )
    assert converted["author"] == [
        {"family": "Goethe", "given": "Johann Wolfgang", "dropping-particle": "von"},
        {"family": "Vries", "given": "Hugo", "non-dropping-particle": "de"},
        {"family": "Smith", "given": "John"},
    ]


def test_a_malformed_extended_name_is_located_in_render_and_lint_in_the_same_words(
    tmp_path: Path,
) -> None:
    path = tmp_path / "names.bib"
    path.write_text(
        "@book{k,\n  author = {Doe, Jo},\n  editor = {famly=Goethe, given=J},\n"
        "  title = {T},\n  year = {1808},\n  publisher = {P},\n  keywords = {primary},\n}\n",
        encoding="utf-8",
    )
    message = (
        "entry 'k': editor: the extended name 'famly=Goethe, given=J' has the unknown part "
        "'famly' (biblatex knows family, given, prefix, suffix, useprefix)"
    )
    rendered = CliRunner().invoke(main, ["render", str(path), "--group-by", "none"])
    assert rendered.exit_code == 0
    assert f"{path}:3: warning: {message} [name-format]" in rendered.stderr
    assert "Doe, Jo. T." in rendered.stdout
    linted = CliRunner().invoke(main, ["lint", str(path)])
    assert f"{path}:3:13: warning: {message} [name-format]" in linted.stdout


@pytest.mark.parametrize(
    ("relatedtype", "expected"),
    [
        ("origpubin", {"original-date": {"date-parts": [[1959]]},
                       "original-publisher": "Wiley", "original-publisher-place": "New York"}),
        ("reprintof", {"original-date": {"date-parts": [[1959]]}, "original-title": "Information",
                       "original-publisher": "Wiley", "original-publisher-place": "New York"}),
        ("translationof", {"original-date": {"date-parts": [[1959]]},
                           "original-title": "Information", "original-publisher": "Wiley",
                           "original-publisher-place": "New York"}),
        ("multivolume", {}),
    ],
)  # fmt: skip
def test_a_related_entry_is_the_original_publication(
    tmp_path: Path, relatedtype: str, expected: dict[str, object]
) -> None:
    path = tmp_path / "related.bib"
    path.write_text(
        "@book{orig, author = {Kullback, S.}, title = {Information}, year = {1959}, "
        "publisher = {Wiley}, location = {New York}}\n"
        "@book{reprint, author = {Kullback, S.}, title = {Information}, year = {1997}, "
        f"publisher = {{Dover}}, related = {{orig}}, relatedtype = {{{relatedtype}}}}}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["render", str(path), "-f", "csl-json"])
    reprint = next(i for i in json.loads(result.stdout) if i["id"] == "reprint")
    assert {k: v for k, v in reprint.items() if k.startswith("original")} == expected
    assert reprint["publisher"] == "Dover"


def test_an_unknown_localisation_key_is_located_in_render_and_lint(tmp_path: Path) -> None:
    path = tmp_path / "keys.bib"
    path.write_text(
        "@patent{p,\n  author = {Doe, Jo},\n  title = {Widget},\n  type = {patentxx},\n"
        "  number = {1},\n  date = {2000},\n  keywords = {primary},\n}\n",
        encoding="utf-8",
    )
    message = (
        "entry 'p': type 'patentxx' looks like a biblatex localisation key that exilebib "
        "does not know; it is printed as written"
    )
    rendered = CliRunner().invoke(main, ["render", str(path), "--group-by", "none"])
    assert rendered.exit_code == 0
    assert "Widget" in rendered.stdout
    assert f"{path}:4: warning: {message} [localisation-key]" in rendered.stderr
    linted = CliRunner().invoke(main, ["lint", str(path)])
    assert f"{path}:4:10: warning: {message} [localisation-key]" in linted.stdout


@pytest.mark.parametrize(
    ("authors", "rule", "message"),
    [
        ("Doe, Jo and and Roe, Al", "name-format",
         "author has an empty name (name 2 of 3: a doubled or trailing 'and')"),
        ("others and Doe, Jo", "name-others",
         "'others' is name 1 of 2 in author; it means 'et al.' only at the end"),
        ("Doe, Jo, Jr, X, Y", "name-format",
         "the author name 'Doe, Jo, Jr, X, Y' has 4 commas; a name has at most two (Last, Jr, First)"),
        ("Hoover Institution", "name-corporate",
         "author 'Hoover Institution' looks like an organisation; BibTeX will split it into first and last names"),
    ],
)  # fmt: skip
def test_render_and_lint_report_a_name_problem_in_the_same_words(
    tmp_path: Path, authors: str, rule: str, message: str
) -> None:
    path = tmp_path / "names.bib"
    path.write_text(
        f"@book{{k,\n  author = {{{authors}}},\n  title = {{T}},\n  publisher = {{P}},\n"
        "  year = {2000},\n  keywords = {primary},\n}\n",
        encoding="utf-8",
    )
    rendered = CliRunner().invoke(main, ["render", str(path), "--group-by", "none"])
    assert rendered.exit_code == 0
    assert f"{path}:2: warning: entry 'k': {message} [{rule}]" in rendered.stderr
    linted = CliRunner().invoke(main, ["lint", str(path)])
    assert f"warning: entry 'k': {message} [{rule}]" in linted.stdout


def test_a_chapter_inherits_a_multivolume_work_through_a_crossref_chain(tmp_path: Path) -> None:
    # biblatex's inheritance: @mvbook title → maintitle of the @book, whose title is the
    # @inbook's booktitle; CSL gets the work as container and the volume as volume-title
    path = tmp_path / "chain.bib"
    path.write_text(
        "@mvbook{works, author = {Kant, Immanuel}, title = {Werke}, publisher = {Reimer}, "
        "year = {1908}, langid = {german}}\n"
        "@book{vol5, title = {Kritik der Urtheilskraft}, volume = {5}, crossref = {works}}\n"
        "@inbook{kpv, title = {Kritik der praktischen Vernunft}, pages = {1--163}, "
        "crossref = {vol5}}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["render", str(path), "-f", "csl-json"])
    chapter = next(i for i in json.loads(result.stdout) if i["id"] == "kpv")
    assert (chapter["type"], chapter["title"], chapter["container-title"]) == (
        "chapter", "Kritik der praktischen Vernunft", "Werke",
    )  # fmt: skip
    assert chapter["volume-title"] == "Kritik der Urtheilskraft"
    assert chapter["volume"] == "5"
    assert chapter["publisher"] == "Reimer"

"""exilebib doc: the command line, the Markdown it writes, the formats, the problems."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from exilebib.citekeys import parse_markdown
from exilebib.cli import main
from exilebib.document.locators import locator_labels

REPO = Path(__file__).resolve().parents[2]
SOURCES = REPO / "refs" / "sources.bib"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
LABELS = locator_labels("en-US")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["doc", *args])
    return result.exit_code, result.stdout, result.stderr


def essay(tmp_path: Path, text: str, name: str = "essay.md") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- the citation parser ------------------------------------------------------------------


def test_clusters_carry_prefix_locator_suffix_and_suppressed_author() -> None:
    (cluster,) = parse_markdown("x [see @a, pp. 33-35 and passim; -@b, chap. 2].", "e.md", LABELS)
    first, second = cluster.cites
    assert (first.key, first.prefix, first.suffix) == ("a", "see", " and passim")
    assert first.locator is not None
    assert (first.locator.label, first.locator.value) == ("page", "33-35")
    assert second.suppress_author
    assert second.locator is not None
    assert (second.locator.label, second.locator.value) == ("chapter", "2")
    assert str(cluster.location) == "e.md:1:3"


@pytest.mark.parametrize(
    ("suffix", "label", "value", "rest"),
    [
        (", p. 33", "page", "33", ""),
        (", 33", "page", "33", ""),
        (", pp. 3, 5", "page", "3, 5", ""),
        (", sec. 4", "section", "4", ""),
        (", secs. 4-5", "section", "4-5", ""),
        (", vol. 2", "volume", "2", ""),
        (", vols. 2–3", "volume", "2–3", ""),
        (", fig. 3", "figure", "3", ""),
        (", n. 7", "note", "7", ""),
        (", para. 7", "paragraph", "7", ""),
        (", ¶ 7", "paragraph", "7", ""),
        (", l. 12", "line", "12", ""),
        (", ll. 12-14", "line", "12-14", ""),
        (", col. 3", "column", "3", ""),
        (", chapter 6", "chapter", "6", ""),
        (", Chap. 6", "chapter", "6", ""),
        (", p. xv", "page", "xv", ""),
        (", {pp. iv, vi-xi}", "page", "iv, vi-xi", ""),
        (", {II.3}", "page", "II.3", ""),
        (", 12a", "page", "12a", ""),
        (", §§ 3-4", "section", "3-4", ""),
        (", vols. 1-2", "volume", "1-2", ""),
        (", chap. 3, n. 4", "chapter", "3", ", n. 4"),
        (" xiv", None, None, " xiv"),
        (", 33, emphasis added", "page", "33", ", emphasis added"),
    ],
)
def test_locator_labels_and_plurals_as_pandoc_reads_them(
    suffix: str, label: str | None, value: str | None, rest: str
) -> None:
    (cluster,) = parse_markdown(f"[@key{suffix}]", "e.md", LABELS)
    (cite,) = cluster.cites
    found = (cite.locator.label, cite.locator.value) if cite.locator else (None, None)
    assert (*found, cite.suffix) == (label, value, rest)


def test_a_suffix_without_locator_is_kept_with_its_comma() -> None:
    (cluster,) = parse_markdown("[@key, and elsewhere]", "e.md", LABELS)
    assert cluster.cites[0].locator is None
    assert cluster.cites[0].suffix == ", and elsewhere"


def test_author_in_text_with_locator() -> None:
    (cluster,) = parse_markdown("As @trotsky1960mylife [p. 33] says.", "e.md", LABELS)
    assert cluster.author_in_text
    assert cluster.cites[0].locator is not None
    assert cluster.cites[0].locator.value == "33"
    assert (cluster.start, cluster.end) == (3, 29)


def test_indented_code_is_not_cited_but_indented_list_and_note_paragraphs_are() -> None:
    text = (
        "Para [@a].\n\n    code @b [@c]\n\n    more @d\n\nText @e.\n\n- item [@f]\n\n"
        "    continued [@g]\n\n[^n]: note [@h]\n\n    second paragraph [@i]\n\nEnd [@j]\n"
    )
    keys = [c.cites[0].key for c in parse_markdown(text, "e.md", LABELS)]
    assert keys == ["a", "e", "f", "g", "h", "i", "j"]


def test_a_citation_before_a_colon_is_a_citation_but_a_reference_definition_is_not() -> None:
    text = "See [@a]: the end.\n\n[@b]: https://example.org\n[^n]: a note [@c]\n"
    assert [c.cites[0].key for c in parse_markdown(text, "e.md", LABELS)] == ["a", "c"]


def test_code_escapes_email_and_links_are_not_citations() -> None:
    text = (
        "`@code` and\n\n```\n[@fenced]\n```\n\n\\@escaped mail@example.org "
        "[a link](@target) <!-- @comment -->\n"
    )
    assert parse_markdown(text, "e.md", LABELS) == ()


# -- note styles ---------------------------------------------------------------------------


def test_note_style_makes_numbered_footnotes_after_the_punctuation(tmp_path: Path) -> None:
    path = essay(tmp_path, "One [@trotsky1960mylife, p. 33]. Two [@trotsky1960mylife, p. 40].\n")
    code, out, _err = run(str(path), str(SOURCES), "--style", "chicago")
    assert code == 0
    assert out.startswith("One.[^1] Two.[^2]\n\n# Bibliography\n\n## Primary\n\n")
    assert out.endswith(
        "[^1]: Leon Trotsky, *My Life* (1930; Grosset & Dunlap, 1960), 33.\n"
        "[^2]: Trotsky, *My Life*, 40.\n"
    )


def test_a_citation_in_the_authors_footnote_stays_in_that_footnote(tmp_path: Path) -> None:
    path = essay(
        tmp_path,
        "Text [@service2010trotsky].[^mine] More [@service2010trotsky].\n\n"
        "[^mine]: As [@trotsky1960mylife, p. 3] shows.\n",
    )
    code, out, _err = run(str(path), str(SOURCES), "--style", "chicago")
    assert code == 0
    assert out.startswith("Text.[^1][^mine] More.[^3]\n")
    # in parentheses, without the note's closing period, as pandoc puts it
    assert "[^mine]: As (Leon Trotsky, *My Life* (1930; Grosset & Dunlap, 1960), 3) shows.\n" in out
    assert "[^3]: Service, *Trotsky*.\n" in out


def test_the_essay_keeps_every_byte_outside_its_citations(tmp_path: Path) -> None:
    source = (FIXTURES / "essay.md").read_text(encoding="utf-8")
    code, out, _err = run(str(FIXTURES / "essay.md"), str(SOURCES), "--style", "chicago")
    assert code == 0
    clusters = parse_markdown(source, "essay.md", LABELS)
    # every stretch of the author's text between two citations appears in order
    position = 0
    previous = 0
    for cluster in clusters:
        # the note mark follows the punctuation after a citation, so the piece starts after it
        piece = source[previous : cluster.start].strip(" \n.,;:")
        if piece:
            found = out.find(piece, position)
            assert found >= 0, piece
            position = found + len(piece)
        previous = cluster.end


# -- in-text styles ------------------------------------------------------------------------


def test_in_text_style_replaces_citations_in_place(tmp_path: Path) -> None:
    path = essay(
        tmp_path,
        "As @trotsky1960mylife [p. 33] wrote [see @service2010trotsky, 4; -@sedov1980red].\n",
    )
    code, out, _err = run(str(path), str(SOURCES), "--style", "harvard")
    assert code == 0
    # Cite Them Right sorts the cites of a citation by date
    assert out.startswith("As Trotsky (1960, p. 33) wrote (1980; see Service, 2010, p. 4).\n")


def test_bibliography_entries_equal_what_render_prints(tmp_path: Path) -> None:
    runner = CliRunner()
    essay_path = FIXTURES / "essay.md"
    rendered = runner.invoke(
        main, ["render", str(SOURCES), "--cited", str(essay_path), "-f", "markdown"]
    ).stdout
    code, out, _err = run(str(essay_path), str(SOURCES))
    assert code == 0
    entries = [b for b in rendered.strip().split("\n\n") if not b.startswith("#")]
    tail = out.split("# Bibliography\n", 1)[1]
    for entry in entries:
        assert f"\n{entry}\n" in tail
    # grouped and titled as render does
    assert [line for line in rendered.splitlines() if line.startswith("## ")] == [
        line.replace("## ", "## ", 1) for line in tail.splitlines() if line.startswith("## ")
    ]


def test_bibliography_goes_under_the_essays_heading(tmp_path: Path) -> None:
    path = essay(tmp_path, "# Text\n\nA [@service2010trotsky].\n\n# References\n\n# Appendix\n\nEnd.\n")
    code, out, _err = run(str(path), str(SOURCES), "--style", "harvard", "--group-by", "none")
    assert code == 0
    assert "# References\n\nService, R. (2010) *Trotsky: A biography*. London: Pan Macmillan.\n\n# Appendix\n\nEnd.\n" in out


def test_front_matter_names_sources_style_nocite_and_flags_override(tmp_path: Path) -> None:
    shutil.copy(SOURCES, tmp_path / "refs.bib")
    path = essay(
        tmp_path,
        "---\nbibliography: refs.bib\ncsl: harvard\nnocite: '@sedov1980red'\ntitle: T\n---\n"
        "Text [@service2010trotsky].\n",
    )
    code, out, _err = run(str(path), "--group-by", "none")
    assert code == 0
    assert "Text (Service, 2010).\n" in out
    assert "Sedov, L." in out
    code, out, _err = run(str(path), "--style", "chicago", "--group-by", "none")
    assert "Text.[^1]\n" in out
    everything = essay(tmp_path, "---\nbibliography: refs.bib\nnocite: '@*'\n---\nNo cites.\n", "all.md")
    code, out, _err = run(str(everything), "--group-by", "none")
    assert out.count("\n\n") > 15  # every entry


def test_missing_key_is_located_marked_and_strict_exits_1(tmp_path: Path) -> None:
    path = essay(tmp_path, "Intro.\nA [@nosuch] b.\n")
    code, out, err = run(str(path), str(SOURCES), "--style", "harvard")
    assert code == 0
    assert "A (**nosuch?**) b." in out  # inside the layout's parentheses, as pandoc
    assert f"{path}:2:5: warning: 'nosuch' is cited but no entry has that key" in err
    code, _out, _err = run(str(path), str(SOURCES), "--style", "harvard", "--strict")
    assert code == 1


def test_unreadable_essay_or_sources_is_exit_2_and_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    code, _out, err = run(str(tmp_path / "absent.md"), str(SOURCES), "-o", str(target))
    assert code == 2
    assert err.count("\n") == 1
    assert "absent.md: no such file" in err
    assert not target.exists()
    path = essay(tmp_path, "A [@x].\n")
    code, _out, err = run(str(path), str(tmp_path / "absent.bib"), "-o", str(target))
    assert code == 2
    assert err.count("\n") == 1
    assert not target.exists()


# -- formats -------------------------------------------------------------------------------


def test_html_is_a_standalone_page_with_linked_notes_and_hanging_entries(tmp_path: Path) -> None:
    target = tmp_path / "essay.html"
    code, _out, _err = run(str(FIXTURES / "essay.md"), str(SOURCES), "-o", str(target))
    assert code == 0
    page = target.read_text(encoding="utf-8")
    assert page.startswith('<!DOCTYPE html>\n<html lang="en-US">\n<head>\n<meta charset="utf-8">')
    assert "<title>Whatever Happened to Leon Trotsky? His Last Exile, 1929–1940</title>" in page
    assert '<a href="#fn1" id="fnref1">' in page
    assert '<li id="fn1" class="footnote-item">' in page
    assert '<p class="csl-entry">' in page
    assert "text-indent: -2em" in page


def test_docx_has_real_footnotes_headings_italics_links_and_hanging_indent(tmp_path: Path) -> None:
    target = tmp_path / "essay.docx"
    code, _out, _err = run(str(FIXTURES / "essay.md"), str(SOURCES), "-o", str(target))
    assert code == 0
    document = docx.Document(str(target))
    styles = [p.style.name for p in document.paragraphs if p.style is not None]
    assert styles[0] == "Title"
    assert "Heading 1" in styles
    assert "Heading 2" in styles
    assert any(run.italic and run.text == "History" for p in document.paragraphs for run in p.runs)
    entries = [p for p in document.paragraphs if p.paragraph_format.first_line_indent is not None]
    assert entries
    assert all(p.paragraph_format.first_line_indent < 0 for p in entries)
    with zipfile.ZipFile(target) as archive:
        body = archive.read("word/document.xml").decode()
        notes = archive.read("word/footnotes.xml").decode()
        rels = archive.read("word/_rels/document.xml.rels").decode()
        types = archive.read("[Content_Types].xml").decode()
        note_rels = archive.read("word/_rels/footnotes.xml.rels").decode()
        settings = archive.read("word/settings.xml").decode()
    # Word's schema orders the settings: the separators' footnotePr before compat
    assert -1 < settings.index("<w:footnotePr>") < settings.index("<w:compat")
    references = re.findall(r'<w:footnoteReference w:id="(\d+)"/>', body)
    assert references == [str(n) for n in range(1, len(references) + 1)]
    assert len(references) == 20  # 19 citation notes and the author's own
    for number in references:
        assert f'<w:footnote w:id="{number}">' in notes
    assert "Leon Trotsky, </w:t>" in notes or "Leon Trotsky, " in notes
    assert "relationships/footnotes" in rels
    assert "footnotes+xml" in types
    assert "<w:hyperlink" in notes
    assert "TargetMode=\"External\"" in note_rels


def test_docx_footnote_numbers_are_superscript_through_words_footnote_styles(
    tmp_path: Path,
) -> None:
    # LibreOffice ignores a footnoteRef run's own superscript: without Word's footnote
    # styles it printed the notes' numbers full size at the foot of the page
    target = tmp_path / "essay.docx"
    code, _out, _err = run(str(FIXTURES / "essay.md"), str(SOURCES), "-o", str(target))
    assert code == 0
    with zipfile.ZipFile(target) as archive:
        body = archive.read("word/document.xml").decode()
        notes = archive.read("word/footnotes.xml").decode()
        styles = archive.read("word/styles.xml").decode()
    reference = re.search(r'<w:style [^>]*w:styleId="FootnoteReference".*?</w:style>', styles)
    assert reference is not None
    assert 'w:type="character"' in reference.group()
    assert '<w:vertAlign w:val="superscript"/>' in reference.group()
    text_style = re.search(r'<w:style [^>]*w:styleId="FootnoteText".*?</w:style>', styles)
    assert text_style is not None
    assert '<w:sz w:val="20"/>' in text_style.group()
    marks = re.findall(r'<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/>.*?</w:r>', body)
    assert len(marks) == body.count("<w:footnoteReference ") == 20
    own = re.findall(r'<w:footnote w:id="\d+">(.*?)</w:footnote>', notes)
    assert len(own) == 20
    for note in own:
        assert note.startswith('<w:p><w:pPr><w:pStyle w:val="FootnoteText"/>')
        assert '<w:rStyle w:val="FootnoteReference"/>' in note.split("<w:footnoteRef/>")[0]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize("suffix", [".docx", ".rtf"])
def test_libreoffice_opens_the_document_with_its_notes(tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"essay{suffix}"
    run(str(FIXTURES / "essay.md"), str(SOURCES), "-o", str(target))
    done = subprocess.run(
        ["soffice", "--headless", "--convert-to", "html", "--outdir", str(tmp_path),
         str(target)],
        capture_output=True, text=True, timeout=300, check=False,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "essay.html").read_text(encoding="utf-8", errors="replace")
    assert "Whatever Happened to Leon Trotsky?" in page
    # LibreOffice read 20 footnotes (its HTML marks each as sdfootnoteNsym), and a note's
    # text, which only the footnotes hold (the bibliography has no locator)
    assert len(set(re.findall(r"sdfootnote(\d+)sym", page))) == 20
    assert "562" in page


def test_rtf_has_real_footnote_groups(tmp_path: Path) -> None:
    target = tmp_path / "essay.rtf"
    code, _out, _err = run(str(FIXTURES / "essay.md"), str(SOURCES), "-o", str(target))
    assert code == 0
    rtf = target.read_text(encoding="ascii")
    assert rtf.startswith("{\\rtf1")
    assert rtf.rstrip().endswith("}")
    assert rtf.count("{\\footnote") == 20
    assert rtf.count("{") == rtf.count("}") + rtf.count("\\{") - rtf.count("\\}")
    assert "\\fi-720\\li720" in rtf
    assert 'HYPERLINK "https://' in rtf


def test_format_follows_the_output_suffix_else_markdown_on_stdout(tmp_path: Path) -> None:
    path = essay(tmp_path, "A [@service2010trotsky].\n")
    code, out, _err = run(str(path), str(SOURCES))
    assert code == 0
    assert out.startswith("A.[^1]")
    code, _out, err = run(str(path), str(SOURCES), "-f", "docx")
    assert code == 2
    assert "-o" in err


def test_bad_front_matter_is_exit_2_with_its_line(tmp_path: Path) -> None:
    path = essay(tmp_path, "---\ntitle: [unclosed\n---\nText.\n")
    code, _out, err = run(str(path), str(SOURCES))
    assert code == 2
    assert err.startswith(f"exilebib: error: {path}:")
    assert "front matter" in err
    assert err.count("\n") == 1


def test_all_lists_every_entry_and_the_cited_ones_only_without_it(tmp_path: Path) -> None:
    path = essay(tmp_path, "A [@service2010trotsky].\n")
    _code, cited, _err = run(str(path), str(SOURCES), "--group-by", "none")
    _code, everything, _err = run(str(path), str(SOURCES), "--group-by", "none", "--all")
    bibliography = cited.split("# Bibliography\n\n", 1)[1].split("\n\n[^1]")[0]
    assert bibliography.strip().count("\n\n") == 0  # one entry
    assert everything.count("Wikimedia Commons") >= 6


def test_author_only_cite_prints_the_names_alone() -> None:
    from exilebib.engine import CiteCluster, CiteRequest
    from exilebib.render import engine_for, to_items
    from exilebib.sources import load_library, rendered_sources
    from exilebib.styles import resolve_style

    items, _notes = to_items(rendered_sources(load_library(SOURCES)))
    for name, expected in (("harvard", "Trotsky"), ("chicago", "Leon Trotsky")):
        style = resolve_style(name)
        cluster = CiteCluster((CiteRequest("trotsky1960mylife", author_only=True),), 1)
        assert engine_for(style.path, style.locale).citations(items, [cluster], "html") == [
            expected
        ]


def test_cited_keys_of_render_ignore_the_front_matter_and_code(tmp_path: Path) -> None:
    path = essay(tmp_path, "---\ntitle: '@sedov1980red'\n---\n`@serge1975life` [@service2010trotsky]\n")
    result = CliRunner().invoke(
        main, ["render", str(SOURCES), "--cited", str(path), "--group-by", "none"]
    )
    assert result.exit_code == 0
    assert result.stdout.startswith("Service, Robert.")
    assert result.stdout.count("\n") == 1


def test_ibid_after_ibid_and_ibid_with_a_new_locator(tmp_path: Path) -> None:
    path = essay(
        tmp_path,
        "A [@deutscher1963prophet, p. 10]. B [@deutscher1963prophet, p. 10]. "
        "C [@deutscher1963prophet, p. 10]. D [@deutscher1963prophet, p. 11].\n",
    )
    code, out, _err = run(
        str(path), str(SOURCES), "--style", "chicago-notes-bibliography-16th-edition"
    )
    assert code == 0
    assert out.endswith("[^2]: Ibid.\n[^3]: Ibid.\n[^4]: Ibid., 11.\n")


def test_an_essay_with_crlf_line_ends_keeps_them_and_its_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "windows.md"
    path.write_bytes(b"---\r\ntitle: Windows\r\n---\r\n# Part\r\n\r\nText [@sedov1980red].\r\n")
    target = tmp_path / "windows.out.md"
    code, _out, _err = run(str(path), str(SOURCES), "-o", str(target))
    assert code == 0
    data = target.read_bytes()
    assert data.startswith(b"---\r\ntitle: Windows\r\n---\r\n# Part\r\n\r\nText.[^1]\r\n")
    assert data.count(b"\n") == data.count(b"\r\n")
    page = tmp_path / "windows.html"
    run(str(path), str(SOURCES), "-o", str(page))
    assert "<title>Windows</title>" in page.read_text(encoding="utf-8")


def test_a_note_opened_by_the_authors_prefix_starts_with_a_capital(tmp_path: Path) -> None:
    path = essay(tmp_path, "A [see @service2010trotsky, 4]. B [@service2010trotsky, 5].\n")
    code, out, _err = run(str(path), str(SOURCES), "--style", "chicago")
    assert code == 0
    assert "[^1]: See Robert Service, *Trotsky: A Biography* (Pan Macmillan, 2010), 4.\n" in out


def test_a_note_citation_at_a_line_start_joins_the_line_before_but_not_a_paragraph(
    tmp_path: Path,
) -> None:
    path = essay(tmp_path, "One.\n\n[@sedov1980red] starts two.\nline\n[@sedov1980red] ends.\n")
    code, out, _err = run(str(path), str(SOURCES), "--style", "chicago")
    assert code == 0
    assert out.startswith("One.\n\n[^1] starts two.\nline[^2] ends.\n")


def test_a_references_heading_with_pandoc_attributes_takes_the_bibliography(
    tmp_path: Path,
) -> None:
    path = essay(tmp_path, "# Text\n\nA [@sedov1980red].\n\n# References {#refs .unnumbered}\n")
    code, out, _err = run(str(path), str(SOURCES), "--style", "harvard", "--group-by", "none")
    assert code == 0
    assert out.endswith("# References {#refs .unnumbered}\n\nSedov, L. (1980)" + out.split("Sedov, L. (1980)", 1)[1])
    assert out.count("# References") == 1
    page = tmp_path / "out.html"
    run(str(path), str(SOURCES), "--style", "harvard", "-o", str(page))
    assert "<h1>References</h1>" in page.read_text(encoding="utf-8")


def test_the_front_matter_may_name_several_bibliographies(tmp_path: Path) -> None:
    shutil.copy(SOURCES, tmp_path / "refs.bib")
    (tmp_path / "more.bib").write_text(
        "@book{extra2020,\n  author = {Writer, Ann},\n  title = {Another Book},\n"
        "  publisher = {Press},\n  year = {2020},\n}\n",
        encoding="utf-8",
    )
    path = essay(
        tmp_path,
        "---\nbibliography:\n  - refs.bib\n  - more.bib\n---\nA [@sedov1980red; @extra2020].\n",
    )
    code, out, err = run(str(path), "--style", "harvard", "--group-by", "none")
    assert code == 0, err
    assert "A (Sedov, 1980; Writer, 2020).\n" in out
    assert "Writer, A. (2020) *Another book*. Press.\n" in out


def test_the_essay_is_never_overwritten_by_its_own_output(tmp_path: Path) -> None:
    path = essay(tmp_path, "A [@sedov1980red].\n")
    code, _out, err = run(str(path), str(SOURCES), "-o", str(path))
    assert code == 2
    assert "is the essay itself" in err
    assert path.read_text(encoding="utf-8") == "A [@sedov1980red].\n"


def test_lists_quotes_code_and_tables_reach_every_format(tmp_path: Path) -> None:
    path = essay(
        tmp_path,
        "> A quote [@sedov1980red, 4].\n\n- one [@serge1975life]\n\n```\ncode @notcited\n```\n\n"
        "| a | b |\n|---|---|\n| cell | x |\n",
    )
    page = tmp_path / "out.html"
    assert run(str(path), str(SOURCES), "-o", str(page))[0] == 0
    html_text = page.read_text(encoding="utf-8")
    assert "<blockquote>" in html_text
    assert "<table>" in html_text
    assert "code @notcited" in html_text
    target = tmp_path / "out.docx"
    assert run(str(path), str(SOURCES), "-o", str(target))[0] == 0
    paragraphs = [(p.style.name if p.style else "", p.text) for p in docx.Document(str(target)).paragraphs]
    assert ("Quote", "A quote.") in paragraphs
    assert ("List Bullet", "one") in paragraphs
    assert ("Normal", "a\tb") in paragraphs
    assert ("Normal", "code @notcited") in paragraphs
    rtf_file = tmp_path / "out.rtf"
    assert run(str(path), str(SOURCES), "-o", str(rtf_file))[0] == 0
    assert "cell\\tab x" in rtf_file.read_text(encoding="ascii")

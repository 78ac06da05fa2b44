"""exilebib doc against hostile input: YAML bombs and wrong types in the front matter,
``-o`` naming an input, links around citations. Every case is one error line and exit 2
(never a traceback), and nothing is written where it must not be."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from exilebib.citekeys import bracket_pairs, parse_markdown
from exilebib.cli import main
from exilebib.styles import resolve_style

REPO = Path(__file__).resolve().parents[2]
SOURCES = REPO / "refs" / "sources.bib"
CITED = "Text [@trotsky1960mylife].\n"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["doc", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def essay(tmp_path: Path, text: str, name: str = "essay.md") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _one_error(code: int, err: str) -> None:
    assert code == 2
    assert err.startswith("exilebib: error: ")
    assert err.count("\n") == 1
    assert "Traceback" not in err


# -- the front matter -------------------------------------------------------------------


def _billion_laughs(depth: int) -> str:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, depth):
        aliases = ", ".join([f"*l{level - 1}"] * 9)
        lines.append(f"l{level}: &l{level} [{aliases}]")
    return "---\n" + "\n".join(lines) + f"\nbibliography: *l{depth - 1}\n---\n" + CITED


def test_a_yaml_alias_bomb_in_the_front_matter_is_refused_unexpanded(tmp_path: Path) -> None:
    # 9**9 (387 million) strings once expanded: a safe loader alone would exhaust memory
    path = essay(tmp_path, _billion_laughs(9))
    output = tmp_path / "out.md"
    code, _out, err = run(str(path), str(SOURCES), "-o", str(output))
    _one_error(code, err)
    assert "front matter expands to more than" in err
    assert not output.exists()


def test_a_front_matter_alias_inside_its_own_anchor_is_refused(tmp_path: Path) -> None:
    path = essay(tmp_path, "---\na: &a [1, *a]\n---\n" + CITED)
    code, _out, err = run(str(path), str(SOURCES))
    _one_error(code, err)
    assert "refers to itself" in err


def test_front_matter_aliases_of_a_modest_size_are_read(tmp_path: Path) -> None:
    path = essay(tmp_path, "---\nfiles: &f [refs.bib]\nbibliography: *f\n---\n" + CITED)
    shutil.copy(SOURCES, tmp_path / "refs.bib")
    code, out, _err = run(str(path))
    assert code == 0
    assert "[^1]: Leon Trotsky, *My Life*" in out


def test_deeply_nested_front_matter_is_one_error(tmp_path: Path) -> None:
    path = essay(tmp_path, "---\nx: " + "[" * 20000 + "]" * 20000 + "\n---\n" + CITED)
    code, _out, err = run(str(path), str(SOURCES))
    _one_error(code, err)
    assert "front matter" in err


def test_python_tags_in_the_front_matter_are_not_constructed(tmp_path: Path) -> None:
    path = essay(tmp_path, "---\nx: !!python/object/apply:os.system [echo hacked]\n---\n" + CITED)
    code, _out, err = run(str(path), str(SOURCES))
    _one_error(code, err)
    assert "not valid YAML" in err


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("bibliography", "5"),
        ("bibliography", "{a: 1}"),
        ("bibliography", "[refs.bib, [nested]]"),
        ("lang", "[en-US]"),
        ("csl", "{a: b}"),
        ("nocite", "{a: b}"),
        ("title", "{a: b}"),
    ],
)
def test_a_front_matter_field_of_the_wrong_type_names_the_field_and_line(
    tmp_path: Path, field: str, value: str
) -> None:
    path = essay(tmp_path, f"---\nauthor: A\n{field}: {value}\n---\n" + CITED)
    code, _out, err = run(str(path), str(SOURCES))
    _one_error(code, err)
    assert err.startswith(f"exilebib: error: {path}:3: front matter {field}: expected")


def test_numbers_in_nocite_cite_nothing(tmp_path: Path) -> None:
    path = essay(tmp_path, "---\nnocite: [1, 2]\n---\n" + CITED)
    code, out, _err = run(str(path), str(SOURCES))
    assert code == 0
    assert "[^1]:" in out


@pytest.mark.parametrize("csl", ["/etc/passwd", "/tmp", "no-such-style-at-all"])
def test_a_bad_csl_in_the_front_matter_is_the_essays_error_not_the_flags(
    tmp_path: Path, csl: str
) -> None:
    path = essay(tmp_path, f"---\ncsl: {csl}\n---\n" + CITED)
    code, _out, err = run(str(path), str(SOURCES))
    _one_error(code, err)
    assert err.startswith(f"exilebib: error: {path}: front matter csl: ")
    assert "--style" not in err.split(":", 4)[3]


def test_a_bad_lang_in_the_front_matter_is_the_essays_error(tmp_path: Path) -> None:
    path = essay(tmp_path, "---\nlang: xx-NOPE\n---\n" + CITED)
    code, _out, err = run(str(path), str(SOURCES))
    _one_error(code, err)
    assert err.startswith(f"exilebib: error: {path}: front matter lang: ")


# -- -o never overwrites an input -------------------------------------------------------


def test_output_naming_the_sources_file_is_refused_and_it_stays_intact(tmp_path: Path) -> None:
    sources = tmp_path / "refs.bib"
    shutil.copy(SOURCES, sources)
    path = essay(tmp_path, CITED)
    code, _out, err = run(str(path), str(sources), "-o", str(sources))
    _one_error(code, err)
    assert "is an input" in err
    assert sources.read_bytes() == SOURCES.read_bytes()


def test_output_naming_a_front_matter_bibliography_or_csl_is_refused(tmp_path: Path) -> None:
    sources = tmp_path / "refs.bib"
    shutil.copy(SOURCES, sources)
    style = tmp_path / "my.csl"
    shutil.copy(resolve_style("chicago").path, style)
    path = essay(tmp_path, "---\nbibliography: refs.bib\ncsl: my.csl\n---\n" + CITED)
    for target in (sources, style):
        before = target.read_bytes()
        code, _out, err = run(str(path), "-o", str(target))
        _one_error(code, err)
        assert target.read_bytes() == before


def test_output_naming_the_essay_through_another_path_is_refused(tmp_path: Path) -> None:
    path = essay(tmp_path, CITED)
    (tmp_path / "sub").mkdir()
    code, _out, err = run(str(path), str(SOURCES), "-o", str(tmp_path / "sub" / ".." / path.name))
    _one_error(code, err)
    assert path.read_text(encoding="utf-8") == CITED


# -- links and citations ----------------------------------------------------------------


def test_a_citation_inside_a_links_text_leaves_the_link_whole(tmp_path: Path) -> None:
    path = essay(tmp_path, "See [the book [@trotsky1960mylife]](https://example.org/b) now.\n")
    code, out, _err = run(str(path), str(SOURCES))
    assert code == 0
    assert out.startswith("See [the book[^1]](https://example.org/b) now.\n")


def test_a_citation_before_a_link_with_a_title_stays_a_citation(tmp_path: Path) -> None:
    path = essay(tmp_path, '[a link](https://example.org "T") and [@trotsky1960mylife].\n')
    code, out, _err = run(str(path), str(SOURCES))
    assert code == 0
    assert out.startswith('[a link](https://example.org "T") and.[^1]\n')


# -- keys with no entry, as pandoc shows them --------------------------------------------

MISSING = (
    "A [@trotsky1960mylife; @nokey].\n\nB [@nokey; @trotsky1958diary, p. 3].\n\n"
    "C [see @nokey, p. 3].\n\nE @nokey [p. 3] says.\n"
)


def test_a_missing_key_stands_inside_an_in_text_citation_as_pandoc_shows_it(
    tmp_path: Path,
) -> None:
    # pandoc: "(Trotsky 1960; **nokey?**)"; harvard sorts its cites, so the mark goes last
    path = essay(tmp_path, MISSING)
    code, out, _err = run(str(path), str(SOURCES), "--style", "harvard")
    assert code == 0
    assert "A (Trotsky, 1960; **nokey?**).\n" in out
    assert "B (Trotsky, 1958, p. 3; **nokey?**).\n" in out
    assert "C (see **nokey?**).\n" in out
    assert "E (**nokey?**) says.\n" in out
    code, out, _err = run(str(path), str(SOURCES), "--style", "chicago-author-date")
    assert "B (**nokey?**; Trotsky 1958, 3).\n" in out  # no sort: where the author put it


def test_a_missing_key_in_a_note_keeps_the_authors_prefix_and_opens_capitalised(
    tmp_path: Path,
) -> None:
    path = essay(tmp_path, MISSING)
    code, out, _err = run(str(path), str(SOURCES), "--style", "chicago")
    assert code == 0
    assert "[^1]: Leon Trotsky, *My Life* (1930; Grosset & Dunlap, 1960); **nokey?**.\n" in out
    assert "[^2]: **Nokey?**; Leon Trotsky, *Trotsky’s Diary in Exile, 1935*" in out
    assert "[^3]: See **nokey?**.\n" in out


def test_no_new_bibliography_heading_when_nothing_cited_has_an_entry(tmp_path: Path) -> None:
    path = essay(tmp_path, "Only [@nokey].\n")
    code, out, _err = run(str(path), str(SOURCES), "--style", "harvard")
    assert code == 0
    assert out == "Only (**nokey?**).\n"


def test_an_author_in_text_cite_inside_the_authors_note_drops_the_notes_period(
    tmp_path: Path,
) -> None:
    # pandoc: "citing Trotsky, *My Life*, 9 and (Sedov, ...)": no "9." mid-sentence
    path = essay(tmp_path, "Text^[Citing @trotsky1960mylife [p. 9] and [@sedov1980red, p. 2].] done.\n")
    code, out, _err = run(str(path), str(SOURCES), "--style", "chicago")
    assert code == 0
    assert "^[Citing Leon Trotsky, *My Life* (1930; Grosset & Dunlap, 1960), 9 and (Leon Sedov" in out


# -- characters a Word document cannot hold ---------------------------------------------


@pytest.mark.parametrize("suffix", [".docx", ".rtf", ".html"])
def test_control_characters_in_the_essay_reach_word_and_rtf_as_replacement_marks(
    tmp_path: Path, suffix: str
) -> None:
    # NUL and other C0 controls made python-docx raise ("internal error") on a DOCX
    path = essay(tmp_path, "---\ntitle: \"A\\x01B\"\n---\n# Head\x00ing\n\nT\x00e\x0bxt [@trotsky1960mylife].\n")
    target = tmp_path / f"out{suffix}"
    code, _out, err = run(str(path), str(SOURCES), "-o", str(target))
    assert code == 0, err
    if suffix == ".docx":
        import docx

        document = docx.Document(str(target))
        texts = [p.text for p in document.paragraphs]
        assert texts[0] == "A\ufffdB"
        assert "Head\ufffding" in texts
        assert any(t.startswith("T\ufffde\ufffdxt") for t in texts)
    else:
        data = target.read_text(encoding="utf-8")
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", data)


def test_a_footnote_that_refers_to_itself_ends_in_rtf(tmp_path: Path) -> None:
    # RTF footnotes were written recursively: a note whose text marks itself recursed
    # without end ("internal error: RecursionError")
    path = essay(tmp_path, "Text.[^1]\n\n[^1]: A note marking itself[^1] and another.[^2]\n\n"
                           "[^2]: Second [@trotsky1960mylife].\n")
    target = tmp_path / "out.rtf"
    code, _out, err = run(str(path), str(SOURCES), "--style", "harvard", "-o", str(target))
    assert code == 0, err
    rtf = target.read_text(encoding="ascii")
    assert rtf.count("{\\footnote") == 1
    assert "itself{\\super 1} and another.{\\super 2}" in rtf


def test_a_note_mark_inside_a_note_is_superscript_text_in_docx(tmp_path: Path) -> None:
    # Word allows no footnote reference inside a footnote
    path = essay(tmp_path, "Text.[^1]\n\n[^1]: A note marking itself[^1] here.\n")
    target = tmp_path / "out.docx"
    code, _out, err = run(str(path), str(SOURCES), "--style", "harvard", "-o", str(target))
    assert code == 0, err
    import zipfile

    with zipfile.ZipFile(target) as archive:
        notes = archive.read("word/footnotes.xml").decode()
    assert "<w:footnoteReference" not in notes
    assert "<w:t>1</w:t>" in notes


# -- what the masking reads as code, comments and links (now found in one pass) ----------


def _keys(text: str) -> list[str]:
    return [cite.key for cluster in parse_markdown(text) for cite in cluster.cites]


def test_a_fence_closes_only_with_a_fence_at_least_as_long() -> None:
    assert _keys("`````\n```\n[@inside]\n`````\n[@after]\n") == ["after"]
    assert _keys("~~~\n[@inside]\n```\n[@still]\n~~~~\n[@after]\n") == ["after"]


def test_an_unclosed_fence_is_text_as_pandoc_reads_it() -> None:
    assert _keys("````\n[@a]\n```\n[@b]\n") == ["a", "b"]


def test_a_code_span_closes_only_with_a_backtick_run_as_long() -> None:
    assert _keys("`` a ` [@inside] `` [@after]") == ["after"]
    assert _keys("` unclosed [@a] `` [@b]") == ["a", "b"]


def test_an_unclosed_html_comment_hides_nothing() -> None:
    assert _keys("<!-- [@hidden] --> [@a] <!-- [@b]") == ["a", "b"]


def test_a_run_of_link_openers_is_not_a_link_destination() -> None:
    assert _keys("](" * 2000 + " [@a]") == ["a"]
    assert _keys("[text](http://example.org/@x) [@a]") == ["a"]


def test_thousands_of_author_notes_each_citing_keep_their_numbers(tmp_path: Path) -> None:
    # the placement of the bibliography and the notes' containers were quadratic in the
    # number of notes (13 s for 3,000); bench/doc/hostile.py measures the speed
    count = 400
    body = " ".join(f"Claim {i}.[^n{i}]" for i in range(count))
    notes = "\n".join(f"[^n{i}]: Note {i} [@trotsky1960mylife, p. {i + 1}]." for i in range(count))
    path = essay(tmp_path, f"# Essay\n\n{body}\n\n{notes}\n")
    code, out, _err = run(str(path), str(SOURCES), "--style", "harvard")
    assert code == 0
    # the bibliography goes before the definitions that end the essay
    assert out.index("# References") < out.index("[^n0]: Note 0 (Trotsky, 1960, p. 1).")
    assert out.endswith(f"[^n{count - 1}]: Note {count - 1} (Trotsky, 1960, p. {count}).\n")


def test_bracket_pairs_nest_escape_and_stop_at_blank_lines() -> None:
    assert bracket_pairs("[a [b] \\] c]") == {3: 5, 0: 11}
    assert bracket_pairs("[open\n\n] [x]") == {9: 11}


def test_a_hash_line_under_a_paragraphs_line_is_no_heading_as_pandoc_reads_it(
    tmp_path: Path,
) -> None:
    # pandoc needs a blank line (or a heading) before a heading: "text\n# References" is
    # one paragraph, so the bibliography gets its own heading at the end
    path = essay(tmp_path, "# Essay\n# Part\n\nText [@trotsky1960mylife]\n# References\n")
    code, out, _err = run(str(path), str(SOURCES), "--style", "harvard", "--group-by", "none")
    assert code == 0
    assert out == (
        "# Essay\n# Part\n\nText (Trotsky, 1960)\n# References\n\n# References\n\n"
        "Trotsky, L. (1960) *My life*. New York: Grosset & Dunlap.\n"
    )

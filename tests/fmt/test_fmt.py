"""``exilebib fmt``: the layout it writes, what it keeps, when it refuses, how it writes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from exilebib.bibtex import read_bibtex
from exilebib.cli import main
from exilebib.fmt import FmtSettings, format_bibtex
from exilebib.lint import READER_RULES, lint_text

FIXTURES = Path(__file__).parent / "fixtures"
LINT_FIXTURES = Path(__file__).parents[1] / "lint" / "fixtures"


def run(runner: CliRunner, *args: str | Path, stdin: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(main, [str(arg) for arg in args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_the_essays_sources_are_already_formatted(runner: CliRunner, essay_bib: Path) -> None:
    assert run(runner, "fmt", "--check", essay_bib) == (0, "", "")
    code, out, _ = run(runner, "fmt", essay_bib)
    assert (code, out) == (0, essay_bib.read_text(encoding="utf-8"))


def test_a_messy_file_gets_the_house_layout(runner: CliRunner) -> None:
    code, out, _ = run(runner, "fmt", FIXTURES / "messy.bib")
    assert code == 0
    assert out == (FIXTURES / "messy.formatted.bib").read_text(encoding="utf-8")


def test_sorting_field_order_indent_and_alignment(runner: CliRunner) -> None:
    code, out, _ = run(
        runner, "fmt", "--sort", "--field-order", "url,author", "--no-align", "--indent", "tab",
        FIXTURES / "messy.bib",
    )  # fmt: skip
    assert code == 0
    assert out == (FIXTURES / "messy.sorted.bib").read_text(encoding="utf-8")


@pytest.mark.parametrize("sort", [False, True])
def test_formatting_is_idempotent(sort: bool) -> None:
    settings = FmtSettings(sort=sort, field_order=("title",))
    once = format_bibtex((FIXTURES / "messy.bib").read_text(encoding="utf-8"), settings).text
    assert once is not None
    assert format_bibtex(once, settings).text == once


def test_nothing_is_lost(tmp_path: Path) -> None:
    source = FIXTURES / "messy.bib"
    text = source.read_text(encoding="utf-8")
    formatted = format_bibtex(text).text
    assert formatted is not None
    (tmp_path / "out.bib").write_text(formatted, encoding="utf-8")
    before, after = read_bibtex(source), read_bibtex(tmp_path / "out.bib")
    assert [(s.key, s.entry_type, [(f.name, f.value) for f in s.fields]) for s in before] == [
        (s.key, s.entry_type, [(f.name, f.value) for f in s.fields]) for s in after
    ]
    assert before.strings == after.strings
    # Macros stay macros, URLs stay byte for byte, comments and @comment/@preamble stay.
    for kept in (
        "author = {x {\\\"o} y} # wmc",
        "{https://x.org/a_b%20c~d#frag}",
        "month = aug",
        "% head comment",
        "% about k2",
        "} % trailing note",
        "junk text here",
        '@preamble{"\\newcommand{\\x}{y}"}',
        "@comment{ a comment }",
        "@string{x = wmc # { and } # {y}}",
    ):
        assert kept in formatted


def test_check_reports_an_unformatted_file(runner: CliRunner) -> None:
    code, out, err = run(runner, "fmt", "--check", FIXTURES / "messy.bib")
    assert (code, out) == (1, "")
    assert err == f"would reformat {FIXTURES / 'messy.bib'}\n"


def test_check_diff(runner: CliRunner) -> None:
    code, out, _ = run(runner, "fmt", "--check", "--diff", FIXTURES / "messy.bib")
    assert code == 1
    assert "+  title  = {A {B} c}," in out.splitlines()


def test_in_place_rewrites_then_check_passes(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "refs.bib"
    shutil.copy(FIXTURES / "messy.bib", target)
    target.chmod(0o640)
    code, _, err = run(runner, "fmt", "-i", target)
    assert (code, err) == (0, f"reformatted {target}\n")
    assert target.read_text(encoding="utf-8") == (FIXTURES / "messy.formatted.bib").read_text(
        encoding="utf-8"
    )
    assert target.stat().st_mode & 0o777 == 0o640
    assert run(runner, "fmt", "--check", target) == (0, "", "")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["refs.bib"]


@pytest.mark.parametrize(
    ("fixture", "first"),
    [
        ("missing-comma", "missing-comma.bib:4:3: error: entry 'comma1': no comma"),
        ("syntax-error", "syntax-error.bib:3:3: error: entry 'broken1' does not parse"),
        ("unbalanced-braces", "unbalanced-braces.bib:3:14: error: entry 'brace1' does not parse"),
        ("duplicate-field", "duplicate-field.bib:5:3: error: entry 'twice' has the field"),
        # `@book{title = {x}}` means something else to BibTeX than `@book{, title = {x}}`.
        ("empty-key", "empty-key.bib:1:7: error: the @book entry at line 1 has no key"),
    ],
)
def test_a_file_that_does_not_parse_whole_is_never_rewritten(
    runner: CliRunner, tmp_path: Path, fixture: str, first: str
) -> None:
    target = tmp_path / f"{fixture}.bib"
    shutil.copy(LINT_FIXTURES / f"{fixture}.bib", target)
    before = target.read_bytes()
    for args in (("-i",), ("--check",), ()):
        code, out, err = run(runner, "fmt", *args, target)
        assert (code, out) == (2, "")
        assert err.startswith(str(tmp_path / first))
        assert f"exilebib fmt: not formatting {target}: it does not parse whole" in err
    assert target.read_bytes() == before


def test_stdin_to_stdout(runner: CliRunner) -> None:
    code, out, _ = run(runner, "fmt", "-", stdin='@Misc{k, Title = "x"}')
    assert (code, out) == (0, "@misc{k,\n  title = {x},\n}\n")


def test_stdin_not_in_utf8_is_located_at_the_bad_byte(runner: CliRunner) -> None:
    result = runner.invoke(main, ["fmt", "-"], input=b"@misc{k,\n  title = {caf\xe9}}\n")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "exilebib: error: <stdin>:2:15: not valid UTF-8 (byte 0xE9); save the file as UTF-8\n"
    )


def test_an_unreadable_file_among_several_hides_no_other(runner: CliRunner, in_tmp: Path) -> None:
    messy = "@Misc{k, Title = \"x\"}\n"
    (in_tmp / "a.bib").write_text(messy, encoding="utf-8")
    (in_tmp / "b.bib").write_text(messy, encoding="utf-8")
    (in_tmp / "dir.bib").mkdir()
    code, out, err = run(runner, "fmt", "--check", "a.bib", "gone.bib", "dir.bib", "b.bib")
    assert (code, out) == (2, "")
    assert err == (
        "would reformat a.bib\n"
        "exilebib: error: gone.bib: no such file (check the path; a relative one starts at the current folder)\n"
        "exilebib: error: dir.bib: is a directory, not a sources file\n"
        "would reformat b.bib\n"
    )
    code, _, err = run(runner, "fmt", "-i", "a.bib", "gone.bib", "b.bib")
    assert code == 2
    assert err.splitlines()[::2] == ["reformatted a.bib", "reformatted b.bib"]
    assert (in_tmp / "b.bib").read_text(encoding="utf-8") == "@misc{k,\n  title = {x},\n}\n"


def test_a_csl_json_file_is_refused_by_name(runner: CliRunner, in_tmp: Path) -> None:
    (in_tmp / "m.json").write_text('[{"id": "a", "type": "book"}]\n', encoding="utf-8")
    message = (
        "exilebib: error: m.json: this is a CSL-JSON file; exilebib fmt formats BibTeX (.bib) "
        "files only\n"
    )
    assert run(runner, "fmt", "m.json") == (2, "", message)
    assert run(runner, "fmt", "--check", "m.json") == (2, "", message)
    assert (in_tmp / "m.json").read_text(encoding="utf-8") == '[{"id": "a", "type": "book"}]\n'


def test_usage_errors(runner: CliRunner, essay_bib: Path) -> None:
    assert run(runner, "fmt", "-i", "--check", essay_bib)[0] == 2
    assert run(runner, "fmt", essay_bib, essay_bib)[0] == 2
    assert run(runner, "fmt", "--indent", "wide", essay_bib)[0] == 2


def test_a_bad_indent_is_named_once(runner: CliRunner, in_tmp: Path) -> None:
    (in_tmp / "x.bib").write_text("@misc{k, title = {x}}\n", encoding="utf-8")
    code, out, err = run(runner, "fmt", "--indent", "-3", "x.bib")
    assert (code, out) == (2, "")
    assert err == (
        "exilebib: error: --indent must be a number of spaces (0-16) or 'tab', not '-3'\n"
    )
    (in_tmp / "pyproject.toml").write_text("[tool.exilebib.fmt]\nindent = true\n", "utf-8")
    code, _, err = run(runner, "fmt", "x.bib")
    assert code == 2
    assert err.endswith("[tool.exilebib.fmt] indent must be a number of spaces or 'tab'\n")


def test_config_sets_the_layout(runner: CliRunner, in_tmp: Path) -> None:
    (in_tmp / "pyproject.toml").write_text(
        '[tool.exilebib]\nsources = "a.bib"\n\n[tool.exilebib.fmt]\n'
        'indent = 4\nalign = false\nfield-order = ["year"]\ntrailing-comma = false\n',
        encoding="utf-8",
    )
    (in_tmp / "a.bib").write_text("@misc{k, title = {x}, year = 1990}\n", encoding="utf-8")
    assert run(runner, "fmt") == (0, "@misc{k,\n    year = {1990},\n    title = {x}\n}\n", "")
    (in_tmp / "pyproject.toml").write_text("[tool.exilebib.fmt]\nwidth = 3\n", encoding="utf-8")
    code, _, err = run(runner, "fmt", "a.bib")
    assert code == 2
    assert "unknown key(s) width" in err


def test_sorting_keeps_the_comment_of_a_block_that_moves_to_the_top() -> None:
    # Found by the property test: the comment above the first hoisted block was dropped.
    text = "@misc{b,}\n% about the comment block\n@comment{x}\n@misc{a,}\n"
    assert format_bibtex(text, FmtSettings(sort=True)).text == (
        "% about the comment block\n@comment{x}\n\n@misc{a,\n}\n\n@misc{b,\n}\n"
    )


def test_an_entry_with_a_repeated_key_is_formatted_too(runner: CliRunner, tmp_path: Path) -> None:
    text = '@Book{a, Title = "First"}\n\n@Book{a, Title = "Second"}\n'
    result = format_bibtex(text)
    assert result.text == (
        "@book{a,\n  title = {First},\n}\n\n@book{a,\n  title = {Second},\n}\n"
    )
    assert format_bibtex(text, FmtSettings(sort=True)).text == result.text
    target = tmp_path / "dup.bib"
    target.write_text(text, encoding="utf-8")
    assert run(runner, "fmt", "--check", target)[0] == 1
    assert run(runner, "fmt", "-i", target)[0] == 0
    assert target.read_text(encoding="utf-8") == result.text
    assert run(runner, "fmt", "--check", target)[0] == 0


MESSY_ENTRY = '@Book{a, Title = "First",\n url={https://x.org/%20}}\n'
FORMATTED_ENTRY = "@book{a,\n  title = {First},\n  url   = {https://x.org/%20},\n}\n"


def test_in_place_keeps_crlf_line_endings(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "crlf.bib"
    target.write_bytes(("% Windows file\n" + MESSY_ENTRY).replace("\n", "\r\n").encode())
    assert run(runner, "fmt", "-i", target)[0] == 0
    data = target.read_bytes()
    assert data == ("% Windows file\n" + FORMATTED_ENTRY).replace("\n", "\r\n").encode()
    assert run(runner, "fmt", "--check", target) == (0, "", "")


def test_in_place_keeps_a_utf8_bom(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "bom.bib"
    target.write_bytes(b"\xef\xbb\xbf" + MESSY_ENTRY.encode())
    assert run(runner, "fmt", "-i", target)[0] == 0
    assert target.read_bytes() == b"\xef\xbb\xbf" + FORMATTED_ENTRY.encode()
    assert run(runner, "fmt", "--check", target) == (0, "", "")
    # Both at once (click's test runner turns CRLF on stdout into LF, so through -i).
    both = tmp_path / "both.bib"
    both.write_bytes(b"\xef\xbb\xbf" + MESSY_ENTRY.replace("\n", "\r\n").encode())
    assert run(runner, "fmt", "-i", both)[0] == 0
    assert both.read_bytes() == b"\xef\xbb\xbf" + FORMATTED_ENTRY.replace("\n", "\r\n").encode()


def test_diff_alone_prints_the_diff_writes_nothing_and_exits_1(
    runner: CliRunner, tmp_path: Path
) -> None:
    target = tmp_path / "messy.bib"
    shutil.copy(FIXTURES / "messy.bib", target)
    before = target.read_bytes()
    code, out, err = run(runner, "fmt", "--diff", target)
    assert code == 1
    assert "+  title  = {A {B} c}," in out.splitlines()
    assert out.startswith(f"--- {target}\n+++ {target} (formatted)\n")
    assert err == f"would reformat {target}\n"
    assert target.read_bytes() == before
    formatted = tmp_path / "formatted.bib"
    shutil.copy(FIXTURES / "messy.formatted.bib", formatted)
    assert run(runner, "fmt", "--diff", formatted) == (0, "", "")
    code, _, err = run(runner, "fmt", "--diff", "-i", target)
    assert code == 2
    assert "--diff" in err


@pytest.mark.parametrize(
    "comment",
    [
        "@comment{ an unbalanced { brace }",
        "@comment{ a closing } brace too many }",
        "@Comment{jabref-meta: grouping:\n0 AllEntriesGroup:;\n1 KeywordGroup:{primary\\;0;}",
    ],
)
def test_comment_content_is_opaque_as_in_bibtex(runner: CliRunner, comment: str) -> None:
    # BibTeX reads '@comment' as a command word only; what follows up to the next '@' is
    # text outside any entry, whose braces mean nothing. fmt keeps it byte for byte.
    text = f"{comment}\n\n@Book{{a, Title = {{x}}}}\n"
    result = format_bibtex(text)
    assert result.problems == ()
    assert result.text == f"{comment}\n\n@book{{a,\n  title = {{x}},\n}}\n"
    assert format_bibtex(result.text).text == result.text
    structural = [d.rule for d in lint_text("c.bib", text).diagnostics if d.rule in READER_RULES]
    assert structural == []

"""``exilebib lint`` on the command line: formats, exit codes, config, suppression, --cited."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from exilebib.cli import main
from exilebib.lint import RULES, lint_text

FIXTURES = Path(__file__).parent / "fixtures"
CLEAN = """@book{trotsky1930,
  author   = {Trotsky, Leon},
  title    = {My Life},
  date     = {1930},
  keywords = {primary},
}
"""


def run(runner: CliRunner, *args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(main, [str(arg) for arg in args])
    return result.exit_code, result.stdout, result.stderr


def test_the_essays_sources_lint_clean(runner: CliRunner, essay_bib: Path) -> None:
    # The Hoover page has no access date in the essay; its entry switches off
    # urldate-recommended with a comment that says why.
    code, out, _ = run(runner, "lint", "--format", "json", "--strict", essay_bib)
    assert json.loads(out)["diagnostics"] == []
    assert code == 0


def test_text_output_shows_the_line_a_caret_and_the_hint(runner: CliRunner, in_tmp: Path) -> None:
    shutil.copy(FIXTURES / "missing-comma.bib", in_tmp / "refs.bib")
    code, out, err = run(runner, "lint", "refs.bib")
    assert out == (
        "refs.bib:4:3: error: entry 'comma1': no comma between the value of 'title' and "
        "'date'; BibTeX skips the rest of the entry and bibtexparser-based tools read 'date = ...' into the title [missing-comma]\n"
        "  4 |   date     = {1930},\n"
        "    |   ^\n"
        "  hint: add a comma after the value of 'title'\n"
    )
    assert err == "1 error, 0 warnings, 0 infos in 1 file\n"
    assert code == 1


def test_json_output_has_every_documented_key(runner: CliRunner) -> None:
    code, out, _ = run(runner, "lint", "--format", "json", FIXTURES / "duplicate-key.bib")
    document = json.loads(out)
    assert document["summary"] == {"error": 1, "warning": 0, "info": 0}
    assert document["diagnostics"] == [
        {
            "path": str(FIXTURES / "duplicate-key.bib"),
            "line": 8,
            "column": 7,
            "severity": "error",
            "rule": "duplicate-key",
            "key": "trotsky1930",
            "message": "entry key 'trotsky1930' is used again (first at line 1)",
            "hint": "give one of the entries another key, or merge them",
        }
    ]
    assert code == 1


def test_f_is_short_for_format(runner: CliRunner) -> None:
    fixture = FIXTURES / "duplicate-key.bib"
    assert run(runner, "lint", "-f", "json", fixture) == run(
        runner, "lint", "--format", "json", fixture
    )
    assert json.loads(run(runner, "lint", "-f", "json", fixture)[1])["summary"]["error"] == 1


def test_github_output_is_one_escaped_workflow_command(runner: CliRunner, in_tmp: Path) -> None:
    shutil.copy(FIXTURES / "duplicate-key-case.bib", in_tmp / "a,b.bib")
    code, out, _ = run(runner, "lint", "--format", "github", "a,b.bib")
    assert out == (
        "::warning file=a%2Cb.bib,line=8,col=7,title=duplicate-key-case::entry key "
        "'Trotsky1930' differs only in case from 'trotsky1930' (line 1); BibTeX treats them "
        "as the same key (hint: rename one of them so the keys differ in more than case)\n"
    )
    assert code == 0


def test_warnings_fail_only_under_strict(runner: CliRunner) -> None:
    fixture = FIXTURES / "missing-group.bib"
    assert run(runner, "lint", fixture)[0] == 0
    assert run(runner, "lint", "--strict", fixture)[0] == 1


def test_every_failed_block_is_reported_and_later_entries_survive(runner: CliRunner) -> None:
    code, out, _ = run(runner, "lint", "--format", "json", FIXTURES / "syntax-error.bib")
    found = [(d["rule"], d["line"], d["key"]) for d in json.loads(out)["diagnostics"]]
    assert found == [("syntax-error", 3, "broken1"), ("syntax-error", 10, "broken2")]
    assert code == 1


def test_a_missing_file_is_reported_and_exits_2(runner: CliRunner, in_tmp: Path) -> None:
    code, out, err = run(runner, "lint", "nope.bib")
    assert out == (
        "nope.bib:1:1: error: no such file (check the path; a relative one starts at the current folder) [read-error]\n"
    )
    assert (code, err) == (2, "1 error, 0 warnings, 0 infos in 1 file\n")


def test_an_unreadable_file_hides_no_other_in_any_format(runner: CliRunner, in_tmp: Path) -> None:
    shutil.copy(FIXTURES / "duplicate-key.bib", in_tmp / "dup.bib")
    (in_tmp / "latin1.bib").write_bytes(b"@book{b,\n  title = {Caf\xe9},\n}\n")
    (in_tmp / "folder.bib").mkdir()
    files = ["dup.bib", "missing.bib", "latin1.bib", "folder.bib"]
    code, out, err = run(runner, "lint", "-f", "json", *files)
    found = [
        (d["path"], d["line"], d["column"], d["severity"], d["rule"], d["message"])
        for d in json.loads(out)["diagnostics"]
    ]
    assert found == [
        ("dup.bib", 8, 7, "error", "duplicate-key",
         "entry key 'trotsky1930' is used again (first at line 1)"),
        ("missing.bib", 1, None, "error", "read-error",
         "no such file (check the path; a relative one starts at the current folder)"),
        ("latin1.bib", 2, 15, "error", "read-error",
         "not valid UTF-8 (byte 0xE9); save the file as UTF-8"),
    ]  # fmt: skip
    # a folder stands for the .bib files under it; one with none is an error of its own
    assert err == "exilebib: error: folder.bib: is a directory with no .bib file under it\n"
    assert code == 2
    code, out, _ = run(runner, "lint", "-f", "github", *files)
    assert out.splitlines()[1:3] == [
        "::error file=missing.bib,line=1,title=read-error::no such file (check the path; a "
        "relative one starts at the current folder)",
        "::error file=latin1.bib,line=2,col=15,title=read-error::not valid UTF-8 (byte 0xE9); "
        "save the file as UTF-8",
    ]
    assert code == 2
    code, out, err = run(runner, "lint", *files)
    assert "dup.bib:8:7: error: entry key 'trotsky1930' is used again" in out
    assert "missing.bib:1:1: error: no such file" in out
    assert (code, err) == (
        2,
        "3 errors, 0 warnings, 0 infos in 3 files\n"
        "exilebib: error: folder.bib: is a directory with no .bib file under it\n",
    )


def test_read_errors_exit_2_even_when_the_rest_is_clean(runner: CliRunner, in_tmp: Path) -> None:
    (in_tmp / "ok.bib").write_text(CLEAN, encoding="utf-8")
    assert run(runner, "lint", "ok.bib")[:2] == (0, "")
    assert run(runner, "lint", "ok.bib", "gone.bib")[0] == 2


def test_an_unknown_rule_id_is_a_usage_error(runner: CliRunner) -> None:
    code, _, err = run(runner, "lint", "--disable", "no-such-rule", FIXTURES / "key-syntax.bib")
    assert code == 2
    assert "no lint rule is called 'no-such-rule'" in err


def test_disable_on_the_command_line(runner: CliRunner) -> None:
    code, out, _ = run(runner, "lint", "--disable", "key-syntax", FIXTURES / "key-syntax.bib")
    assert (code, out) == (0, "")


def test_config_disables_rules_changes_severity_and_groups(
    runner: CliRunner, in_tmp: Path
) -> None:
    (in_tmp / "refs").mkdir()
    (in_tmp / "refs" / "sources.bib").write_text(
        CLEAN.replace("primary", "tertiary").replace("My Life", "My life in the USSR"),
        encoding="utf-8",
    )
    (in_tmp / "pyproject.toml").write_text(
        '[tool.exilebib]\ngroups = ["images", "primary", "secondary"]\n'
        "[tool.exilebib.lint]\n"
        'disable = ["title-capitals"]\n'
        'severity = { missing-group = "error" }\n',
        encoding="utf-8",
    )
    code, out, _ = run(runner, "lint", "--format", "json")
    found = [(d["rule"], d["severity"]) for d in json.loads(out)["diagnostics"]]
    assert (code, found) == (1, [("missing-group", "error")])
    (in_tmp / "pyproject.toml").write_text(
        '[tool.exilebib.lint]\ngroups = ["tertiary"]\ndisable = ["title-capitals"]\n',
        encoding="utf-8",
    )
    assert run(runner, "lint")[:2] == (0, "")


def test_a_bad_config_is_a_usage_error(runner: CliRunner, in_tmp: Path) -> None:
    (in_tmp / "pyproject.toml").write_text(
        '[tool.exilebib.lint]\ndisable = ["title-capital"]\n', encoding="utf-8"
    )
    code, _, err = run(runner, "lint", FIXTURES / "key-syntax.bib")
    assert code == 2
    assert "[tool.exilebib.lint] disable: no lint rule is called 'title-capital'" in err


def test_a_comment_above_an_entry_switches_rules_off_for_it_only(
    runner: CliRunner, in_tmp: Path
) -> None:
    second = CLEAN.replace("trotsky1930", "other").replace("primary", "tertiary")
    (in_tmp / "pyproject.toml").write_text(
        '[tool.exilebib]\ngroups = ["primary"]\n', encoding="utf-8"
    )
    (in_tmp / "x.bib").write_text(
        "% About this entry.\n% exilebib: disable=missing-group, title-capitals\n"
        + CLEAN.replace("primary", "tertiary")
        + "\n"
        + second,
        encoding="utf-8",
    )
    code, out, _ = run(runner, "lint", "--format", "json", "x.bib")
    found = [(d["rule"], d["key"]) for d in json.loads(out)["diagnostics"]]
    assert (code, found) == (0, [("missing-group", "other")])


def test_cited_keys_are_compared_with_the_entries(runner: CliRunner) -> None:
    code, out, _ = run(
        runner,
        "lint",
        "--format",
        "json",
        FIXTURES / "cited.bib",
        "--cited",
        FIXTURES / "cited-essay.md",
        "--cited",
        FIXTURES / "cited-essay.tex",
    )
    found = [
        (Path(d["path"]).name, d["line"], d["column"], d["rule"], d["key"], d["hint"])
        for d in json.loads(out)["diagnostics"]
    ]
    assert found == [
        ("cited.bib", 22, 7, "uncited-entry", "sedova1938",
         "cite it, or remove it if the bibliography should list only cited works"),
        ("cited-essay.md", 3, 48, "cited-missing", "volkogonov1996",
         "add an entry with this key, or correct the citation"),
        ("cited-essay.md", 4, 5, "cited-missing", "Deutscher1963",
         "the key is spelled 'deutscher1963' in the sources; keys are case-sensitive"),
        ("cited-essay.tex", 4, 68, "cited-missing", "missing1",
         "add an entry with this key, or correct the citation"),
        ("cited-essay.tex", 5, 29, "cited-missing", "sedov1980",
         "add an entry with this key, or correct the citation"),
    ]  # fmt: skip
    assert code == 1


def test_nocite_star_cites_everything(runner: CliRunner, in_tmp: Path) -> None:
    (in_tmp / "paper.tex").write_text("\\nocite{*}\n", encoding="utf-8")
    code, out, _ = run(runner, "lint", FIXTURES / "cited.bib", "--cited", "paper.tex")
    assert (code, out) == (0, "")


def test_a_missing_cited_file_is_a_usage_error(runner: CliRunner) -> None:
    code, _, err = run(runner, "lint", FIXTURES / "cited.bib", "--cited", "nope.md")
    assert code == 2
    assert "nope.md: no such file" in err


def test_list_rules_names_every_rule(runner: CliRunner) -> None:
    code, out, _ = run(runner, "lint", "--list-rules")
    assert code == 0
    listed = [line.split()[0] for line in out.splitlines()]
    assert sorted(listed) == sorted(RULES)
    assert listed[0] == "syntax-error"


@pytest.mark.parametrize(
    ("markdown", "keys"),
    [
        ("[@a; @b, p. 3]", ["a", "b"]),
        ("[-@a] and @b.", ["a", "b"]),
        ("@{odd key}", ["odd key"]),
        ("mail me@example.org or see https://x.org/@user", []),
        ("`@code` then @real", ["real"]),
    ],
)
def test_markdown_citations(markdown: str, keys: list[str]) -> None:
    from exilebib.citekeys import scan_markdown

    assert [key for key, _ in scan_markdown(markdown)] == keys


@pytest.mark.parametrize(
    ("latex", "keys"),
    [
        ("\\cite{a,b}", ["a", "b"]),
        ("\\citep[see][p.~2]{a}", ["a"]),
        ("\\Textcite*{a}", ["a"]),
        ("\\autocites(pre)(post)[1]{a}[2]{b}", ["a", "b"]),
        ("% \\cite{hidden}\n\\citet{shown}", ["shown"]),
        ("\\citestyle{authoryear}", []),
    ],
)
def test_latex_citations(latex: str, keys: list[str]) -> None:
    from exilebib.citekeys import scan_latex

    assert [key for key, _ in scan_latex(latex)] == keys


@pytest.mark.parametrize("ending", ["\n", "", "\r\n", "\n\n\n"])
def test_a_truncated_file_is_located_on_its_last_line(ending: str) -> None:
    text = "@book{ok, title = {y}}\n@book{cut, title = {x}" + ending
    (found,) = [d for d in lint_text("t.bib", text).diagnostics if d.key == "cut"]
    last = 2 if ending != "\n\n\n" else 4
    assert found.location.line == last
    assert found.location.line <= len(text.splitlines())


def test_an_empty_file_says_so(runner: CliRunner, in_tmp: Path) -> None:
    (in_tmp / "empty.bib").write_text("", encoding="utf-8")
    code, out, _ = run(runner, "lint", "--format", "json", "empty.bib")
    found = [(d["rule"], d["severity"], d["line"], d["message"]) for d in json.loads(out)["diagnostics"]]
    assert (code, found) == (0, [("no-entries", "info", 1, "the file is empty")])


def test_missing_group_hint_names_the_configured_groups(runner: CliRunner, in_tmp: Path) -> None:
    (in_tmp / "pyproject.toml").write_text(
        '[tool.exilebib]\ngroups = ["archive", "press", "studies"]\n', encoding="utf-8"
    )
    entries = [
        CLEAN.replace("trotsky1930", key).replace("primary", keywords)
        for key, keywords in (
            ("a", "press"), ("b", "studies, press"), ("c", "studies"), ("d", "press"),
        )
    ]  # fmt: skip
    bare = CLEAN.replace("trotsky1930", "bare").replace("  keywords = {primary},\n", "")
    other = CLEAN.replace("trotsky1930", "other").replace("primary", "memoir")
    (in_tmp / "x.bib").write_text("\n".join([*entries, bare, other]), encoding="utf-8")
    code, out, _ = run(runner, "lint", "-f", "json", "--disable", "title-capitals", "x.bib")
    found = [(d["key"], d["message"], d["hint"]) for d in json.loads(out)["diagnostics"]]
    # 'press' is the group most entries of the file are in, so it is the one suggested.
    assert found == [
        ("bare", "entry 'bare' is in no group: it has no keywords, none of archive, press, "
         "studies", "add keywords = {press} (one of: archive, press, studies)"),
        ("other", "entry 'other' is in no group: it has keywords {memoir}, none of archive, "
         "press, studies", "add a group to its keywords, e.g. keywords = {memoir, press} "
         "(one of: archive, press, studies)"),
    ]  # fmt: skip
    assert code == 0


def test_missing_group_hint_in_a_file_with_no_groups_yet(runner: CliRunner, in_tmp: Path) -> None:
    (in_tmp / "pyproject.toml").write_text(
        '[tool.exilebib]\ngroups = ["images", "primary", "secondary"]\n', encoding="utf-8"
    )
    (in_tmp / "x.bib").write_text(CLEAN.replace("primary", "memoir"), encoding="utf-8")
    _, out, _ = run(runner, "lint", "-f", "json", "x.bib")
    (found,) = json.loads(out)["diagnostics"]
    assert found["hint"] == (
        "add a group to its keywords, e.g. keywords = {memoir, images} "
        "(one of: images, primary, secondary)"
    )


def test_default_groups_are_not_required_of_a_file_that_does_not_use_them(
    runner: CliRunner, in_tmp: Path
) -> None:
    # No config names groups: images/primary/secondary are the essay's convention, and a
    # file none of whose entries carries one of them is not told to, entry after entry.
    others = [CLEAN.replace("trotsky1930", k).replace("primary", "memoir") for k in "abc"]
    (in_tmp / "x.bib").write_text("\n".join(others), encoding="utf-8")
    assert run(runner, "lint", "x.bib")[:2] == (0, "")
    # One entry that uses the convention: the file follows it, and the others are reported.
    (in_tmp / "x.bib").write_text("\n".join([*others, CLEAN]), encoding="utf-8")
    code, out, _ = run(runner, "lint", "-f", "json", "x.bib")
    found = [(d["rule"], d["key"]) for d in json.loads(out)["diagnostics"]]
    assert (code, found) == (0, [("missing-group", "a"), ("missing-group", "b"), ("missing-group", "c")])


def test_a_file_not_in_utf8_is_located_at_the_bad_byte(runner: CliRunner, in_tmp: Path) -> None:
    (in_tmp / "latin1.bib").write_bytes(b"@book{b,\n  title = {Caf\xe9},\n}\n")
    code, out, _ = run(runner, "lint", "latin1.bib")
    assert code == 2
    assert out == (
        "latin1.bib:2:15: error: not valid UTF-8 (byte 0xE9); save the file as UTF-8 [read-error]\n"
    )


def test_a_cited_file_not_in_utf8_reads_as_in_render(runner: CliRunner, in_tmp: Path) -> None:
    # lint --cited and render --cited read documents through one decoder: one message.
    shutil.copy(FIXTURES / "cited.bib", in_tmp / "refs.bib")
    # The column counts characters: 'Café ' is five, though six bytes.
    (in_tmp / "essay.md").write_bytes(b"See [@a].\n" + "Café ".encode() + b"\xe9t\xe9 @b\n")
    expected = (
        "exilebib: error: essay.md:2:6: not valid UTF-8 (byte 0xE9); save the file as UTF-8\n"
    )
    assert run(runner, "lint", "refs.bib", "--cited", "essay.md") == (2, "", expected)
    assert run(runner, "render", "refs.bib", "--cited", "essay.md") == (2, "", expected)


def test_a_csl_json_file_is_named_not_linted_as_bibtex(runner: CliRunner, in_tmp: Path) -> None:
    (in_tmp / "m.json").write_text('[{"id": "a", "type": "book", "title": "X"}]\n', "utf-8")
    (in_tmp / "ok.bib").write_text(CLEAN, encoding="utf-8")
    code, out, _ = run(runner, "lint", "m.json")
    assert out == (
        "m.json:1:1: error: this is a CSL-JSON file; exilebib lint checks BibTeX (.bib) files "
        "only [not-bibtex]\n"
        "  hint: `exilebib render m.json` reports problems in its items\n"
    )
    assert code == 2
    # Beside .bib files it is reported and they are linted; JSON output stays JSON.
    code, out, _ = run(runner, "lint", "-f", "json", "ok.bib", "m.json")
    found = [(d["path"], d["rule"]) for d in json.loads(out)["diagnostics"]]
    assert (code, found) == (2, [("m.json", "not-bibtex")])


def test_the_configured_csl_json_sources_are_named(runner: CliRunner, in_tmp: Path) -> None:
    (in_tmp / "pyproject.toml").write_text(
        '[tool.exilebib]\nsources = "refs.json"\n', encoding="utf-8"
    )
    (in_tmp / "refs.json").write_text('{"items": []}\n', encoding="utf-8")
    code, out, _ = run(runner, "lint")
    assert code == 2
    assert out.startswith("refs.json:1:1: error: this is a CSL-JSON file;")

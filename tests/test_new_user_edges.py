"""The rough edges a new user hit (issue 13), each run as the user ran it: real files in a
fresh folder, real commands through click."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from exilebib import __version__
from exilebib.cli import main
from exilebib.cli.common import REPORT_LIMIT
from exilebib.formats import EXTENSIONS, FORMAT_NAMES

REPO = Path(__file__).resolve().parents[1]

BOOK = """@book{{{key},
  author   = {{Trotsky, Leon}},
  title    = {{My Life}},
  date     = {{1930}},
  keywords = {{{keywords}}},
}}
"""


def run(runner: CliRunner, *args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(main, [str(arg) for arg in args])
    return result.exit_code, result.stdout, result.stderr


def books(*pairs: tuple[str, str]) -> str:
    return "\n".join(BOOK.format(key=key, keywords=keywords) for key, keywords in pairs)


# --- an error names where the bad value came from --------------------------------------


def test_a_bad_locale_flag_is_blamed_on_the_flag_not_the_config(
    runner: CliRunner, in_tmp: Path, essay_bib: Path
) -> None:
    (in_tmp / "pyproject.toml").write_text('[tool.exilebib]\nstyle = "chicago"\n', "utf-8")
    code, out, err = run(runner, "render", essay_bib, "-l", "zz")
    assert (code, out) == (2, "")
    assert err == (
        "exilebib: error: --locale: unknown locale 'zz' (see 'exilebib styles --locales')\n"
    )


def test_a_bad_locale_in_pyproject_names_the_file_and_key(
    runner: CliRunner, in_tmp: Path, essay_bib: Path
) -> None:
    (in_tmp / "pyproject.toml").write_text('[tool.exilebib]\nlocale = "zz"\n', "utf-8")
    code, _, err = run(runner, "render", essay_bib)
    assert code == 2
    assert err.startswith("exilebib: error: pyproject.toml: [tool.exilebib] locale: unknown locale")
    # the flag overrides the config, so a good flag is not blamed on the config's value
    assert run(runner, "render", essay_bib, "-l", "en-GB")[0] == 0


def test_errors_from_exilebib_toml_name_its_tables_as_written(
    runner: CliRunner, in_tmp: Path, essay_bib: Path
) -> None:
    own = in_tmp / "exilebib.toml"
    own.write_text('locale = "zz"\n', "utf-8")
    err = run(runner, "render", essay_bib)[2]
    assert err.startswith("exilebib: error: exilebib.toml: locale: unknown locale 'zz'")
    own.write_text("[lint]\ndisable = 5\n", "utf-8")
    err = run(runner, "lint", essay_bib)[2]
    assert err.startswith("exilebib: error: exilebib.toml: [lint] disable must be a list")
    own.write_text("styel = 'x'\n", "utf-8")
    err = run(runner, "lint", essay_bib)[2]
    assert err.startswith("exilebib: error: exilebib.toml: top level: unknown key(s) styel")
    own.write_text("[fmt]\nalign = 3\n", "utf-8")
    err = run(runner, "fmt", "--check", essay_bib)[2]
    assert err == "exilebib: error: exilebib.toml: [fmt] align must be true or false\n"
    own.write_text("links = 3\n", "utf-8")
    err = run(runner, "render", essay_bib)[2]
    assert err.startswith("exilebib: error: exilebib.toml: links must be a table")
    assert "[tool.exilebib" not in err


@pytest.mark.parametrize(
    ("config_name", "text", "expected"),
    [
        (
            "pyproject.toml",
            '[tool.exilebib.links]\ntimeout = "abc"\n',
            "exilebib: error: pyproject.toml: [tool.exilebib.links] timeout: 'abc' is not a "
            "duration (write e.g. 90, 90s, 30m, 6h or 1d)\n",
        ),
        (
            "exilebib.toml",
            '[links]\ntimeout = "abc"\n',
            "exilebib: error: exilebib.toml: [links] timeout: 'abc' is not a duration "
            "(write e.g. 90, 90s, 30m, 6h or 1d)\n",
        ),
        (
            "exilebib.toml",
            "[links]\nconcurrency = 0\n",
            "exilebib: error: exilebib.toml: [links]: links setting 'concurrency' must be at "
            "least 1\n",
        ),
    ],
)
def test_a_bad_links_setting_names_the_file_and_the_key(
    runner: CliRunner, in_tmp: Path, config_name: str, text: str, expected: str
) -> None:
    (in_tmp / "x.bib").write_text(books(("a", "primary")), "utf-8")
    (in_tmp / config_name).write_text(text, "utf-8")
    code, out, err = run(runner, "links", "x.bib")
    assert (code, out, err) == (2, "", expected)


# --- -o FILE.ext names the format ------------------------------------------------------


@pytest.mark.parametrize("suffix", sorted(EXTENSIONS))
def test_the_output_extension_names_the_format(
    runner: CliRunner, in_tmp: Path, essay_bib: Path, suffix: str
) -> None:
    target = in_tmp / f"bib{suffix}"
    assert run(runner, "render", essay_bib, "-o", target)[:2] == (0, "")
    written = target.read_text("utf-8")
    assert run(runner, "render", essay_bib, "-f", EXTENSIONS[suffix])[1] == written


def test_what_each_extension_writes(runner: CliRunner, in_tmp: Path, essay_bib: Path) -> None:
    for name in ("bib.html", "bib.md", "bib.rtf", "bib.json", "bib.txt", "bib.out"):
        assert run(runner, "render", essay_bib, "-o", name)[0] == 0
    assert (in_tmp / "bib.html").read_text("utf-8").startswith("<h2>Images</h2>\n")
    assert (in_tmp / "bib.md").read_text("utf-8").startswith("## Images\n")
    assert (in_tmp / "bib.rtf").read_text("utf-8").startswith("{\\rtf1")
    assert json.loads((in_tmp / "bib.json").read_text("utf-8"))[0]["type"]
    # text, and text for an extension that names no format
    assert (in_tmp / "bib.txt").read_text("utf-8").startswith("Images\n\n")
    assert (in_tmp / "bib.out").read_text("utf-8") == (in_tmp / "bib.txt").read_text("utf-8")


def test_every_format_has_an_extension() -> None:
    assert set(EXTENSIONS.values()) == set(FORMAT_NAMES)


@pytest.mark.parametrize("command", [["render"], ["cite", "sedov1980red"]])
def test_a_format_that_contradicts_the_extension_is_a_usage_error(
    runner: CliRunner, in_tmp: Path, essay_bib: Path, command: list[str]
) -> None:
    code, out, err = run(runner, *command, essay_bib, "-f", "text", "-o", "bib.html")
    assert (code, out) == (2, "")
    assert err == (
        "exilebib: error: --format text contradicts the output file bib.html, whose extension "
        "means html: drop --format to write html, or name the file bib.txt\n"
    )
    assert not (in_tmp / "bib.html").exists()
    # agreeing, or in another case, is fine
    assert run(runner, *command, essay_bib, "-f", "html", "-o", "bib.HTML")[0] == 0


def test_cite_takes_the_format_from_the_extension_too(
    runner: CliRunner, in_tmp: Path, essay_bib: Path
) -> None:
    assert run(runner, "cite", "sedov1980red", essay_bib, "-o", "note.rtf")[0] == 0
    assert (in_tmp / "note.rtf").read_text("utf-8").startswith("{\\rtf1")


# --- groups are the essay's convention, not everyone's ---------------------------------


def test_a_file_without_group_keywords_renders_one_list_without_other(
    runner: CliRunner, in_tmp: Path
) -> None:
    (in_tmp / "x.bib").write_text(books(("a", "memoir"), ("b", "")), "utf-8")
    code, out, err = run(runner, "render", "x.bib")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert len(lines) == 2  # one list: no heading, no blank line, no "Other"
    assert all(line.startswith("Trotsky, Leon. My Life") for line in lines)


def test_a_file_using_the_default_groups_is_split_with_other_for_the_rest(
    runner: CliRunner, in_tmp: Path
) -> None:
    (in_tmp / "x.bib").write_text(books(("a", "memoir"), ("b", "primary")), "utf-8")
    out = run(runner, "render", "x.bib")[1]
    assert [line for line in out.splitlines() if "Trotsky" not in line and line] == [
        "Primary",
        "Other",
    ]


def test_configured_groups_apply_to_any_file(runner: CliRunner, in_tmp: Path) -> None:
    (in_tmp / "pyproject.toml").write_text('[tool.exilebib]\ngroups = ["primary"]\n', "utf-8")
    (in_tmp / "x.bib").write_text(books(("a", "memoir")), "utf-8")
    assert run(runner, "render", "x.bib")[1].startswith("Other\n\n")
    # lint holds every entry to configured groups
    _, out, _ = run(runner, "lint", "-f", "json", "x.bib")
    assert [d["rule"] for d in json.loads(out)["diagnostics"]] == ["missing-group"]


def test_lint_does_not_ask_a_file_without_groups_for_them(runner: CliRunner, in_tmp: Path) -> None:
    (in_tmp / "x.bib").write_text(books(*[(f"k{n}", "memoir") for n in range(5)]), "utf-8")
    assert run(runner, "lint", "x.bib")[:2] == (0, "")


# --- styles --search matches titles ----------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("modern language", "modern-language-association"),
        ("mla", "modern-language-association"),
        ("MLA", "modern-language-association"),
        ("harvard cite", "harvard-cite-them-right"),
        ("Cite Them Right", "harvard-cite-them-right"),
    ],
)
def test_styles_search_matches_titles(runner: CliRunner, query: str, expected: str) -> None:
    code, out, _ = run(runner, "styles", "--search", query)
    assert code == 0
    rows = [line.split(None, 1) for line in out.splitlines()]
    assert expected in [row[0] for row in rows]
    words = query.lower().split()
    # every row matches every word, in its ID or its title
    assert all(all(word in " ".join(row).lower() for word in words) for row in rows)


def test_styles_search_needs_every_word(runner: CliRunner) -> None:
    code, _, err = run(runner, "styles", "--search", "harvard zzzz")
    assert (code, err) == (1, "exilebib: no style ID or title contains 'harvard zzzz'\n")


# --- did you mean ----------------------------------------------------------------------


def test_an_unknown_key_suggests_the_nearest(runner: CliRunner, essay_bib: Path) -> None:
    code, _, err = run(runner, "cite", "deutscher1936prophet", essay_bib)
    assert code == 2
    assert "no entry with key 'deutscher1936prophet'; did you mean 'deutscher1963prophet'?" in err


def test_a_key_that_differs_only_in_case_says_so(runner: CliRunner, essay_bib: Path) -> None:
    code, _, err = run(runner, "cite", "Deutscher1963Prophet", essay_bib)
    assert code == 2
    assert (
        "no entry with key 'Deutscher1963Prophet'; 'deutscher1963prophet' differs only in case"
        in err
    )


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        ("--style", "Harvard", "'harvard' differs only in case"),
        ("--style", "harvard-cite-them-rihgt", "did you mean 'harvard-cite-them-right'"),
        ("--locale", "en-gb", "'en-GB' differs only in case"),
        ("--locale", "fr-FX", "did you mean 'fr-FR'"),
    ],
)
def test_an_unknown_style_or_locale_suggests_the_nearest(
    runner: CliRunner, essay_bib: Path, option: str, value: str, expected: str
) -> None:
    code, _, err = run(runner, "render", essay_bib, option, value)
    assert code == 2
    assert err.startswith(f"exilebib: error: {option}: unknown ")
    assert expected in err


# --- cite's labels are for the terminal ------------------------------------------------


@pytest.mark.parametrize("format_name", ["html", "markdown", "rtf"])
def test_formatted_notes_carry_no_labels(
    runner: CliRunner, essay_bib: Path, format_name: str
) -> None:
    code, out, _ = run(runner, "cite", "sedov1980red", essay_bib, "-f", format_name)
    assert code == 0
    assert "first:" not in out
    assert "subsequent:" not in out
    assert out.count("Red Book") == 2  # the full note and the short one


def test_text_notes_are_labelled(runner: CliRunner, essay_bib: Path) -> None:
    out = run(runner, "cite", "sedov1980red", essay_bib)[1]
    assert [line.split(":")[0] for line in out.splitlines()] == ["first", "subsequent"]


# --- URLs are links --------------------------------------------------------------------


def test_urls_are_links_in_html_and_rtf(runner: CliRunner, essay_bib: Path) -> None:
    html_out = run(runner, "render", essay_bib, "-f", "html")[1]
    urls = re.findall(r'<a href="([^"]+)">([^<]+)</a>', html_out)
    assert urls
    assert all(href == text for href, text in urls)
    assert "https://commons.wikimedia.org/wiki/File:Trotsky_Portrait.jpg" in dict(urls)
    rtf_out = run(runner, "render", essay_bib, "-f", "rtf")[1]
    assert (
        '{\\field{\\*\\fldinst{HYPERLINK "https://commons.wikimedia.org/wiki/File:'
        'Trotsky_Portrait.jpg"}}{\\fldrslt{https://commons.wikimedia.org/wiki/File:'
        "Trotsky_Portrait.jpg}}}." in rtf_out
    )
    assert rtf_out.count("HYPERLINK") == len(urls)
    unescaped = rtf_out.replace("\\\\", "").replace("\\{", "").replace("\\}", "")
    assert unescaped.count("{") == unescaped.count("}")  # every field group is closed


def test_standalone_html_has_the_locale_as_lang_and_a_style_sheet(
    runner: CliRunner, essay_bib: Path
) -> None:
    out = run(runner, "render", essay_bib, "-f", "html", "--standalone", "-l", "en-GB")[1]
    assert '<html lang="en-GB">' in out
    assert "overflow-wrap: anywhere" in out
    assert "text-indent: -2em" in out  # hanging indent


# --- one error form for a folder -------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [["render", "DIR"], ["cite", "key", "DIR"], ["links", "DIR"], ["fmt", "DIR"]],
)
def test_a_folder_as_sources_file_is_one_kind_of_error(
    runner: CliRunner, in_tmp: Path, command: list[str]
) -> None:
    (in_tmp / "refs").mkdir()
    code, out, err = run(runner, *[arg.replace("DIR", "refs") for arg in command])
    assert (code, out) == (2, "")
    assert err.startswith("exilebib: error: refs: is a directory")
    assert "Usage:" not in err


@pytest.mark.parametrize("command", ["render", "links"])
def test_a_folder_as_output_is_the_same_kind_of_error(
    runner: CliRunner, in_tmp: Path, essay_bib: Path, command: str
) -> None:
    (in_tmp / "out").mkdir()
    code, _, err = run(runner, command, essay_bib, "-o", "out")
    assert (code, err) == (
        2,
        "exilebib: error: out: is a directory; give -o the name of a file to write\n",
    )


@pytest.mark.parametrize("command", ["render", "lint"])
def test_a_folder_as_cited_document_is_the_same_kind_of_error(
    runner: CliRunner, in_tmp: Path, essay_bib: Path, command: str
) -> None:
    (in_tmp / "essay").mkdir()
    code, _, err = run(runner, command, essay_bib, "--cited", "essay")
    assert (code, err) == (
        2,
        "exilebib: error: essay: is a directory (--cited takes a Markdown or LaTeX file)\n",
    )


# --- lint DIR --------------------------------------------------------------------------


def test_lint_a_folder_checks_every_bib_under_it(runner: CliRunner, in_tmp: Path) -> None:
    for name in ("refs/b.bib", "refs/a/z.bib", "refs/a.bib", "refs/.git/x.bib", "refs/.h.bib"):
        (in_tmp / name).parent.mkdir(parents=True, exist_ok=True)
        (in_tmp / name).write_text(BOOK.format(key="a b", keywords="primary"), "utf-8")
    (in_tmp / "refs" / "notes.txt").write_text("not a bib", "utf-8")
    code, _, err = run(runner, "lint", "refs")
    assert (code, err) == (1, "3 errors, 0 warnings, 0 infos in 3 files\n")
    code, out, _ = run(runner, "lint", "-f", "json", "refs")
    linted = [d["path"] for d in json.loads(out)["diagnostics"]]
    assert linted == ["refs/a.bib", "refs/a/z.bib", "refs/b.bib"]  # sorted, hidden skipped


# --- pre-commit hooks ------------------------------------------------------------------


def _hooks() -> dict[str, dict[str, str]]:
    """``.pre-commit-hooks.yaml`` read as the list of flat mappings it is."""
    hooks: dict[str, dict[str, str]] = {}
    current: dict[str, str] = {}
    for line in (REPO / ".pre-commit-hooks.yaml").read_text("utf-8").splitlines():
        if line.startswith("- id:"):
            current = {}
            hooks[line.split(":", 1)[1].strip()] = current
        elif line.startswith("  ") and ":" in line and not line.lstrip().startswith("#"):
            name, value = line.strip().split(":", 1)
            current[name] = value.strip()
    return hooks


def test_the_documented_pre_commit_rev_is_this_versions_tag() -> None:
    # `rev:` must name a tag that exists; the release tag is v + the version (the lead
    # creates it with the release: git tag -a v0.1.0)
    docs = (REPO / "docs" / "links.md").read_text("utf-8")
    assert re.findall(r"rev: (\S+)", docs) == [f"v{__version__}"]
    assert set(re.findall(r"exilebib/exilebib@(\S+)", docs)) == {f"v{__version__}"}
    documented = set(re.findall(r"- id: (exilebib-\w+)", docs))
    assert documented == set(_hooks())


def test_pre_commit_hooks_exist_for_lint_fmt_and_links() -> None:
    hooks = _hooks()
    assert sorted(hooks) == ["exilebib-fmt", "exilebib-links", "exilebib-lint"]
    assert {hook["language"] for hook in hooks.values()} == {"python"}


@pytest.mark.parametrize("hook_id", ["exilebib-lint", "exilebib-fmt"])
def test_pre_commit_hooks_run_on_a_clean_file(
    runner: CliRunner, in_tmp: Path, hook_id: str
) -> None:
    entry = _hooks()[hook_id]["entry"].split()
    assert entry[0] == "exilebib"
    (in_tmp / "x.bib").write_text(books(("a", "primary")), "utf-8")
    assert run(runner, *entry[1:], "x.bib")[0] == 0
    # a duplicate key (a lint error) in a file not in the house layout (fmt --check fails)
    (in_tmp / "y.bib").write_text(books(("a", "primary")) + "@book{a,title={T}}\n", "utf-8")
    assert run(runner, *entry[1:], "y.bib")[0] == 1


# --- a flood of one warning is summarised ----------------------------------------------


def _talks(tmp_path: Path, count: int) -> Path:
    """A CSL-JSON file of interviews, which Chicago's bibliography leaves out, and a book."""
    items = [
        {"id": f"talk{n}", "type": "interview", "title": f"Talk {n}",
         "author": [{"family": "Smith", "given": "Ann"}]}
        for n in range(count)
    ]  # fmt: skip
    items.append({"id": "book", "type": "book", "title": "A Book"})
    path = tmp_path / "talks.json"
    path.write_text(json.dumps(items), "utf-8")
    return path


def test_many_warnings_of_one_kind_are_summarised(runner: CliRunner, tmp_path: Path) -> None:
    path = _talks(tmp_path, 25)
    code, _, err = run(runner, "render", path)
    assert code == 0
    lines = err.splitlines()
    assert len(lines) == REPORT_LIMIT + 1
    assert all("[renders-empty]" in line for line in lines[:REPORT_LIMIT])
    assert lines[-1] == (
        "exilebib: 15 more warnings [renders-empty] not shown (25 in all; --verbose shows "
        "every one)"
    )
    code, _, err = run(runner, "render", path, "--verbose")
    assert len(err.splitlines()) == 25


def test_cite_summarises_the_files_errors_too(runner: CliRunner, tmp_path: Path) -> None:
    broken = "".join(f"@book{{k{n},\n  title = {{T}},\n  note = {{{{}}\n}}\n\n" for n in range(12))
    path = tmp_path / "broken.bib"
    path.write_text("@book{ok, title = {OK}, keywords = {primary}}\n\n" + broken, "utf-8")
    code, out, err = run(runner, "cite", "ok", path)
    assert (code, out) == (1, "first: OK (n.d.).\nsubsequent: OK.\n")  # errors count, as before
    assert err.splitlines()[-1] == (
        "exilebib: 2 more errors [unbalanced-braces] not shown (12 in all; --verbose shows "
        "every one)"
    )
    assert len(run(runner, "cite", "ok", path, "-v")[2].splitlines()) == 12


def test_a_few_warnings_are_all_shown(runner: CliRunner, tmp_path: Path) -> None:
    err = run(runner, "render", _talks(tmp_path, REPORT_LIMIT))[2]
    assert len(err.splitlines()) == REPORT_LIMIT
    assert "not shown" not in err

"""``exilebib render`` and ``cite`` as a user runs them: real files, real commands."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from exilebib.cli import main
from exilebib.formats import FORMAT_NAMES

STYLES = ("chicago", "chicago-author-date", "harvard")
ESSAY_KEYS_COUNT = 18


def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("style", STYLES)
def test_essay_renders_in_three_titled_sections(
    runner: CliRunner, essay_bib: Path, style: str
) -> None:
    code, out, err = run(runner, "render", str(essay_bib), "--style", style)
    assert (code, err) == (0, "")
    blocks = out.rstrip("\n").split("\n\n")  # title, entries, title, entries, ...
    assert blocks[0::2] == ["Images", "Primary", "Secondary"]
    assert [len(b.splitlines()) for b in blocks[1::2]] == [6, 7, 5]


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("format_name", FORMAT_NAMES)
def test_all_sources_appear_in_every_style_and_format(
    runner: CliRunner, essay_bib: Path, style: str, format_name: str
) -> None:
    code, out, err = run(runner, "render", str(essay_bib), "-s", style, "-f", format_name)
    assert (code, err) == (0, "")
    if format_name == "csl-json":
        assert len(json.loads(out)) == ESSAY_KEYS_COUNT
    elif format_name == "html":
        assert out.count('<div class="csl-entry">') == ESSAY_KEYS_COUNT
    else:
        for word in ("Sedov", "Volkogonov", "Cavendish", "Tuason", "Patenaude", "Deutscher"):
            assert word in out


def test_harvard_shows_access_dates(runner: CliRunner, essay_bib: Path) -> None:
    code, out, _ = run(runner, "render", str(essay_bib), "--style", "harvard")
    assert code == 0
    assert "(Accessed: 18 December 2024)" in out
    assert "(Accessed: 19 December 2024)" in out


def test_group_by_none_gives_one_list(runner: CliRunner, essay_bib: Path) -> None:
    code, out, _ = run(runner, "render", str(essay_bib), "--group-by", "none")
    assert code == 0
    assert len(out.splitlines()) == ESSAY_KEYS_COUNT
    assert "Images" not in out.splitlines()


def test_groups_option_orders_sections_and_keeps_the_rest(
    runner: CliRunner, essay_bib: Path
) -> None:
    code, out, _ = run(runner, "render", str(essay_bib), "--groups", "secondary,primary")
    assert code == 0
    assert out.rstrip().split("\n\n")[0::2] == ["Secondary", "Primary", "Other"]


def test_default_sources_come_from_the_config(
    runner: CliRunner, essay_bib: Path, in_tmp: Path
) -> None:
    (in_tmp / "refs").mkdir()
    (in_tmp / "refs" / "mine.bib").write_bytes(essay_bib.read_bytes())
    (in_tmp / "pyproject.toml").write_text(
        '[tool.exilebib]\nsources = "refs/mine.bib"\nstyle = "harvard"\n', encoding="utf-8"
    )
    code, out, _ = run(runner, "render")
    assert code == 0
    assert "(no date)" in out


def test_output_file_is_written(runner: CliRunner, essay_bib: Path, tmp_path: Path) -> None:
    target = tmp_path / "bib.md"
    code, out, _ = run(runner, "render", str(essay_bib), "-f", "markdown", "-o", str(target))
    assert (code, out) == (0, "")
    assert target.read_text(encoding="utf-8").startswith("## Images\n\n")


def test_csl_json_input_renders(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "zotero.json"
    item = {
        "id": "Smith2020",
        "type": "book",
        "title": "A Book",
        "author": [{"family": "Smith", "given": "Ann"}],
        "issued": {"date-parts": [[2020]]},
        "publisher": "Press",
        "publisher-place": "London",
    }
    path.write_text(json.dumps([item]), encoding="utf-8")
    code, out, err = run(runner, "render", str(path), "-s", "harvard", "--group-by", "none")
    assert (code, err) == (0, "")
    assert out.startswith("Smith, A. (2020) A Book. London: Press.")


def test_cite_in_text_with_locator(runner: CliRunner, essay_bib: Path) -> None:
    code, out, _ = run(
        runner, "cite", "trotsky1960mylife", str(essay_bib), "-s", "harvard", "--locator", "45"
    )
    assert (code, out) == (0, "(Trotsky, 1960, p. 45)\n")


def test_cite_note_style_gives_first_and_subsequent(runner: CliRunner, essay_bib: Path) -> None:
    code, out, _ = run(runner, "cite", "trotsky1960mylife", str(essay_bib), "--locator", "45")
    assert code == 0
    first, subsequent = out.splitlines()
    assert first.startswith("first: ")
    assert "Grosset & Dunlap, 1960), 45." in first
    assert subsequent.startswith("subsequent: ")
    assert subsequent.endswith(", 45.")


def test_cite_unknown_key(runner: CliRunner, essay_bib: Path) -> None:
    code, out, err = run(runner, "cite", "nobody2000", str(essay_bib))
    assert (code, out) == (2, "")
    assert err == (
        f"exilebib: error: {essay_bib}: no entry with key 'nobody2000' "
        "(run 'exilebib lint' or check the spelling)\n"
    )


def test_unknown_style_is_a_usage_error(runner: CliRunner, essay_bib: Path) -> None:
    code, out, err = run(runner, "render", str(essay_bib), "--style", "chicgo")
    assert (code, out) == (2, "")
    assert err.startswith(
        "exilebib: error: --style: unknown style 'chicgo'; did you mean 'chicago'"
    )
    assert err.count("\n") == 1


def test_missing_file_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    missing = tmp_path / "nope.bib"
    code, _, err = run(runner, "render", str(missing))
    assert code == 2
    assert err == f"exilebib: error: {missing}: no such file (check the path; a relative one starts at the current folder)\n"


def test_malformed_bibtex_renders_the_rest_and_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "broken.bib"
    path.write_text(
        "@book{good, author = {Smith, Ann}, title = {Fine}, date = {2001}}\n"
        "@book{bad, title = {Unclosed, date = {2002}\n",
        encoding="utf-8",
    )
    code, out, err = run(runner, "render", str(path), "--group-by", "none")
    assert code == 1
    assert "Fine" in out
    assert err.startswith(f"{path}:2:")  # located as `exilebib lint` locates it
    assert "error: entry 'bad' does not parse" in err.splitlines()[0]
    assert "Traceback" not in err


def test_warnings_fail_only_under_strict(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "w.bib"
    path.write_text("@book{w, title = {T}, publisher = undefinedmacro}\n", encoding="utf-8")
    assert run(runner, "render", str(path))[0] == 0
    code, _, err = run(runner, "render", str(path), "--strict")
    assert code == 1
    assert "[undefined-macro]" in err


def test_unwritable_output(runner: CliRunner, essay_bib: Path, tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "dir.txt"
    code, _, err = run(runner, "render", str(essay_bib), "-o", str(target))
    assert code == 2
    assert err.startswith(f"exilebib: error: {target}: cannot write it")


@pytest.mark.parametrize("command", ["render", "links"])
def test_empty_output_name_is_a_usage_error(runner: CliRunner, command: str) -> None:
    # an empty shell variable must not turn into "." ("cannot write it: Is a directory")
    code, out, err = run(runner, command, "-o", "")
    assert (code, out) == (2, "")
    assert "'--output' / '-o': empty file name" in err


def test_version_and_module_entry_point(essay_bib: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "exilebib", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.startswith("exilebib, version ")


def test_console_script_renders_the_essay(essay_bib: Path) -> None:
    exe = Path(sys.executable).with_name("exilebib")
    if not exe.exists():
        pytest.skip("the exilebib console script is not installed next to this Python")
    result = subprocess.run(
        [str(exe), "render", str(essay_bib), "--style", "harvard"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith("Images\n\n")


@pytest.mark.parametrize("command", ["render", "cite", "styles"])
def test_every_command_help_has_an_example(runner: CliRunner, command: str) -> None:
    code, out, _ = run(runner, command, "--help")
    assert code == 0
    assert "Example" in out
    assert "exilebib " + command in out


def test_styles_lists_presets_and_searches(runner: CliRunner) -> None:
    code, out, _ = run(runner, "styles")
    assert code == 0
    assert "harvard-cite-them-right (en-GB)" in out
    code, out, _ = run(runner, "styles", "--search", "cite-them-right")
    assert "harvard-cite-them-right" in [line.split()[0] for line in out.splitlines()]


def test_entry_rendered_as_nothing_is_reported_with_its_location(
    runner: CliRunner, tmp_path: Path
) -> None:
    # Chicago 18th prints no bibliography entry for an interview, by design.
    path = tmp_path / "talk.json"
    path.write_text(
        '[{"id": "talk", "type": "interview", "title": "A Talk",\n'
        '  "author": [{"family": "Smith", "given": "Ann"}]},\n'
        ' {"id": "book", "type": "book", "title": "A Book"}]',
        encoding="utf-8",
    )
    code, out, err = run(runner, "render", str(path), "--group-by", "none")
    assert code == 0
    assert "A Talk" not in out
    assert "A Book" in out
    assert err == (
        f"{path}:1: warning: entry 'talk' renders as nothing in chicago-notes-bibliography "
        "[renders-empty] (check its type and fields, or choose a style that covers this type)\n"
    )


def test_cited_renders_only_the_cited_entries(
    runner: CliRunner, essay_bib: Path, tmp_path: Path
) -> None:
    essay = tmp_path / "essay.md"
    essay.write_text(
        "Trotsky wrote [@trotsky1960mylife, 45]; see also @sedov1980red\n"
        "and [@nobody2000].\n",
        encoding="utf-8",
    )
    code, out, err = run(
        runner, "render", str(essay_bib), "--cited", str(essay), "-s", "harvard"
    )
    assert code == 0
    assert out == (
        "Primary\n\n"
        "Sedov, L. (1980) The red book: On the Moscow Trials. New Park Publications. "
        "Available at: https://www.marxists.org/history/etol/writers/sedov/works/red/index.htm.\n"
        "Trotsky, L. (1960) My life. New York: Grosset & Dunlap.\n"
    )
    assert err == (
        f"{essay}:2:7: warning: 'nobody2000' is cited but no entry has that key [cited-missing] "
        "(add an entry with this key, or correct the citation)\n"
    )


def test_cited_latex_nocite_star_renders_everything(
    runner: CliRunner, essay_bib: Path, tmp_path: Path
) -> None:
    paper = tmp_path / "paper.tex"
    paper.write_text("\\nocite{*}\n", encoding="utf-8")
    code, out, _ = run(runner, "render", str(essay_bib), "--cited", str(paper), "--group-by", "none")
    assert code == 0
    assert len(out.splitlines()) == ESSAY_KEYS_COUNT


def test_a_closed_pipe_stops_quietly(essay_bib: Path) -> None:
    exe = [sys.executable, "-m", "exilebib", "styles"]
    producer = subprocess.Popen(exe, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert producer.stdout is not None
    producer.stdout.readline()
    producer.stdout.close()  # like `| head -1`
    _, err = producer.communicate()
    assert producer.returncode in (0, 141)
    assert b"Traceback" not in err
    assert b"internal error" not in err


def test_a_full_stdout_is_a_clear_error(essay_bib: Path) -> None:
    if not Path("/dev/full").is_char_device():
        pytest.skip("no /dev/full on this system")
    with Path("/dev/full").open("w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "exilebib", "render", str(essay_bib)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    assert result.returncode == 2
    assert result.stderr == "exilebib: error: cannot write to standard output: No space left on device\n"


def test_a_bad_style_in_the_config_names_the_config(
    runner: CliRunner, essay_bib: Path, in_tmp: Path
) -> None:
    (in_tmp / "pyproject.toml").write_text('[tool.exilebib]\nstyle = "harvad"\n', encoding="utf-8")
    code, _, err = run(runner, "render", str(essay_bib))
    assert code == 2
    assert err.startswith(
        "exilebib: error: pyproject.toml: [tool.exilebib] style: unknown style 'harvad'; "
        "did you mean 'harvard'"
    )


def test_groups_naming_an_unused_keyword_warns(runner: CliRunner, essay_bib: Path) -> None:
    code, _, err = run(runner, "render", str(essay_bib), "--groups", "secondary,nosuch")
    assert code == 0
    assert err == f"exilebib: warning: no entry of {essay_bib} has the keyword 'nosuch' (--groups)\n"
    code, _, _ = run(runner, "render", str(essay_bib), "--groups", "nosuch", "--strict")
    assert code == 1


def test_groups_without_grouping_is_a_warning(runner: CliRunner, essay_bib: Path) -> None:
    code, out, err = run(runner, "render", str(essay_bib), "--groups", "images", "--group-by", "none")
    assert (code, len(out.splitlines())) == (0, ESSAY_KEYS_COUNT)
    assert err == "exilebib: warning: --groups has no effect with --group-by none (one list of every entry)\n"


def test_nothing_to_render_is_a_warning(runner: CliRunner, tmp_path: Path) -> None:
    empty = tmp_path / "empty.bib"
    empty.write_text("% nothing yet\n", encoding="utf-8")
    code, out, err = run(runner, "render", str(empty))
    assert (code, out) == (0, "")
    assert err == f"exilebib: warning: {empty}: no bibliography entries: nothing to render\n"
    assert run(runner, "render", str(empty), "--strict")[0] == 1


@pytest.mark.parametrize("option", ["--style", "--locale"])
def test_an_empty_style_or_locale_is_a_usage_error(
    runner: CliRunner, essay_bib: Path, option: str
) -> None:
    code, out, err = run(runner, "render", str(essay_bib), option, "")
    assert (code, out) == (2, "")
    assert err.startswith(f"exilebib: error: {option} is empty: name one")


def test_output_dash_is_stdout(runner: CliRunner, essay_bib: Path, tmp_path: Path) -> None:
    code, out, _ = run(runner, "render", str(essay_bib), "-o", "-")
    assert code == 0
    assert out.startswith("Images\n")


def test_cite_in_rtf_is_a_whole_document(runner: CliRunner, essay_bib: Path) -> None:
    code, out, _ = run(runner, "cite", "sedov1980red", str(essay_bib), "-f", "rtf")
    assert code == 0
    assert out.startswith("{\\rtf1")
    assert out.rstrip().endswith("}")
    # the two notes, with no "first:"/"subsequent:" labels (those are for the terminal)
    assert "\\pard\\sa120 Leon Sedov, {\\i The Red Book" in out
    assert "\\pard\\sa120 Sedov, {\\i The Red Book}.\\par" in out
    assert "first:" not in out


def test_standalone_html_declares_its_encoding(runner: CliRunner, essay_bib: Path) -> None:
    code, out, _ = run(runner, "render", str(essay_bib), "-f", "html", "--standalone")
    assert code == 0
    assert out.startswith('<!DOCTYPE html>\n<html lang="en-US">\n<head>\n<meta charset="utf-8">\n')
    assert out.count('<div class="csl-entry">') == ESSAY_KEYS_COUNT
    assert out.endswith("</body>\n</html>\n")


def test_standalone_needs_html(runner: CliRunner, essay_bib: Path) -> None:
    code, _, err = run(runner, "render", str(essay_bib), "--standalone")
    assert (code, err) == (
        2, "exilebib: error: --standalone goes with --format html (or -o FILE.html)\n"
    )


CROSSREF_BIB = """\
@incollection{chapter,
  author = {Isaac Deutscher},
  title = {The Prophet in Exile},
  pages = {12--40},
  crossref = {volume},
  keywords = {secondary},
}

@collection{volume,
  editor = {Terry Brotherstone and Paul Dukes},
  title = {The {Trotsky} Reappraisal},
  publisher = {Edinburgh University Press},
  address = {Edinburgh},
  year = {1992},
  keywords = {secondary},
}
"""


def test_crossref_child_renders_what_its_parent_supplies(
    runner: CliRunner, tmp_path: Path
) -> None:
    # biblatex's inheritance: the collection's title becomes the chapter's booktitle,
    # editors, publisher and year pass under their own names
    path = tmp_path / "crossref.bib"
    path.write_text(CROSSREF_BIB, encoding="utf-8")
    code, out, err = run(runner, "render", str(path), "-s", "chicago", "--group-by", "none")
    assert (code, err) == (0, "")
    chapter = next(line for line in out.splitlines() if line.startswith("Deutscher"))
    assert chapter == (
        "Deutscher, Isaac. “The Prophet in Exile.” In The Trotsky Reappraisal, edited by "
        "Terry Brotherstone and Paul Dukes. Edinburgh University Press, 1992."
    )
    code, out, _ = run(runner, "render", str(path), "-f", "csl-json")
    items = {item["id"]: item for item in json.loads(out)}
    # in sentence case, as CSL wants it (Chicago's title case brings the capitals back)
    assert items["chapter"]["container-title"] == (
        'The <span class="nocase">Trotsky</span> reappraisal'
    )
    assert "container-title" not in items["volume"]


def test_crossref_loop_leaves_entries_as_written(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "loop.bib"
    looped = CROSSREF_BIB.replace("  year = {1992},\n", "  year = {1992},\n  crossref = {chapter},\n")
    path.write_text(looped, encoding="utf-8")
    code, out, err = run(runner, "render", str(path), "-f", "csl-json")
    assert code == 0
    assert err == (
        f"{path}:5: warning: entry 'chapter': its crossref chain comes back to 'chapter'; it "
        "renders with its own fields only [crossref-loop] (remove the crossref that points back)\n"
        f"{path}:15: warning: entry 'volume': its crossref chain comes back to 'volume'; it "
        "renders with its own fields only [crossref-loop] (remove the crossref that points back)\n"
    )
    items = {item["id"]: item for item in json.loads(out)}
    assert "author" not in items["volume"]
    assert "container-title" not in items["chapter"]


def test_numbered_styles_print_one_list_by_default(runner: CliRunner, essay_bib: Path) -> None:
    code, out, _ = run(runner, "render", str(essay_bib), "-s", "ieee")
    assert code == 0
    lines = out.splitlines()
    assert [line.split("]")[0] for line in lines] == [f"[{n}" for n in range(1, 19)]
    code, out, _ = run(runner, "render", str(essay_bib), "-s", "ieee", "--group-by", "keyword")
    assert out.startswith("Images\n")


def test_a_cited_document_without_citations_is_named(runner: CliRunner, essay_bib: Path,
                                                     tmp_path: Path) -> None:
    document = tmp_path / "draft.md"
    document.write_text("No citations yet.\n", encoding="utf-8")
    code, out, err = run(runner, "render", str(essay_bib), "--cited", str(document))
    assert (code, out) == (0, "")
    assert err == f"exilebib: warning: {document} cites no keys ([@key] or \\cite{{key}}): nothing to render\n"


def test_a_crossref_to_no_entry_is_a_warning(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "orphan.bib"
    path.write_text(CROSSREF_BIB.replace("crossref = {volume}", "crossref = {Volume}"), "utf-8")
    code, _, err = run(runner, "render", str(path), "--group-by", "none")
    assert code == 0
    assert err == (
        f"{path}:5: warning: entry 'chapter': crossref 'Volume' names no entry; it renders "
        "without what the parent would give it [crossref-missing] (add the parent entry, or "
        "correct the key (keys are case-sensitive))\n"
    )


def test_a_date_that_is_no_date_is_a_warning(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "dates.bib"
    path.write_text(
        "@book{x,\n  author = {Roe, Al},\n  title = {Bad},\n  date = {2024-13-45},\n}\n",
        encoding="utf-8",
    )
    code, out, err = run(runner, "render", str(path), "--group-by", "none")
    assert (code, out) == (0, "Roe, Al. Bad. 2024-13-45.\n")
    assert err == (
        f"{path}:4: warning: entry 'x': date '2024-13-45' is not a valid date: month 13 does "
        "not exist; it is printed as written and sorts as text [date-literal] (write date = "
        "{1941-08-20} (ISO 8601: year, month, day), or a range with a slash: {1937/1940})\n"
    )


def test_cite_reports_what_render_reports(runner: CliRunner, tmp_path: Path) -> None:
    # a block that does not parse is an error for cite too (exit 1), and the cited entry's
    # own warnings are shown; --strict makes the warnings count
    path = tmp_path / "broken.bib"
    path.write_text(
        "@book{x, author={X, Y}, title={T}, date={2000}, publisher={P}\n"
        "@book{y, author={Zed, Al}, title={U}, date={Spring 1937}}\n",
        encoding="utf-8",
    )
    code, out, err = run(runner, "cite", "y", str(path))
    assert code == 1
    assert out == "first: Al Zed, U (Spring 1937).\nsubsequent: Zed, U.\n"
    assert "[unbalanced-braces]" in err
    assert f"{path}:2: warning: entry 'y': date 'Spring 1937'" in err
    clean = tmp_path / "clean.bib"
    clean.write_text("@book{y, author={Zed, Al}, title={U}, date={Spring 1937}}\n", "utf-8")
    assert run(runner, "cite", "y", str(clean))[0] == 0
    assert run(runner, "cite", "y", str(clean), "--strict")[0] == 1

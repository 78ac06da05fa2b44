"""Hostile input to the reading layer: each test is named after the defect it guards.

Inputs an attacker (or a broken export) could hand to any command: macros that double at
every step, broken blocks by the hundred thousand, wrongly typed CSL-JSON, files that
cannot be read. None may take a run down; each is a located, per-item problem.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from exilebib.bibtex import MACRO_FILE_BUDGET, MACRO_VALUE_LIMIT, read_bibtex, read_raw
from exilebib.cli import main
from exilebib.lint import LintSettings, lint_text

#: Address space a subprocess may use: far below what expanding the macros would take.
_MEMORY_LIMIT = 1 << 30


def _doubling_macros(levels: int) -> str:
    """``@string{sN = sN-1 # sN-1}``: ``s40`` would be 16 × 2^40 characters."""
    lines = ["@string{s0 = {xxxxxxxxxxxxxxxx}}"]
    lines += [f"@string{{s{n} = s{n - 1} # s{n - 1}}}" for n in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


def _limited_run(
    args: list[str], cwd: Path, memory: int = _MEMORY_LIMIT
) -> subprocess.CompletedProcess[str]:
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run(
        [sys.executable, "-m", "exilebib", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        preexec_fn=limit,
        timeout=120,
        check=False,
    )


# --------------------------------------------------------------------------- macros


@pytest.mark.parametrize(
    "command",
    [["lint"], ["fmt"], ["fmt", "--check"], ["render"], ["links", "--exclude", "."]],
    ids=["lint", "fmt", "fmt-check", "render", "links"],
)
def test_doubling_macros_that_no_entry_uses_are_never_expanded(
    tmp_path: Path, command: list[str]
) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(
        _doubling_macros(40) + "@book{a, title = {T}, author = {Ann Author}, year = 2000}\n"
    )
    done = _limited_run([*command, str(bib)], tmp_path)
    assert done.returncode in (0, 1), done.stderr
    assert "MemoryError" not in done.stderr
    assert "Traceback" not in done.stderr


def test_a_value_past_the_macro_limit_is_kept_unexpanded_with_a_located_error(
    tmp_path: Path,
) -> None:
    text = _doubling_macros(40) + "@book{a, title = s40, note = s3 # {!}, year = 2000}\n"
    result = lint_text("refs.bib", text, LintSettings())
    [found] = [item for item in result.diagnostics if item.rule == "macro-too-long"]
    assert (found.location.line, found.location.column) == (42, 18)
    assert "'s40'" in found.message
    assert f"{MACRO_VALUE_LIMIT:,}" in found.message
    assert found.hint
    assert "@string" in found.hint
    bib = tmp_path / "refs.bib"
    bib.write_text(text)
    library = read_bibtex(bib)
    [entry] = library.sources
    assert entry.get("title") == "s40"  # kept as written, like an undefined macro
    assert entry.get("note") == "x" * 128 + "!"  # a value within the limit is expanded
    assert any(item.rule == "macro-too-long" for item in library.diagnostics)


def test_macro_expansion_of_a_whole_file_stays_within_its_budget() -> None:
    # s9 is 512,000 characters: each value is within the limit, but 40 of them are not.
    text = "@string{s0 = {" + "x" * 1000 + "}}\n"
    text += "".join(f"@string{{s{n} = s{n - 1} # s{n - 1}}}\n" for n in range(1, 10))
    text += "".join(f"@misc{{k{i}, note = s9 # {{{i}}}}}\n" for i in range(40))
    result = lint_text("refs.bib", text, LintSettings())
    refused = [item for item in result.diagnostics if item.rule == "macro-too-long"]
    kept = 40 - len(refused)
    assert refused
    assert kept * 512_001 <= MACRO_FILE_BUDGET
    assert refused[0].key == f"k{kept}"
    assert refused[-1].key == "k39"
    assert "in all" in refused[0].message


def test_a_long_chain_of_macros_expands_without_recursion(tmp_path: Path) -> None:
    bib = tmp_path / "refs.bib"
    # 20,000 aliases, then 2,000 definitions that each add to the one before.
    text = "@string{a0 = {end}}\n"
    text += "".join(f"@string{{a{n} = a{n - 1}}}\n" for n in range(1, 20_000))
    text += "".join(f"@string{{a{n} = a{n - 1} # {{.}}}}\n" for n in range(20_000, 22_000))
    bib.write_text(text + "@misc{k, note = a21999 # { and } # a5}\n")
    [entry] = read_bibtex(bib).sources
    assert entry.get("note") == "end" + "." * 2_000 + " and end"


def test_lazy_macros_resolve_as_eager_ones_did(
    tmp_path: Path,
) -> None:
    bib = tmp_path / "refs.bib"
    bib.write_text(
        '@string{a = "first"}\n@string{b = a # { two}}\n@string{a = "second"}\n'
        "@misc{k, title = a, note = b, month = aug}\n"
    )
    [entry] = read_bibtex(bib).sources
    # The second definition of 'a' repeats a key: bibtexparser sets it aside, lint reports it.
    assert (entry.get("title"), entry.get("note"), entry.get("month")) == (
        "first",
        "first two",
        "August",
    )


# --------------------------------------------------------------------------- broken blocks


def test_each_broken_block_keeps_its_own_reason_when_several_share_a_line() -> None:
    # The reasons were looked up by line in bibtexparser's log, once per failed block (a
    # scan of every message each time: quadratic), and two blocks on one line got the
    # first one's reason.
    blocks = [block for block in read_raw("@book{ @book{\n").blocks if block.failure]
    assert [block.reason for block in blocks] == [
        "Expected comma after entry key, but found @book",
        "Unexpectedly reached end of file.",
    ]


# --------------------------------------------------------------------------- memory


@pytest.mark.parametrize("command", [["lint"], ["fmt"]], ids=["lint", "fmt"])
def test_a_ten_megabyte_value_of_braced_words_is_read_in_bounded_memory(
    tmp_path: Path, command: list[str]
) -> None:
    # The regular expression for braced values kept a backtracking point per inner {..}:
    # this file took 500 MB. 400 MB of address space is the interpreter, its libraries and
    # about 20 times the file.
    bib = tmp_path / "refs.bib"
    bib.write_text(
        "@misc{big, title = {T}, author = {A B}, year = 2000, note = {"
        + "{x} " * 2_500_000
        + "}}\n"
    )
    done = _limited_run([*command, str(bib)], tmp_path, memory=400_000_000)
    assert done.returncode in (0, 1), done.stderr[-500:]
    assert "MemoryError" not in done.stderr


# --------------------------------------------------------------------------- CSL-JSON


def test_wrongly_typed_csl_json_fields_are_reported_per_item_and_the_rest_renders(
    tmp_path: Path,
) -> None:
    items = [
        {"id": "lang", "type": "book", "title": "Language", "language": 5},
        {"id": "fam", "type": "book", "title": "Family", "author": [{"family": 5}]},
        {"id": "typ", "type": ["book"], "title": "Type"},
        {"id": "flag", "type": "book", "title": "Flag", "author": [{"family": "F", "given": []}]},
        {"id": "date", "type": "book", "title": "Date", "issued": {"literal": 5, "season": [1]}},
        {"id": "good", "type": "book", "title": "Fine", "author": [{"family": "Doe"}]},
    ]
    path = tmp_path / "items.json"
    path.write_text(json.dumps(items))
    result = CliRunner().invoke(main, ["render", str(path), "-s", "chicago-author-date"])
    assert result.exit_code == 0, result.output
    assert "internal error" not in result.output
    assert "Doe. n.d. Fine." in result.stdout
    assert "5. n.d. Family." in result.stdout  # a number in a name is read as its digits
    warnings = result.stderr
    assert "item 'lang': language must be a string; the number is read as '5'" in warnings
    assert "item 'fam': author 1: family must be text" in warnings
    assert "item 'typ': unknown CSL type array ['book']; it is rendered as a document" in warnings
    assert "item 'flag': author 1: given must be text" in warnings


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[{"id": "a", "type": "book", "volume": 1' + "0" * 5000 + "}]", "thousands of digits"),
        ("[" * 100_000, "nested too deeply"),
    ],
    ids=["huge-number", "deep-nesting"],
)
def test_unreadable_csl_json_is_one_clear_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "items.json"
    path.write_text(text)
    result = CliRunner().invoke(main, ["render", str(path)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"exilebib: error: {path}: ")
    assert message in result.stderr


# --------------------------------------------------------------------------- unreadable files

_NOBODY = 65534


def _unprivileged(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run exilebib as a user that mode 000 keeps out.

    Root reads any file, so as root the command runs as nobody through util-linux's
    setpriv, which drops root only once this Python is started (it lives in root's home).
    """
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: no way to be refused a file")
        prefix = [setpriv, f"--reuid={_NOBODY}", f"--regid={_NOBODY}", "--clear-groups"]
    return subprocess.run(
        [*prefix, sys.executable, "-m", "exilebib", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.fixture
def open_folder() -> Iterator[Path]:
    """A folder that any user may enter (pytest's own are root's alone)."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        folder.chmod(0o755)
        yield folder


@pytest.mark.parametrize("command", [["lint"], ["fmt", "--check"]], ids=["lint", "fmt-check"])
def test_an_unreadable_file_is_reported_and_the_others_are_still_checked(
    open_folder: Path, command: list[str]
) -> None:
    (open_folder / "secret.bib").write_text("@book{a, title = {T}}\n")
    (open_folder / "secret.bib").chmod(0)
    (open_folder / "other.bib").write_text("@book{b,title={T}}\n")
    done = _unprivileged([*command, "secret.bib", "other.bib"], open_folder)
    assert done.returncode == 2
    assert "Usage:" not in done.stderr
    output = done.stdout + done.stderr
    assert "secret.bib" in output
    assert "Permission denied" in output
    assert "other.bib" in output  # checked all the same


def test_invisible_characters_are_one_finding_per_entry_with_their_count() -> None:
    # A finding per character: a 10 MB value of them took 12 GB and two minutes.
    text = "@misc{k, title = {T}, note = {" + "a\u200b" * 100_000 + "}}\n"
    result = lint_text("refs.bib", text, LintSettings())
    [found] = [item for item in result.diagnostics if item.rule == "invisible-char"]
    assert (found.location.line, found.location.column) == (1, 32)
    assert found.message.endswith("(and 99,999 more invisible characters)")

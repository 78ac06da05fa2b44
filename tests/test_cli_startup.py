"""The CLI imports a command's module only when that command runs (cli.LazyGroup): the help
lists every command as if all were loaded, and lint starts without the CSL engine, the HTTP
client, the document writers or anything else it does not run (issue 12: start-up within 2x
of ``import click``; bench/startup measures it, these tests guard what is imported)."""

from __future__ import annotations

import subprocess
import sys
from importlib import import_module
from pathlib import Path

from exilebib.cli import COMMANDS, main

REPO = Path(__file__).resolve().parents[1]
#: What neither ``--help`` nor ``lint`` runs: the CSL engine and its styles, the HTTP client
#: and the link checker, the document reader and writers (Markdown, YAML, Word, the locator
#: terms from the CSL locales), the citation scanner (lint imports it for --cited only) and
#: the atomic file writer (tempfile, shutil: lint writes no file), bibtexparser (a plainly
#: well-formed file such as the essay's is split by exilebib's scanner alone) and json
#: (only for -f json).
HEAVY = (
    "citeproc", "lxml", "requests", "urllib3", "exilebib.engine", "exilebib.styles",
    "exilebib.links", "exilebib.document", "exilebib.citekeys", "markdown_it", "yaml",
    "docx", "xml.etree.ElementTree", "exilebib.atomic", "tempfile", "bibtexparser",
    "pylatexenc", "logging", "json",
)  # fmt: skip


def _python(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=REPO, check=False)
    assert "Traceback" not in done.stderr, done.stderr
    return done.stdout


def _loaded_after(args: list[str], modules: tuple[str, ...] = HEAVY) -> str:
    """Which of ``modules`` a fresh interpreter has imported after running ``args``."""
    code = (f"import sys\nfrom exilebib.cli import main\ntry:\n    main({args!r})\n"
            "except SystemExit:\n    pass\n"
            f"print('LOADED', sorted(m for m in {modules!r} if m in sys.modules))")
    return _python(code).rsplit("LOADED", 1)[1].strip()


def _exilebib_modules_after(args: list[str]) -> list[str]:
    code = (f"import sys\nfrom exilebib.cli import main\ntry:\n    main({args!r})\n"
            "except SystemExit:\n    pass\n"
            "print('LOADED', *sorted(m for m in sys.modules if m.startswith('exilebib')))")
    return _python(code).rsplit("LOADED", 1)[1].split()


def test_every_command_comes_from_the_module_the_table_names() -> None:
    for name, (module, short_help) in COMMANDS.items():
        import_module(module)
        command = main.commands[name]
        first_paragraph = (command.help or "").split("\n\n")[0]
        assert " ".join(first_paragraph.split()) == short_help, name
    assert set(main.commands) == set(COMMANDS)


def test_the_help_lists_the_commands_as_loaded_commands_would() -> None:
    lazy = _python("from exilebib.cli import main\nmain(['--help'])")
    loaded = _python("from importlib import import_module\nfrom exilebib.cli import "
                     "COMMANDS, main\nfor module, _ in COMMANDS.values():\n"
                     "    import_module(module)\nmain(['--help'])")
    assert lazy == loaded
    assert "render" in lazy


def test_help_and_lint_load_neither_the_engine_nor_the_http_client() -> None:
    assert _loaded_after(["--help"]) == "[]"
    assert _loaded_after(["lint", str(REPO / "refs" / "sources.bib")]) == "[]"
    assert _loaded_after(["lint", "--list-rules"]) == "[]"


def test_help_loads_no_command_and_no_reader() -> None:
    """``exilebib --help`` lists the commands from cli.COMMANDS: nothing of exilebib but the
    package and the command line is imported (no reader, no bibtexparser, no lint)."""
    assert _exilebib_modules_after(["--help"]) == ["exilebib", "exilebib.cli"]
    assert _loaded_after(["--help"], ("bibtexparser", "tomllib", "pathlib")) == "[]"


def test_lint_imports_the_citation_scanner_only_for_cited(tmp_path: Path) -> None:
    essay = tmp_path / "essay.md"
    essay.write_text("As [@never-defined] shows.\n", encoding="utf-8")
    sources = str(REPO / "refs" / "sources.bib")
    assert _loaded_after(["lint", sources], ("exilebib.citekeys",)) == "[]"
    assert _loaded_after(["lint", sources, "--cited", str(essay)], ("exilebib.citekeys",)) == (
        "['exilebib.citekeys']"
    )
    done = subprocess.run([sys.executable, "-m", "exilebib", "lint", sources, "--cited",
                           str(essay)], capture_output=True, text=True, cwd=REPO, check=False)
    assert done.returncode == 1
    assert "[cited-missing]" in done.stdout


def test_running_a_command_leaves_the_garbage_collector_as_it_was() -> None:
    """The command's module is imported with the collector paused (cli._import_paused); it
    must run again afterwards, and stay off for a caller who switched it off."""
    sources = str(REPO / "refs" / "sources.bib")
    for before in ("gc.enable()", "gc.disable()"):
        code = (f"import gc, sys\n{before}\nfrom exilebib.cli import main\n"
                f"try:\n    main(['lint', {sources!r}])\nexcept SystemExit:\n    pass\n"
                "print('ENABLED', gc.isenabled())")
        assert _python(code).rsplit("ENABLED", 1)[1].strip() == str(before == "gc.enable()")


def test_render_still_loads_what_it_needs() -> None:
    assert "citeproc" in _loaded_after(["render", str(REPO / "refs" / "sources.bib")])


def test_lint_consults_bibtexparser_for_a_file_that_is_not_plain(tmp_path: Path) -> None:
    """An @string (or a comment block, a quoted quote, ...) sends the file to bibtexparser's
    splitter (bibtex._plain_blocks): the findings are those of the full reader."""
    sources = tmp_path / "refs.bib"
    sources.write_text("@string{wmc = {W. M. C.}}\n@book{k, title = {T}, year = 1990,\n"
                       "  title = {Again}, publisher = wmc}\n", encoding="utf-8")
    assert _loaded_after(["lint", str(sources)], ("bibtexparser",)) == "['bibtexparser']"
    done = subprocess.run([sys.executable, "-m", "exilebib", "lint", str(sources)],
                          capture_output=True, text=True, cwd=REPO, check=False)
    assert "[duplicate-field]" in done.stdout, done.stdout


def test_only_the_program_freezes_what_it_imported() -> None:
    """cli.run (the console script, python -m exilebib) imports the command, then freezes
    the imports out of the collector's sight; main called from Python does not."""
    sources = str(REPO / "refs" / "sources.bib")
    for entry, frozen in (("run()", True), (f"main(['lint', {sources!r}])", False)):
        code = (f"import gc, sys\nsys.argv = ['exilebib', 'lint', {sources!r}]\n"
                f"from exilebib.cli import main, run\ntry:\n    {entry}\n"
                "except SystemExit:\n    pass\n"
                "print('FROZEN', gc.get_freeze_count() > 0, gc.isenabled())")
        assert _python(code).rsplit("FROZEN", 1)[1].split() == [str(frozen), "True"]


def test_the_program_runs_every_command_as_main_does() -> None:
    for args in (["--help"], ["--version"], ["lint", "--list-rules"], ["styles"], []):
        program = subprocess.run([sys.executable, "-m", "exilebib", *args],
                                 capture_output=True, text=True, cwd=REPO, check=False)
        code = f"from exilebib.cli import main\nmain({args!r}, prog_name='python -m exilebib')"
        direct = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                cwd=REPO, check=False)
        assert (program.returncode, program.stdout) == (direct.returncode, direct.stdout), args

"""The CLI imports a command's module only when that command runs (cli.LazyGroup): the help
lists every command as if all were loaded, and lint starts without the CSL engine or the
HTTP client."""

from __future__ import annotations

import subprocess
import sys
from importlib import import_module
from pathlib import Path

from exilebib.cli import COMMANDS, main

REPO = Path(__file__).resolve().parents[1]
HEAVY = ("citeproc", "lxml", "requests", "exilebib.engine")


def _python(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=REPO, check=False)
    assert "Traceback" not in done.stderr, done.stderr
    return done.stdout


def _loaded_after(args: list[str]) -> list[str]:
    code = (f"import sys\nfrom exilebib.cli import main\ntry:\n    main({args!r})\n"
            "except SystemExit:\n    pass\n"
            f"print('LOADED', sorted(m for m in {HEAVY!r} if m in sys.modules))")
    return _python(code).rsplit("LOADED", 1)[1].strip()


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


def test_render_still_loads_what_it_needs() -> None:
    assert "citeproc" in _loaded_after(["render", str(REPO / "refs" / "sources.bib")])

"""The dependency between the reader and lint goes one way: lint imports the reading layer.

The structure rules every command reports (:mod:`exilebib.structure`) belong to the reader,
so ``render``, ``links`` and ``fmt`` work without lint; only ``lint/`` and ``cli/`` (and the
commands built on lint's rules, listed below by name) may import ``exilebib.lint``. Imports
are read from the source with :mod:`ast`, at any depth (an import inside a function counts).
"""

from __future__ import annotations

import ast
from pathlib import Path

import exilebib
import exilebib.structure
from exilebib.bibtex import read_raw
from exilebib.lint import READER_RULES as LINT_READER_RULES
from exilebib.lint import RULES, lint_text
from exilebib.structure import READER_RULES, structural_diagnostics

PACKAGE = Path(exilebib.__file__).parent
#: Packages that may import lint: lint itself and the command line, which runs it.
MAY_IMPORT_LINT = ("lint", "cli")
#: Commands that are built on lint's rules (not part of reading), with what they use.
#: `add` checks the entry it writes with lint's tables and checks; `links` writes its
#: findings in lint's report formats. Nothing may be added here for the reading layer.
BUILT_ON_LINT = {
    "capture/entry.py": {
        "exilebib.lint.datamodel",
        "exilebib.lint.dates",
        "exilebib.lint.identifiers",
        "exilebib.lint.text",
    },
    "capture/identifiers.py": {"exilebib.lint.identifiers"},
    "links/report.py": {"exilebib.lint", "exilebib.lint.report"},
}


def _imported_modules(path: Path, package: str | None = None) -> set[str]:
    """Every module ``path`` imports, absolute names (``from . import x`` resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    if package is None:
        package = ".".join(("exilebib", *path.relative_to(PACKAGE).parent.parts))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                anchor = ".".join(parts[: len(parts) - node.level + 1])
                base = f"{anchor}.{base}" if base else anchor
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _lint_imports(path: Path) -> set[str]:
    return {
        name
        for name in _imported_modules(path)
        if name == "exilebib.lint" or name.startswith("exilebib.lint.")
    }


def _modules_outside_lint() -> list[Path]:
    return [
        path
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.relative_to(PACKAGE).parts[0] not in MAY_IMPORT_LINT
    ]


def test_no_module_outside_lint_and_cli_imports_lint() -> None:
    offenders = {}
    for path in _modules_outside_lint():
        relative = path.relative_to(PACKAGE).as_posix()
        allowed = BUILT_ON_LINT.get(relative, set())
        # `from exilebib.lint.report import x` names exilebib.lint.report.x too.
        imported = {
            name
            for name in _lint_imports(path)
            if not any(name == module or name.startswith(f"{module}.") for module in allowed)
        }
        if imported:
            offenders[relative] = sorted(imported)
    assert offenders == {}, f"these modules import exilebib.lint: {offenders}"


def test_the_reader_and_fmt_import_no_lint() -> None:
    """The reading layer in particular: no exception, not even a call-time import."""
    for relative in ("bibtex.py", "sources.py", "fmt.py", "render.py", "capture/append.py"):
        assert _lint_imports(PACKAGE / relative) == set(), relative
    for path in Path(exilebib.structure.__file__).parent.glob("*.py"):
        assert _lint_imports(path) == set(), path.name


def test_the_commands_built_on_lint_still_need_it() -> None:
    """The exceptions stay exact: one that no longer imports lint leaves the list."""
    for relative in BUILT_ON_LINT:
        assert _lint_imports(PACKAGE / relative), relative


def test_the_scan_sees_an_import_inside_a_function(tmp_path: Path) -> None:
    module = tmp_path / "module.py"
    module.write_text(
        "def read():\n    from exilebib.lint import reader_diagnostics\n", encoding="utf-8"
    )
    assert "exilebib.lint" in _imported_modules(module, "exilebib")
    relative = tmp_path / "relative.py"
    relative.write_text("from .lint import lint_text\n", encoding="utf-8")
    assert "exilebib.lint" in _imported_modules(relative, "exilebib")


def test_lint_registers_the_readers_rules_as_they_are() -> None:
    assert LINT_READER_RULES is READER_RULES
    for rule_id in READER_RULES:
        assert RULES[rule_id].id == rule_id


def test_fmt_and_lint_report_structure_alike() -> None:
    text = "@book{a, title = {T} author = {A}}\n@book{a, title = {U}}\n"
    structural = structural_diagnostics("x.bib", read_raw(text))
    linted = [d for d in lint_text("x.bib", text).diagnostics if d.rule in READER_RULES]
    assert sorted(structural, key=repr) == sorted(linted, key=repr)
    assert {d.rule for d in structural} == {"missing-comma", "duplicate-key"}

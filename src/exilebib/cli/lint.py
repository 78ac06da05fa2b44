"""``exilebib lint``: check ``.bib`` files; print diagnostics; exit 0, 1 (findings) or 2."""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from pathlib import Path

import click

from exilebib.cli import main
from exilebib.cli.common import handle_errors, settings
from exilebib.errors import ExitCode
from exilebib.lint import RULES, lint_paths, lint_settings
from exilebib.lint.report import FORMATS, summary
from exilebib.lint.settings import check_rule_ids

#: The order ``--list-rules`` shows the families in: structure first, cross-file last.
_FAMILIES = (
    "syntax", "datamodel", "dates", "links", "identifiers", "names", "text", "macros",
    "groups", "cited", "engine",
)  # fmt: skip


def shown(path: Path) -> Path:
    """``path`` relative to the working directory when it is below it (shorter messages)."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def bib_files_under(folder: Path) -> list[Path]:
    """Every ``.bib`` file below ``folder``, sorted, not looking into hidden folders
    (``.git``, ``.venv``) nor at hidden files."""
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [name for name in dirs if not name.startswith(".")]  # os.walk prunes so
        found.extend(
            Path(root) / name
            for name in files
            if name.lower().endswith(".bib") and not name.startswith(".")
        )
    return sorted(found, key=str)  # as `find | sort` lists them: a.bib before a/z.bib


def _expand(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """``paths`` with each folder replaced by the ``.bib`` files under it, and the folders
    that have none (an error, reported after the files are linted)."""
    expanded: list[Path] = []
    empty: list[Path] = []
    for path in paths:
        if not path.is_dir():
            expanded.append(path)
            continue
        inside = bib_files_under(path)
        expanded.extend(inside)
        if not inside:
            empty.append(path)
    return expanded, empty


def _list_rules() -> None:
    width = max(len(rule_id) for rule_id in RULES)
    order = {family: index for index, family in enumerate(_FAMILIES)}
    for found in sorted(RULES.values(), key=lambda item: order.get(item.family, len(order))):
        click.echo(f"{found.id:<{width}}  {found.severity.value:<7}  {found.summary}")


@main.command("lint")
@click.argument("sources", nargs=-1, type=click.Path(readable=False, path_type=Path))
@click.option(
    "-f",
    "--format",
    "output_format",
    type=click.Choice(sorted(FORMATS)),
    default="text",
    show_default=True,
    help="text (file:line:col: ...), json, or github (Actions annotations).",
)
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too, not only on errors.")
@click.option(
    "--cited",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Markdown or LaTeX file whose citations must match the entries (repeatable).",
)
@click.option("--disable", multiple=True, metavar="RULE", help="Switch a rule off (repeatable).")
@click.option("--list-rules", is_flag=True, help="List every rule id, severity and summary.")
@handle_errors
def lint_command(
    sources: tuple[Path, ...],
    output_format: str,
    strict: bool,
    cited: tuple[Path, ...],
    disable: tuple[str, ...],
    list_rules: bool,
) -> None:
    """Check .bib files for mistakes; every finding has a file:line:col, a rule id and a hint.

    SOURCES default to the configured sources file (refs/sources.bib); a folder stands for
    every .bib file under it (sorted; hidden folders skipped). A file that cannot
    be read is reported (read-error), a CSL-JSON file too (not-bibtex: lint checks BibTeX
    only), and the others are linted. Exit 0 when clean,
    1 on errors (or on warnings with --strict), 2 on bad usage or an unreadable file.
    Switch rules off in [tool.exilebib.lint] (disable = ["rule-id"]) or for one entry with
    a comment on the line right above it: % exilebib: disable=rule-id

    \b
    Example:
      exilebib lint refs/sources.bib --cited essay.md -f github
      exilebib lint refs/
    """
    if list_rules:
        _list_rules()
        return
    config = settings()
    options = lint_settings(config, RULES)
    check_rule_ids(disable, RULES, "--disable")
    options = replace(options, disable=options.disable | set(disable))
    paths, empty = _expand(list(sources) or [shown(config.sources)])
    result = lint_paths(paths, options, cited)
    click.echo(FORMATS[output_format](result), nl=False)
    sys.stdout.flush()
    if output_format == "text":
        click.echo(summary(result, len(paths)), err=True)
    for folder in empty:
        click.echo(f"exilebib: error: {folder}: is a directory with no .bib file under it",
                   err=True)
    if result.unreadable or empty:
        sys.exit(int(ExitCode.USAGE))
    sys.exit(int(ExitCode.FINDINGS if result.failed(strict) else ExitCode.OK))

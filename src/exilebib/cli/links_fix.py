"""``exilebib links --fix``: write what the check learnt into the sources files."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Sequence
from pathlib import Path

import click

from exilebib.atomic import write_atomic
from exilebib.bibtex import read_text
from exilebib.errors import InputError
from exilebib.links.fix import FixKind, fix_text
from exilebib.links.model import LinkResult
from exilebib.sources import is_csl_json

#: What ``diff`` and ``git diff`` write after a last line that has no line break.
NO_NEWLINE = "\\ No newline at end of file\n"


def unified_diff(path: str, old: str, new: str) -> str:
    """A unified diff of ``path`` that ``patch -p0`` and ``git apply -p0`` take: a last
    line without a line break is marked as ``diff`` marks it, not run into the next."""
    lines = difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), path, f"{path} (fixed)"
    )
    return "".join(line if line.endswith("\n") else line + "\n" + NO_NEWLINE for line in lines)


def apply_fixes(
    paths: Sequence[Path], results: Sequence[LinkResult], archive: bool, dry_run: bool
) -> None:
    """Rewrite each BibTeX file of ``paths`` (or, with ``dry_run``, print a unified diff on
    stdout, which the caller keeps for the diff alone). What was fixed goes to stderr."""
    today = dt.date.today()
    for path in dict.fromkeys(paths):
        text = read_text(path, keep_bom=True)
        if is_csl_json(path, text):
            click.echo(f"exilebib: {path}: CSL-JSON; --fix rewrites .bib files only", err=True)
            continue
        fixed = fix_text(str(path), text, results, today, archive=archive)
        for fix in fixed.fixes:
            what = "moved to" if fix.kind is FixKind.MOVED else "archived as"
            verb = "would fix" if dry_run else "fixed"
            click.echo(
                f"{fix.location}: {verb} {fix.key}: {fix.old_url} {what} {fix.new_url}", err=True
            )
        if not fixed.changed:
            continue
        if dry_run:
            click.echo(unified_diff(str(path), text, fixed.text), nl=False)
            continue
        try:
            write_atomic(path, fixed.text)
        except OSError as exc:
            raise InputError(f"{path}: cannot write it: {exc.strerror}") from None

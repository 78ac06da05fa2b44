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


def apply_fixes(
    paths: Sequence[Path], results: Sequence[LinkResult], archive: bool, dry_run: bool
) -> None:
    """Rewrite each BibTeX file of ``paths`` (or, with ``dry_run``, print a unified diff)."""
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
            diff = difflib.unified_diff(
                text.splitlines(keepends=True),
                fixed.text.splitlines(keepends=True),
                str(path),
                f"{path} (fixed)",
            )
            click.echo("".join(diff), nl=False)
            continue
        try:
            write_atomic(path, fixed.text)
        except OSError as exc:
            raise InputError(f"{path}: cannot write it: {exc.strerror}") from None

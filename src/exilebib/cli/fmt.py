"""``exilebib fmt``: print, check or rewrite ``.bib`` files in the house layout."""

from __future__ import annotations

import difflib
import sys
from dataclasses import replace
from pathlib import Path

import click

from exilebib.atomic import write_atomic
from exilebib.bibtex import decode_utf8, read_text
from exilebib.cli import main
from exilebib.cli.common import handle_errors, settings
from exilebib.errors import ExitCode, InputError, UsageError
from exilebib.fmt import FmtResult, fmt_settings, format_bibtex, parse_indent
from exilebib.sources import is_csl_json

STDIN = Path("-")


def _read(path: Path) -> str:
    if path == STDIN:
        return decode_utf8(sys.stdin.buffer.read(), "<stdin>", keep_bom=True)
    return read_text(path, keep_bom=True)  # format_bibtex writes the BOM back


def _refusal(path: Path, result: FmtResult) -> None:
    for problem in result.problems:
        click.echo(str(problem), err=True)
    first = result.problems[0]
    click.echo(
        f"exilebib fmt: not formatting {path}: it does not parse whole (first problem at "
        f"line {first.location.line}); fix the {len(result.problems)} error(s) above, "
        "`exilebib lint` explains each",
        err=True,
    )


@main.command("fmt")
@click.argument("sources", nargs=-1, type=click.Path(readable=False, path_type=Path))
@click.option("-i", "--in-place", is_flag=True, help="Rewrite the files (atomically).")
@click.option(
    "--check", is_flag=True, help="Write nothing; exit 1 if a file is not formatted (for CI)."
)
@click.option(
    "--diff",
    "show_diff",
    is_flag=True,
    help="Write nothing; print a unified diff and exit 1 if a file is not formatted.",
)
@click.option("--sort/--no-sort", default=None, help="Sort entries by key (default: keep order).")
@click.option(
    "--field-order",
    metavar="F1,F2,...",
    help="Put these fields first, in this order (others keep theirs), e.g. author,title,date.",
)
@click.option("--indent", metavar="N|tab", help="Indentation of fields (default: 2 spaces).")
@click.option("--align/--no-align", default=None, help="Line up the '=' within each entry.")
@handle_errors
def fmt_command(
    sources: tuple[Path, ...],
    in_place: bool,
    check: bool,
    show_diff: bool,
    sort: bool | None,
    field_order: str | None,
    indent: str | None,
    align: bool | None,
) -> None:
    """Format .bib files: one layout, nothing lost (values, comments, macros, URLs kept).

    Prints the formatted file to stdout, or rewrites it with --in-place, or only checks
    it with --check (--diff: and shows what would change). A file that does not parse
    whole is never rewritten: its errors are printed and the exit code is 2, as for a
    file that cannot be read (the other files are still formatted or checked). Layout
    options also come from [tool.exilebib.fmt] (indent, align, field-order, sort,
    trailing-comma).

    \b
    Example:
      exilebib fmt --check refs/sources.bib
      exilebib fmt --diff refs/sources.bib
      exilebib fmt -i --field-order author,title,date refs/sources.bib
    """
    if in_place and (check or show_diff):
        raise UsageError(
            f"--in-place and {'--check' if check else '--diff'} exclude each other; pick one"
        )
    check = check or show_diff  # --diff is --check that also shows the changes
    config = settings()
    options = fmt_settings(config)
    if sort is not None:
        options = replace(options, sort=sort)
    if align is not None:
        options = replace(options, align=align)
    if indent is not None:
        options = replace(options, indent=parse_indent(indent, "--indent"))
    if field_order is not None:
        names = tuple(name.strip().lower() for name in field_order.split(",") if name.strip())
        options = replace(options, field_order=names)
    paths = list(sources) or [config.sources]
    if not (in_place or check) and len(paths) > 1:
        raise UsageError("stdout takes one file; pass --in-place or --check for several")
    if in_place and STDIN in paths:
        raise UsageError("--in-place cannot rewrite stdin ('-')")
    refused = changed = 0
    for path in paths:
        try:
            text = _read(path)
        except InputError as exc:  # say so, and go on with the other files
            click.echo(f"exilebib: error: {exc}", err=True)
            refused += 1
            continue
        if is_csl_json(path, text):
            click.echo(
                f"exilebib: error: {path}: this is a CSL-JSON file; exilebib fmt formats "
                "BibTeX (.bib) files only",
                err=True,
            )
            refused += 1
            continue
        result = format_bibtex(text, options, "<stdin>" if path == STDIN else str(path))
        if result.text is None:
            _refusal(path, result)
            refused += 1
            continue
        if not (in_place or check):
            click.echo(result.text, nl=False)
        elif result.text != text:
            changed += 1
            if check:
                click.echo(f"would reformat {path}", err=True)
                if show_diff:
                    click.echo(
                        "".join(
                            difflib.unified_diff(
                                text.splitlines(keepends=True),
                                result.text.splitlines(keepends=True),
                                f"{path}",
                                f"{path} (formatted)",
                            )
                        ),
                        nl=False,
                    )
            else:
                try:
                    write_atomic(path, result.text)
                except OSError as exc:
                    raise InputError(f"{path}: cannot write it: {exc.strerror}") from None
                click.echo(f"reformatted {path}", err=True)
    if refused:
        sys.exit(int(ExitCode.USAGE))
    if check and changed:
        sys.exit(int(ExitCode.FINDINGS))

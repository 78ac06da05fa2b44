"""``exilebib doc``: an essay with pandoc citations in, the finished essay out."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from exilebib.atomic import write_atomic
from exilebib.citekeys import read_document
from exilebib.cli import main
from exilebib.cli.common import (
    REPORT_LIMIT,
    STYLE_HELP,
    VERBOSE_HELP,
    handle_errors,
    no_directory,
    nonempty_path,
    report,
    settings,
    style_from,
)
from exilebib.config import Settings
from exilebib.document import FORMAT_NAMES
from exilebib.errors import ExitCode, Severity, UsageError
from exilebib.model import Library
from exilebib.sources import load_library
from exilebib.styles import ResolvedStyle, resolve_locale, resolve_style

if TYPE_CHECKING:
    from exilebib.document.essay import FrontMatter

#: Formats by the output file's suffix; anything else is Markdown.
SUFFIX_FORMATS = {
    ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html",
    ".docx": "docx", ".rtf": "rtf",
}


@main.command()
@click.argument("essay", type=click.Path(path_type=Path))
@click.argument("sources", required=False, type=click.Path(path_type=Path), callback=no_directory)
@click.option("--style", "-s", metavar="STYLE", help=STYLE_HELP + " Default: the front "
              "matter's csl, else as for render.")
@click.option("--locale", "-l", metavar="LOCALE",
              help="Locale such as en-US (default: the front matter's lang, else the style's).")
@click.option("--format", "-f", "format_name", type=click.Choice(FORMAT_NAMES),
              help="Output format (default: from -o's suffix, else markdown).")
@click.option("--output", "-o", type=click.Path(writable=True, path_type=Path),
              callback=nonempty_path, help="Write to this file (atomically) instead of stdout.")
@click.option("--group-by", type=click.Choice(["keyword", "none"]),
              help="Split the bibliography into titled sections by keyword, or one list "
              "(default: as for render).")
@click.option("--all", "everything", is_flag=True,
              help="List every entry of SOURCES in the bibliography, not only the cited ones.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too (a key with no entry).")
@click.option("--verbose", "-v", is_flag=True, help=VERBOSE_HELP)
@handle_errors
def doc(
    essay: Path,
    sources: Path | None,
    style: str | None,
    locale: str | None,
    format_name: str | None,
    output: Path | None,
    group_by: str | None,
    everything: bool,
    strict: bool,
    verbose: bool,
) -> None:
    """Finish ESSAY (Markdown with pandoc citations such as [@key, p. 33]): every citation
    rendered in the style (footnotes for note styles, in place for in-text styles) and the
    bibliography of the cited entries appended, from SOURCES (default: the front matter's
    bibliography, else as for render).

    \b
    Examples:
      exilebib doc essay.md
      exilebib doc essay.md --style harvard -o essay.html
      exilebib doc essay.md refs/sources.bib --style chicago -o essay.docx
    """
    # loaded here, not with the command line: other commands start without them
    from exilebib.document import writers
    from exilebib.document.compose import compose
    from exilebib.document.essay import parse_essay, read_front_matter
    from exilebib.document.locators import locator_labels

    config = settings()
    text = read_document(essay, "exilebib doc takes a Markdown file")
    _refuse_inputs(output, [essay])
    implied = SUFFIX_FORMATS.get(output.suffix.lower()) if output is not None else None
    if format_name is None:
        format_name = implied or "markdown"
    elif implied is not None and implied != format_name:
        raise UsageError(f"--format {format_name} contradicts the output file {output}, whose "
                         f"extension means {implied}: drop --format, or rename the file")
    if format_name == "docx" and output is None:
        raise UsageError("-f docx writes a file: give it with -o essay.docx")
    front = read_front_matter(text, str(essay))
    resolved = _style(essay, front, style, locale, config)
    parsed = parse_essay(text, str(essay), locator_labels(resolved.locale))
    if sources is not None:
        inputs = [sources]
    elif front.bibliography:
        inputs = [Path(_near(essay, name)) for name in front.bibliography]
    else:
        inputs = [config.sources]
    _refuse_inputs(output, [essay, *inputs, resolved.path])
    if len(inputs) == 1:
        library = load_library(inputs[0])
    else:
        # pandoc reads every file the front matter names, as one bibliography
        libraries = [load_library(path) for path in inputs]
        library = Library(
            libraries[0].path,
            tuple(source for lib in libraries for source in lib.sources),
            tuple(diagnostic for lib in libraries for diagnostic in lib.diagnostics),
        )
    # grouped as render groups: configured groups always, the default ones where the file
    # follows them; numbered styles print one list unless --group-by keyword asks
    if group_by is None:
        group_by = "none" if resolved.is_numbered else None
    from exilebib.render import applicable_groups

    configured = config.groups_set or group_by == "keyword"
    sections = None if group_by == "none" else applicable_groups(library, config.groups,
                                                                 configured)
    composed = compose(parsed, library, resolved, sections, everything)
    data = writers.write(composed, format_name)
    if output is None:
        click.echo(data if isinstance(data, str) else data.decode("utf-8"), nl=False)
    else:
        try:
            write_atomic(output, data)
        except OSError as exc:
            raise UsageError(f"{output}: cannot write it: {exc.strerror}") from None
    report(composed.diagnostics, limit=None if verbose else REPORT_LIMIT)
    failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    if any(d.severity in failing for d in composed.diagnostics):
        raise SystemExit(int(ExitCode.FINDINGS))


def _style(
    essay: Path, front: FrontMatter, style: str | None, locale: str | None, config: Settings
) -> ResolvedStyle:
    """The style and locale: the flags, else the front matter's csl and lang, else as for
    render. A bad front matter value is reported as the essay's, not as a flag's."""
    if style is None and front.csl is not None:
        style = _near(essay, front.csl)
        try:
            resolve_style(style, None)
        except UsageError as exc:
            raise UsageError(f"{essay}: front matter csl: {exc}") from None
    if locale is None and front.lang is not None:
        locale = front.lang
        try:
            resolve_locale(locale)
        except UsageError as exc:
            raise UsageError(f"{essay}: front matter lang: {exc}") from None
    return style_from(style, locale, config)


def _refuse_inputs(output: Path | None, inputs: list[Path]) -> None:
    """-o naming the essay (``inputs[0]``), a sources file or the style would overwrite
    what it is made from: refused before anything is read further or written."""
    if output is None or not output.exists():
        return
    for path in inputs:
        if path.exists() and output.samefile(path):
            what = "the essay itself" if path is inputs[0] else f"an input ({path}) of this run"
            raise UsageError(f"-o {output} is {what}: write the finished essay to another file")


def _near(essay: Path, name: str) -> str:
    """A file named in the front matter: beside the essay if it is there, else as given."""
    beside = essay.parent / name
    return str(beside) if not Path(name).is_absolute() and beside.exists() else name

"""``exilebib render`` and ``exilebib cite``: bibliographies and citations."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from exilebib.citekeys import read_cited
from exilebib.cli import main
from exilebib.cli.common import (
    STYLE_HELP,
    handle_errors,
    library_from,
    nonempty_path,
    report,
    settings,
    style_from,
    write_output,
)
from exilebib.config import Group
from exilebib.errors import Diagnostic, ExitCode, Severity, UsageError
from exilebib.formats import FORMAT_NAMES, FORMATS, csljson, html
from exilebib.render import render_bibliography, render_citation

#: CSL 1.0.2's locator terms.
LOCATOR_LABELS = (
    "page", "chapter", "section", "paragraph", "volume", "book", "column", "figure", "folio",
    "issue", "line", "note", "opus", "part", "sub-verbo", "verse", "table", "appendix",
)

_sources = click.argument(
    "sources",
    required=False,
    type=click.Path(dir_okay=False, path_type=Path),
)
_style = click.option("--style", "-s", metavar="STYLE", help=STYLE_HELP)
_locale = click.option(
    "--locale", "-l", metavar="LOCALE", help="Locale such as en-US or en-GB (default: the style's)."
)
_format = click.option(
    "--format",
    "-f",
    "format_name",
    type=click.Choice(FORMAT_NAMES),
    default="text",
    show_default=True,
    help="Output format.",
)
_output = click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    callback=nonempty_path,
    help="Write to this file (atomically) instead of stdout.",
)


def _fails(diagnostics: Sequence[Diagnostic], strict: bool) -> bool:
    """Exit 1: an error, or with ``--strict`` a warning too."""
    failing = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    return any(d.severity in failing for d in diagnostics)


@main.command()
@_sources
@_style
@_locale
@_format
@_output
@click.option(
    "--group-by",
    type=click.Choice(["keyword", "none"]),
    help="Split into titled sections by keyword, or print one list (default: keyword; none "
    "for numbered styles such as IEEE, whose numbers run across the whole list).",
)
@click.option(
    "--groups",
    metavar="KW[,KW...]",
    help="Keywords of the sections, in order (default: the config's, else "
    "images,primary,secondary).",
)
@click.option(
    "--cited",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Render only the entries cited in this Markdown or LaTeX file (repeatable).",
)
@click.option(
    "--standalone",
    is_flag=True,
    help="With --format html: a whole HTML document (with its encoding), not a fragment.",
)
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too, not only on errors.")
@handle_errors
def render(
    sources: Path | None,
    style: str | None,
    locale: str | None,
    format_name: str,
    output: Path | None,
    group_by: str | None,
    groups: str | None,
    cited: tuple[Path, ...],
    standalone: bool,
    strict: bool,
) -> None:
    """Render the bibliography of SOURCES (default: refs/sources.bib).

    SOURCES is a BibTeX (.bib) or CSL-JSON (.json) file. Problems with single entries are
    reported on stderr as file:line messages; the exit code is 1 when any is an error
    (or a warning, with --strict).

    \b
    Examples:
      exilebib render
      exilebib render refs/sources.bib --style harvard --format markdown
      exilebib render --style apa --locale en-GB -f html --standalone -o bib.html
      exilebib render --cited essay.md --style chicago-author-date
    """
    config = settings()
    resolved = style_from(style, locale, config)
    library = library_from(sources, config)
    chosen = config.groups
    numbered_default = group_by is None and resolved.is_numbered
    if group_by is None:
        group_by = "none" if resolved.is_numbered else "keyword"
    # warnings of the command line itself (they count for --strict like the others)
    warned = False

    def warn(message: str) -> None:
        nonlocal warned
        warned = True
        click.echo(f"exilebib: warning: {message}", err=True)

    if groups is not None and numbered_default:
        warn(f"--groups has no effect: {resolved.style_id} numbers its entries and prints one "
             "list (pass --group-by keyword to split it into sections)")
    elif groups is not None and group_by == "none":
        warn("--groups has no effect with --group-by none (one list of every entry)")
    elif groups is not None:
        keywords = [k.strip() for k in groups.split(",") if k.strip()]
        if not keywords:
            raise UsageError("--groups needs at least one keyword, e.g. --groups primary,secondary")
        titles = {g.keyword: g.title for g in config.groups}
        chosen = tuple(Group(k, titles.get(k, k.capitalize())) for k in keywords)
        used = {keyword for source in library for keyword in source.keywords}
        for keyword in keywords:
            if keyword not in used:
                warn(f"no entry of {library.path} has the keyword '{keyword}' (--groups)")
    documents = [read_cited(path) for path in cited] if cited else None
    rendering = render_bibliography(
        library,
        resolved,
        None if group_by == "none" else chosen,
        documents,
        sentence_case=config.title_case == "sentence",
    )
    text = FORMATS[format_name].bibliography(rendering)
    if standalone:
        if format_name != "html":
            raise UsageError("--standalone goes with --format html")
        text = html.standalone(text, f"Bibliography: {resolved.title}")
    write_output(text, output)
    report(rendering.diagnostics)
    if not rendering.entries:
        if documents and not any(d.citations or d.everything for d in documents):
            names = ", ".join(d.path for d in documents)
            warn(f"{names} cites no keys ([@key] or \\cite{{key}}): nothing to render")
        elif documents:
            warn(f"{library.path}: no bibliography entries: the cited keys match no entry")
        elif not library.sources:
            warn(f"{library.path}: no bibliography entries: nothing to render")
        else:
            warn(f"{library.path}: the style renders none of its entries")
    if (strict and warned) or _fails(rendering.diagnostics, strict):
        raise SystemExit(int(ExitCode.FINDINGS))


@main.command()
@click.argument("keys")
@_sources
@_style
@_locale
@_format
@_output
@click.option("--locator", metavar="TEXT", help="Where in the source: 12, 101-9, iv.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too, not only on errors.")
@click.option(
    "--label",
    default="page",
    show_default=True,
    type=click.Choice(LOCATOR_LABELS),
    help="What the locator counts.",
)
@handle_errors
def cite(
    keys: str,
    sources: Path | None,
    style: str | None,
    locale: str | None,
    format_name: str,
    output: Path | None,
    locator: str | None,
    strict: bool,
    label: str,
) -> None:
    """Print the citation of KEY[,KEY...] from SOURCES in the style.

    In-text styles (author-date, Harvard) print the in-text citation. Note styles
    (Chicago notes) print the full first note, then the short note used after it.
    A --locator applies to the last key.

    \b
    Examples:
      exilebib cite trotsky1960mylife --style harvard --locator 45
      exilebib cite sedov1980red,deutscher1963prophet --style chicago
    """
    config = settings()
    resolved = style_from(style, locale, config)
    library = library_from(sources, config)
    wanted = [key.strip() for key in keys.split(",") if key.strip()]
    if not wanted:
        raise UsageError("name at least one entry key, e.g. exilebib cite trotsky1960mylife")
    citation = render_citation(
        library, resolved, wanted, locator, label, sentence_case=config.title_case == "sentence"
    )
    if format_name == "csl-json":
        write_output(csljson.items_json(list(citation.items)), output)
    else:
        fmt = FORMATS[format_name]
        if citation.subsequent is None:
            text = fmt.paragraphs([citation.first])
        else:
            text = fmt.paragraphs(
                [f"first: {citation.first}", f"subsequent: {citation.subsequent}"]
            )
        write_output(text, output)
    # as render: the file's read errors and the cited entries' warnings, then the exit code
    report(citation.diagnostics)
    if _fails(citation.diagnostics, strict):
        raise SystemExit(int(ExitCode.FINDINGS))

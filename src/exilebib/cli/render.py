"""``exilebib render`` and ``exilebib cite``: bibliographies and citations."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from exilebib.citekeys import read_cited
from exilebib.cli import main
from exilebib.cli.common import (
    REPORT_LIMIT,
    STYLE_HELP,
    VERBOSE_HELP,
    handle_errors,
    library_from,
    no_directory,
    nonempty_path,
    report,
    settings,
    style_from,
    write_output,
)
from exilebib.config import Group
from exilebib.errors import Diagnostic, ExitCode, Severity, UsageError
from exilebib.formats import FORMAT_NAMES, FORMATS, csljson, format_for, html
from exilebib.render import applicable_groups, render_bibliography, render_citation

#: CSL 1.0.2's locator terms.
LOCATOR_LABELS = (
    "page", "chapter", "section", "paragraph", "volume", "book", "column", "figure", "folio",
    "issue", "line", "note", "opus", "part", "sub-verbo", "verse", "table", "appendix",
)

_sources = click.argument(
    "sources", required=False, type=click.Path(path_type=Path), callback=no_directory
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
    help="Output format (default: the one -o's extension names, .html .md .rtf .json .txt; "
    "else text).",
)
_verbose = click.option("--verbose", "-v", is_flag=True, help=VERBOSE_HELP)
_output = click.option(
    "--output",
    "-o",
    type=click.Path(writable=True, path_type=Path),
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
    help="Split into titled sections by keyword, or print one list (default: keyword when "
    "groups are configured or the file uses the default ones; none for numbered styles such "
    "as IEEE, whose numbers run across the whole list).",
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
    type=click.Path(path_type=Path),
    help="Render only the entries cited in this Markdown or LaTeX file (repeatable).",
)
@click.option(
    "--standalone",
    is_flag=True,
    help="With --format html (or -o FILE.html): a whole HTML document (encoding, language, "
    "a style sheet), not a fragment.",
)
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too, not only on errors.")
@_verbose
@handle_errors
def render(
    sources: Path | None,
    style: str | None,
    locale: str | None,
    format_name: str | None,
    output: Path | None,
    group_by: str | None,
    groups: str | None,
    cited: tuple[Path, ...],
    standalone: bool,
    strict: bool,
    verbose: bool,
) -> None:
    """Render the bibliography of SOURCES (default: refs/sources.bib).

    SOURCES is a BibTeX (.bib) or CSL-JSON (.json) file. Problems with single entries are
    reported on stderr as file:line messages (at most 10 of a kind without --verbose);
    the exit code is 1 when any is an error (or a warning, with --strict). -o bib.html
    writes HTML (the extension names the format unless --format does).

    \b
    Examples:
      exilebib render
      exilebib render refs/sources.bib --style harvard --format markdown
      exilebib render --style apa --locale en-GB -f html --standalone -o bib.html
      exilebib render --cited essay.md --style chicago-author-date
    """
    chosen_format = format_for(format_name, output)
    if standalone and chosen_format != "html":
        raise UsageError("--standalone goes with --format html (or -o FILE.html)")
    config = settings()
    resolved = style_from(style, locale, config)
    library = library_from(sources, config)
    chosen = config.groups
    # groups the user chose apply to any file; the default ones only to a file using them
    configured = config.groups_set or groups is not None or group_by == "keyword"
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
    sections = None if group_by == "none" else applicable_groups(library, chosen, configured)
    rendering = render_bibliography(
        library, resolved, sections, documents, sentence_case=config.title_case == "sentence"
    )
    text = FORMATS[chosen_format].bibliography(rendering)
    if standalone:
        text = html.standalone(text, f"Bibliography: {resolved.title}", resolved.locale)
    write_output(text, output)
    report(rendering.diagnostics, limit=None if verbose else REPORT_LIMIT)
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
@_verbose
@handle_errors
def cite(
    keys: str,
    sources: Path | None,
    style: str | None,
    locale: str | None,
    format_name: str | None,
    output: Path | None,
    locator: str | None,
    strict: bool,
    label: str,
    verbose: bool,
) -> None:
    """Print the citation of KEY[,KEY...] from SOURCES in the style.

    In-text styles (author-date, Harvard) print the in-text citation. Note styles
    (Chicago notes) print the full first note, then the short note used after it
    (labelled "first:" and "subsequent:" in text; in html, markdown and rtf the two notes
    are paragraphs with no labels). A --locator applies to the last key.

    \b
    Examples:
      exilebib cite trotsky1960mylife --style harvard --locator 45
      exilebib cite sedov1980red,deutscher1963prophet --style chicago
    """
    chosen_format = format_for(format_name, output)
    config = settings()
    resolved = style_from(style, locale, config)
    library = library_from(sources, config)
    wanted = [key.strip() for key in keys.split(",") if key.strip()]
    if not wanted:
        raise UsageError("name at least one entry key, e.g. exilebib cite trotsky1960mylife")
    citation = render_citation(
        library, resolved, wanted, locator, label, sentence_case=config.title_case == "sentence"
    )
    if chosen_format == "csl-json":
        write_output(csljson.items_json(list(citation.items)), output)
    else:
        notes = [citation.first]
        if citation.subsequent is not None:
            notes.append(citation.subsequent)
        if chosen_format == "text" and len(notes) > 1:
            # which note is which, for a reader of the terminal; a formatted document gets
            # the notes alone, ready to paste
            notes = [f"first: {notes[0]}", f"subsequent: {notes[1]}"]
        write_output(FORMATS[chosen_format].paragraphs(notes), output)
    # as render: the file's read errors and the cited entries' warnings, then the exit code
    report(citation.diagnostics, limit=None if verbose else REPORT_LIMIT)
    if _fails(citation.diagnostics, strict):
        raise SystemExit(int(ExitCode.FINDINGS))

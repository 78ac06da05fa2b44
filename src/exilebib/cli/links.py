"""``exilebib links``: check that every cited URL still answers."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from exilebib.cli import main
from exilebib.cli.common import (
    handle_errors,
    no_directory,
    nonempty_path,
    report,
    settings,
    write_output,
)
from exilebib.cli.links_fix import apply_fixes
from exilebib.errors import ExitCode, Severity, UsageError
from exilebib.links.archive import suggest_archives
from exilebib.links.cache import LinkCache
from exilebib.links.check import LinkChecker
from exilebib.links.collect import collect_links
from exilebib.links.model import CheckRun, LinkResult, Verdict
from exilebib.links.policy import check_networks
from exilebib.links.report import FORMATTERS, ReportOptions, failed, note_line
from exilebib.links.settings import (
    DEFAULT_CACHE_PATH,
    DEFAULT_CONCURRENCY,
    DEFAULT_DEADLINE,
    DEFAULT_PER_HOST,
    DEFAULT_RETRIES,
    DEFAULT_TIMEOUT,
    LinkSettings,
    parse_duration,
    parse_verdicts,
    replace,
    settings_from_mapping,
)
from exilebib.sources import load_library

VERDICT_NAMES = ", ".join(verdict.value for verdict in Verdict)


def link_settings() -> LinkSettings:
    """``[tool.exilebib.links]`` of the project config; relative paths are from its folder."""
    config = settings()
    base = settings_from_mapping(
        config.section("links"), config.shown_origin, config.table_name("links")
    )
    if config.origin is not None and not base.cache_path.is_absolute():
        base = replace(base, cache_path=config.origin.parent / base.cache_path)
    return base


@main.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path), callback=no_directory)
@click.option(
    "--format",
    "-f",
    "format_name",
    type=click.Choice(sorted(FORMATTERS)),
    default="text",
    show_default=True,
    help="Report format: text, json, junit (XML), github (workflow annotations), markdown.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(writable=True, path_type=Path),
    callback=nonempty_path,
    help="Write the report to this file (atomically) instead of stdout.",
)
@click.option(
    "--fail-on",
    metavar="VERDICT[,VERDICT...]",
    help=f"Verdicts that make the exit code 1 (default: broken). Any of: {VERDICT_NAMES}.",
)
@click.option(
    "--concurrency",
    type=click.IntRange(min=1),
    help=f"Requests in flight at once [default: {DEFAULT_CONCURRENCY}].",
)
@click.option(
    "--per-host",
    type=click.IntRange(min=1),
    help=f"Requests in flight at once to one host [default: {DEFAULT_PER_HOST}].",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    help=f"Seconds one request may take, connecting and reading included "
    f"[default: {DEFAULT_TIMEOUT:g}].",
)
@click.option(
    "--deadline",
    type=click.FloatRange(min=0, min_open=True),
    help=f"Seconds one URL may take with its retries [default: {DEFAULT_DEADLINE:g}].",
)
@click.option(
    "--max-run-time",
    metavar="DURATION",
    help="Time for the whole run: 900, 30m [default: 15m]; what is left is transient.",
)
@click.option(
    "--retries",
    type=click.IntRange(min=0),
    help=f"Further attempts after 408, 429, 5xx or a reset [default: {DEFAULT_RETRIES}].",
)
@click.option("--max-redirects", type=click.IntRange(min=0), help="Redirects to follow [10].")
@click.option(
    "--head-first/--get-only",
    default=None,
    help="Try HEAD first (GET if it does not answer 2xx) [default: GET only].",
)
@click.option("--user-agent", metavar="TEXT", help="The User-Agent header to send.")
@click.option(
    "--exclude",
    metavar="REGEX",
    multiple=True,
    help="Do not check URLs matching this regular expression (repeatable).",
)
@click.option(
    "--allow-private",
    is_flag=True,
    default=None,
    help="Also check private and loopback addresses (refused by default; link-local and "
    "cloud metadata addresses stay refused).",
)
@click.option(
    "--allow-network",
    metavar="CIDR",
    multiple=True,
    help="Allow this non-public network, e.g. 10.1.0.0/16 (repeatable); the only way to "
    "allow link-local ones, e.g. 169.254.7.0/24.",
)
@click.option(
    "--ca-bundle",
    type=click.Path(exists=True, dir_okay=False),
    help="PEM file of certificate authorities to trust (instead of the bundled ones).",
)
@click.option(
    "--cache/--no-cache",
    "use_cache",
    default=None,
    help="Skip URLs that succeeded recently and remember new successes [default: off].",
)
@click.option(
    "--cache-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"Where the cache lives (implies --cache) [default: {DEFAULT_CACHE_PATH}].",
)
@click.option(
    "--max-cache-age",
    metavar="DURATION",
    help="Forget cached successes older than this: 3600, 30m, 6h, 1d [default: 1d].",
)
@click.option(
    "--suggest-archive",
    is_flag=True,
    default=None,
    help="Ask the Wayback Machine for a snapshot of each broken link.",
)
@click.option("--archive-url", metavar="URL", help="Base URL of the availability API.")
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Show a progress bar on stderr [default: when stderr is a terminal].",
)
@click.option("--verbose", "-v", is_flag=True, help="List ok and cached links too.")
@click.option(
    "--fix",
    is_flag=True,
    help="Rewrite the .bib files: a permanently redirected url becomes its new URL (with "
    "--suggest-archive, a broken one its archived snapshot); urldate becomes today.",
)
@click.option("--dry-run", is_flag=True, help="With --fix: print a unified diff; write nothing.")
@handle_errors
def links(
    sources: tuple[Path, ...],
    format_name: str,
    output: Path | None,
    fail_on: str | None,
    concurrency: int | None,
    per_host: int | None,
    timeout: float | None,
    deadline: float | None,
    max_run_time: str | None,
    retries: int | None,
    max_redirects: int | None,
    head_first: bool | None,
    user_agent: str | None,
    exclude: tuple[str, ...],
    allow_private: bool | None,
    allow_network: tuple[str, ...],
    ca_bundle: str | None,
    use_cache: bool | None,
    cache_file: Path | None,
    max_cache_age: str | None,
    suggest_archive: bool | None,
    archive_url: str | None,
    progress: bool | None,
    verbose: bool,
    fix: bool,
    dry_run: bool,
) -> None:
    """Check that every URL cited in SOURCES still answers (default: refs/sources.bib).

    Collects each entry's url, doi (as https://doi.org/...) and the URLs in howpublished
    and note, checks each distinct URL once, and reports a verdict for it: ok, redirected,
    broken, transient (still failing after retries), blocked (401/403/bot wall: may be fine
    in a browser), excluded or cached. The exit code is 1 when any verdict is in --fail-on
    (default: broken) or a source has an error (a block that does not parse: reported like
    lint does, its links unchecked), 2 for bad usage or unreadable input, 130 when
    interrupted (the cache keeps what was learnt).

    \b
    Examples:
      exilebib links
      exilebib links refs/sources.bib --format github --cache
      exilebib links --fail-on broken,transient --exclude 'example\\.org' -f json -o links.json
    """
    if dry_run and not fix:
        raise UsageError("--dry-run goes with --fix (it shows what --fix would change)")
    config = settings()
    base = link_settings()
    problem = check_networks(allow_network)
    if problem:
        raise UsageError(f"--allow-network: {problem}")
    chosen = replace(
        base,
        concurrency=concurrency,
        per_host=per_host,
        timeout=timeout,
        deadline=deadline,
        max_run_time=parse_duration(max_run_time) if max_run_time is not None else None,
        retries=retries,
        max_redirects=max_redirects,
        head_first=head_first,
        user_agent=user_agent,
        exclude=(*base.exclude, *exclude) if exclude else None,
        allow_private=allow_private,
        allow_networks=(*base.allow_networks, *allow_network) if allow_network else None,
        ca_bundle=ca_bundle,
        cache=True if cache_file is not None else use_cache,
        cache_path=cache_file,
        cache_max_age=parse_duration(max_cache_age) if max_cache_age is not None else None,
        suggest_archive=suggest_archive,
        archive_url=archive_url,
        fail_on=parse_verdicts(fail_on) if fail_on is not None else None,
    )
    networks_problem = check_networks(chosen.allow_networks)
    if networks_problem:
        raise UsageError(f"allow_networks: {networks_problem}")

    libraries = [load_library(path) for path in (sources or (config.sources,))]
    # Shown now on stderr, carried by the report, and an error among them fails the run
    # (after the links that could be read are checked), as render does.
    diagnostics = tuple(
        diagnostic
        for library in libraries
        for diagnostic in library.diagnostics
        if diagnostic.severity is not Severity.INFO
    )
    report(diagnostics)
    found = collect_links(libraries)

    cache: LinkCache | None = None
    if chosen.cache:
        cache = LinkCache.load(chosen.cache_path, chosen.cache_max_age)
        if cache.warning:
            click.echo(f"exilebib: warning: {cache.warning}", err=True)

    show_progress = sys.stderr.isatty() if progress is None else progress
    started = time.monotonic()
    checker = LinkChecker(chosen, cache=cache)
    run: CheckRun
    try:
        if show_progress and found:
            with click.progressbar(
                length=len(found), label="Checking links", file=sys.stderr
            ) as bar:

                def advance(_: LinkResult) -> None:
                    bar.update(1)

                run = checker.check_run(found, advance)
        else:
            run = checker.check_run(found)
    finally:
        # Also on Ctrl-C: what was learnt before it is kept.
        if cache is not None and cache.changed:
            try:
                cache.save()
            except OSError as exc:
                click.echo(
                    f"exilebib: warning: {cache.path}: cannot write the cache: {exc}", err=True
                )
    elapsed = time.monotonic() - started
    results, notes = run.results, run.notes
    if chosen.suggest_archive:
        archived = suggest_archives(results, chosen)
        results, notes = archived.results, notes + archived.notes
    if format_name != "text" or output is not None:  # else the report shows them just so
        for note in notes:
            click.echo(f"exilebib: warning: {note_line(note)}", err=True)

    options = ReportOptions(
        fail_on=chosen.fail_on,
        verbose=verbose,
        elapsed=elapsed,
        diagnostics=diagnostics,
        notes=notes,
    )
    report_text = FORMATTERS[format_name](results, options)
    if dry_run and output is None:
        # --fix --dry-run's diff owns stdout (so it can go to patch or git apply as it is);
        # the report, unless -o names a file for it, goes to stderr
        click.echo(report_text, nl=False, err=True)
    else:
        write_output(report_text, output)
    if fix:
        paths = list(sources or (config.sources,))
        apply_fixes(paths, results, bool(chosen.suggest_archive), dry_run)
    if failed(results, options):
        raise SystemExit(int(ExitCode.FINDINGS))

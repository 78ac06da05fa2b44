"""``exilebib add``: make entries from DOIs, ISBNs, Commons files and web pages."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import click

from exilebib.atomic import write_atomic
from exilebib.bibtex import read_text
from exilebib.capture.add import add_identifiers
from exilebib.capture.append import addition, existing, refusals
from exilebib.capture.fetch import Fetcher
from exilebib.capture.identifiers import parse_identifier
from exilebib.capture.settings import capture_settings
from exilebib.cli import main
from exilebib.cli.common import handle_errors, report, settings
from exilebib.cli.links import link_settings
from exilebib.errors import ExitCode, InputError, Severity, UsageError
from exilebib.fmt import fmt_settings
from exilebib.links.settings import replace
from exilebib.lint import RULES, lint_settings, lint_text
from exilebib.sources import is_csl_json

#: Characters BibTeX and biber accept in a key (lint's key-syntax rule).
_KEY = re.compile(r"[A-Za-z0-9_:./-]+")


@main.command("add")
@click.argument("identifiers", nargs=-1, required=True)
@click.option(
    "--to",
    "target",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The sources file to add to [default: the configured one, refs/sources.bib].",
)
@click.option(
    "--group",
    "groups",
    metavar="KW",
    multiple=True,
    help="Put the new entries in this group (their keywords), e.g. --group secondary.",
)
@click.option("--key", metavar="KEY", help="The key of the new entry (one identifier only).")
@click.option("--dry-run", is_flag=True, help="Print the new entries; write nothing.")
@click.option(
    "--allow-private",
    is_flag=True,
    default=None,
    help="Also ask private and loopback addresses (refused by default, as links does).",
)
@handle_errors
def add_command(
    identifiers: tuple[str, ...],
    target: Path | None,
    groups: tuple[str, ...],
    key: str | None,
    dry_run: bool,
    allow_private: bool | None,
) -> None:
    """Add entries made from IDENTIFIERS: DOIs, ISBNs, Commons files or web pages.

    A DOI (10.1093/..., doi:..., https://doi.org/...) is asked of the DOI resolver as
    CSL-JSON; an ISBN (isbn:... or bare digits with a valid check digit) of Open Library; a
    Wikimedia Commons file page (or File:Name.jpg) of the Commons API, as an @image; any
    other http(s) URL is read for the page's citation metadata. Each new entry is written
    in fmt's layout with urldate = today when it has a URL, and appended to the sources
    file, whose other bytes stay as they were. An identifier already in the file (same
    DOI, ISBN or URL) is not added again. Exit 0 when all were added, 1 when some could
    not be (each is reported on one line, the others are still added), 2 for a malformed
    identifier (nothing is asked) or an unreadable sources file.

    \b
    Examples:
      exilebib add 10.1000/182 --group secondary
      exilebib add isbn:978-1-78168-560-0 --dry-run
      exilebib add https://commons.wikimedia.org/wiki/File:Trotsky_Portrait.jpg --group images
    """
    parsed = [parse_identifier(text) for text in identifiers]  # exit 2 before any request
    if key is not None:
        if len(parsed) != 1:
            raise UsageError("--key names one entry; give one identifier with it")
        if not _KEY.fullmatch(key):
            raise UsageError(f"--key {key!r}: use letters, digits and - _ : . / only")
    config = settings()
    where = f"{config.shown_origin}: {config.table_name('add')}".rstrip(": ")
    chosen = capture_settings(config.section("add"), where)
    links = replace(link_settings(), allow_private=allow_private)
    path = target if target is not None else config.sources
    existed = path.exists()
    if existed:
        text = read_text(path, keep_bom=True)
        original = path.read_bytes()
    else:
        if not path.parent.is_dir():
            raise InputError(f"{path}: no such folder to create the sources file in")
        text, original = "", b""
    if is_csl_json(path, text):
        raise UsageError(f"{path}: a CSL-JSON file; exilebib add writes BibTeX (.bib) files")
    problems = refusals(str(path), text)
    if problems:
        report(problems)
        raise InputError(
            f"{path}: not adding to a file that does not parse whole (an open entry would "
            "swallow the new one); fix the errors above first"
        )
    known = existing(path, text)
    if key is not None and key.casefold() in {k.casefold() for k in known.keys}:
        raise UsageError(f"--key {key}: {path} has an entry with this key already")

    with Fetcher(links, chosen.max_document) as fetcher:
        outcomes = add_identifiers(
            parsed,
            known,
            fetcher,
            chosen,
            today=dt.date.today(),
            keywords=groups,
            key=key,
            layout=fmt_settings(config),
        )
    added = [outcome for outcome in outcomes if outcome.added]
    for outcome in outcomes:
        if outcome.duplicate_of is not None:
            click.echo(
                f"exilebib: {outcome.identifier.text}: already in {path} as "
                f"{outcome.duplicate_of} (same {outcome.duplicate_by}); not added",
                err=True,
            )
        elif not outcome.added:
            click.echo(
                f"exilebib: {outcome.identifier.text}: not added: {outcome.reason}", err=True
            )
    if added:
        extra = addition(text, [outcome.text for outcome in added])
        if dry_run:
            click.echo("\n\n".join(outcome.text for outcome in added))
        else:
            # the requests took a while: an edit saved meanwhile must not be overwritten
            now = path.read_bytes() if path.exists() else None
            if now != (original if existed else None):
                raise InputError(
                    f"{path}: changed while add was asking; nothing written, run it again"
                )
            try:
                write_atomic(path, original + extra.encode("utf-8"))
            except OSError as exc:
                raise InputError(f"{path}: cannot write it: {exc.strerror}") from None
            for outcome in added:
                assert outcome.entry is not None
                click.echo(
                    f"added {outcome.entry.key} to {path} (from {outcome.identifier.text})",
                    err=True,
                )
        for outcome in added:
            if outcome.entry is not None and outcome.entry.note:
                click.echo(f"exilebib: note: {outcome.entry.key}: {outcome.entry.note}", err=True)
        _notes(str(path), text + extra, {o.entry.key for o in added if o.entry})
    sys.exit(int(ExitCode.OK if len(added) == len(outcomes) else ExitCode.FINDINGS))


def _notes(shown: str, text: str, keys: set[str]) -> None:
    """What lint would still say about the new entries (a missing group, say), as notes."""
    options = lint_settings(settings(), RULES)
    for diagnostic in lint_text(shown, text, options).diagnostics:
        if diagnostic.key in keys and diagnostic.severity is not Severity.INFO:
            click.echo(f"exilebib: note: {diagnostic}", err=True)

"""What every command shares: error translation, settings, diagnostics on stderr, output."""

from __future__ import annotations

import errno
import functools
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec, TypeVar

import click

from exilebib.config import Settings, load_settings
from exilebib.errors import Diagnostic, ExilebibError, ExitCode, Severity, UsageError

# Every command imports this module, lint and --help's commands too (pre-commit runs lint on
# every commit): what only some commands use is imported in the function that uses it.
if TYPE_CHECKING:  # exilebib.styles loads citeproc: only the commands that render need it
    from exilebib.model import Library
    from exilebib.styles import ResolvedStyle

P = ParamSpec("P")
R = TypeVar("R")

#: Errors of a stream that cannot take more output.
_OUTPUT_ERRNOS = frozenset({errno.ENOSPC, errno.EIO, errno.EFBIG, errno.EDQUOT})

#: Set to show a traceback for unexpected errors (for bug reports).
DEBUG_ENV = "EXILEBIB_DEBUG"


def fail(message: str, code: ExitCode = ExitCode.USAGE) -> None:
    """Print ``message`` as an error on stderr and exit with ``code``."""
    click.echo(f"exilebib: error: {message}", err=True)
    sys.exit(int(code))


def handle_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn exilebib's exceptions into a one-line message and exit code 2, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            result = command(*args, **kwargs)
            sys.stdout.flush()  # so a full disk or closed pipe is reported here, not at exit
            return result
        except ExilebibError as exc:
            fail(str(exc), exc.exit_code)
        except KeyboardInterrupt:
            click.echo("exilebib: interrupted", err=True)
            sys.exit(130)
        except BrokenPipeError:
            # The reader went away (`exilebib styles | head`): stop quietly, as a process
            # killed by SIGPIPE would, and keep Python from complaining at exit.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(128 + 13)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except OSError as exc:
            # Files are opened where their errors get a message naming them; what reaches
            # here is the output stream failing (disk full, device error) or a system error.
            if exc.errno in _OUTPUT_ERRNOS:
                fail(f"cannot write to standard output: {exc.strerror}")
            fail(f"input/output error: {exc}")
        except Exception as exc:  # a bug of ours: say so briefly, keep the trace on request
            if os.environ.get(DEBUG_ENV):
                import traceback

                traceback.print_exc()
            fail(
                f"internal error: {type(exc).__name__}: {exc} "
                f"(set {DEBUG_ENV}=1 for details, and please report it)"
            )
        raise AssertionError("unreachable")

    return wrapper


def settings() -> Settings:
    """The settings of the project around the working directory."""
    return load_settings()


def style_from(style: str | None, locale: str | None, config: Settings) -> ResolvedStyle:
    """The style named by the flags, else by the config; an error about a bad value says
    where that value came from (``--locale``, or the config file and key)."""
    from exilebib.styles import resolve_locale, resolve_style

    for option, value in (("--style", style), ("--locale", locale)):
        if value is not None and not value.strip():
            # an empty shell variable; falling back to the default would hide it
            raise UsageError(f"{option} is empty: name one (see exilebib styles) or leave "
                             "the option out for the default")
    style_name = style if style is not None else config.style
    style_origin = "--style" if style is not None else _set_in(config, "style")
    locale_name = locale if locale is not None else config.locale
    locale_origin = "--locale" if locale is not None else _set_in(config, "locale")
    if locale_name is not None:
        try:
            resolve_locale(locale_name)
        except UsageError as exc:
            raise UsageError(f"{locale_origin}: {exc}") from None
    try:
        return resolve_style(style_name, locale_name)
    except UsageError as exc:
        if style_origin is None:  # the built-in default style: not the user's doing
            raise
        raise UsageError(f"{style_origin}: {exc}") from None


def _set_in(config: Settings, key: str) -> str | None:
    """Where the config file sets ``key`` (``None``: it does not, the default applies)."""
    return config.where(key) if key in config.table else None


def library_from(path: Path | None, config: Settings) -> Library:
    """Read the sources file named on the command line, else the configured one."""
    from exilebib.sources import load_library  # the reader and bibtexparser

    return load_library(path if path is not None else config.sources)


#: Diagnostics of one rule printed before the rest are summarised (without ``--verbose``):
#: a style that renders 137 of 5,000 entries as nothing should not fill the terminal.
REPORT_LIMIT = 10

VERBOSE_HELP = f"Print every problem (by default at most {REPORT_LIMIT} of a kind, then a count)."


def report(
    diagnostics: Iterable[Diagnostic],
    minimum: Severity = Severity.WARNING,
    limit: int | None = None,
) -> None:
    """Print diagnostics at or above ``minimum`` on stderr, one a line; with ``limit``, at
    most that many of each rule, then one line with the count of the others."""
    order = [Severity.INFO, Severity.WARNING, Severity.ERROR]
    shown: Counter[str] = Counter()
    hidden: Counter[tuple[str, Severity]] = Counter()
    for diagnostic in diagnostics:
        if order.index(diagnostic.severity) < order.index(minimum):
            continue
        if limit is not None and shown[diagnostic.rule] >= limit:
            hidden[(diagnostic.rule, diagnostic.severity)] += 1
            continue
        shown[diagnostic.rule] += 1
        click.echo(str(diagnostic), err=True)
    for (rule, severity), count in hidden.items():
        total = shown[rule] + count
        plural = "s" if count > 1 else ""
        click.echo(
            f"exilebib: {count} more {severity.value}{plural} [{rule}] not shown "
            f"({total} in all; --verbose shows every one)",
            err=True,
        )


def no_directory(
    _context: click.Context, _parameter: click.Parameter, value: Path | tuple[Path, ...] | None
) -> Path | tuple[Path, ...] | None:
    """Argument callback: a folder given where a sources file belongs is refused in
    exilebib's one error form (exit 2), as lint and fmt report unreadable files."""
    for path in value if isinstance(value, tuple) else (value,):
        if path is not None and path.is_dir():
            fail(f"{path}: is a directory; name a sources file (.bib or .json) in it")
    return value


def nonempty_path(
    _context: click.Context, parameter: click.Parameter, value: Path | None
) -> Path | None:
    """Option callback: ``-o ""`` is a mistake (a shell variable left empty), not ``.``;
    ``-o -`` is standard output, as for most tools."""
    if value is not None and str(value) == "-":
        return None
    if value is not None and str(value) in ("", "."):
        raise click.BadParameter("empty file name; give a file to write, or leave -o out "
                                 "for stdout", param=parameter)
    if value is not None and value.is_dir():
        fail(f"{value}: is a directory; give -o the name of a file to write")
    return value


def write_output(text: str, output: Path | None) -> None:
    """Write to ``output`` atomically (a crash leaves the old file), or to stdout."""
    if output is None:
        click.echo(text, nl=False)
        return
    from exilebib.atomic import write_atomic  # tempfile and shutil: only when writing a file

    try:
        write_atomic(output, text)
    except OSError as exc:
        fail(f"{output}: cannot write it: {exc.strerror}")


STYLE_HELP = (
    "A preset (chicago, chicago-author-date, harvard), a style ID of the official CSL "
    "repository, or a path to a .csl file."
)

"""The command line: the only place that prints, shows progress and picks exit codes.

Each command lives in its own module in this package and registers itself on :data:`main`;
they all translate :class:`exilebib.errors.ExilebibError` into a one-line message on stderr
and :class:`exilebib.errors.ExitCode.USAGE`, never a traceback.
"""

from __future__ import annotations

import click

from exilebib import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="exilebib")
def main() -> None:
    """Keep an essay's sources as BibTeX, check their links, render the bibliography.

    \b
    Example:
      exilebib render refs/sources.bib --style harvard
    """


# Importing a command module registers its command on ``main``.
from exilebib.cli import add as _add  # noqa: E402,F401
from exilebib.cli import doc as _doc  # noqa: E402,F401
from exilebib.cli import fmt as _fmt  # noqa: E402,F401
from exilebib.cli import links as _links  # noqa: E402,F401
from exilebib.cli import lint as _lint  # noqa: E402,F401
from exilebib.cli import render as _render  # noqa: E402,F401
from exilebib.cli import styles as _styles  # noqa: E402,F401

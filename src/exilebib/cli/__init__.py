"""The command line: the only place that prints, shows progress and picks exit codes.

Each command lives in its own module in this package and registers itself on :data:`main`;
they all translate :class:`exilebib.errors.ExilebibError` into a one-line message on stderr
and :class:`exilebib.errors.ExitCode.USAGE`, never a traceback.

A command's module is imported only when that command runs (:class:`LazyGroup`), so
``exilebib --help`` and ``exilebib lint`` start without loading the CSL engine or the HTTP
client (pre-commit runs lint on every commit).
"""

from __future__ import annotations

import gc
import sys
from importlib import import_module

import click

#: command name -> (the module that defines and registers it, its one-line help as
#: ``exilebib --help`` lists it; tests/test_cli_startup.py checks both against the command)
COMMANDS: dict[str, tuple[str, str]] = {
    "add": ("exilebib.cli.add",
            "Add entries made from IDENTIFIERS: DOIs, ISBNs, Commons files or web pages."),
    "cite": ("exilebib.cli.render",
             "Print the citation of KEY[,KEY...] from SOURCES in the style."),
    "doc": ("exilebib.cli.doc",
            "Finish ESSAY (Markdown with pandoc citations such as [@key, p. 33]): every "
            "citation rendered in the style (footnotes for note styles, in place for in-text "
            "styles) and the bibliography of the cited entries appended, from SOURCES "
            "(default: the front matter's bibliography, else as for render)."),
    "fmt": ("exilebib.cli.fmt",
            "Format .bib files: one layout, nothing lost (values, comments, macros, URLs "
            "kept)."),
    "links": ("exilebib.cli.links",
              "Check that every URL cited in SOURCES still answers (default: "
              "refs/sources.bib)."),
    "lint": ("exilebib.cli.lint",
             "Check .bib files for mistakes; every finding has a file:line:col, a rule id "
             "and a hint."),
    "render": ("exilebib.cli.render",
               "Render the bibliography of SOURCES (default: refs/sources.bib)."),
    "styles": ("exilebib.cli.styles",
               "List exilebib's presets and the CSL style IDs that --style accepts."),
}


def _import_paused(module: str) -> None:
    """Import ``module`` with the cyclic garbage collector paused.

    Importing a command builds thousands of long-lived objects (classes, functions, compiled
    patterns) and no garbage; each allocation burst made the collector walk all of them
    again, about a tenth of ``exilebib lint``'s start-up. It resumes as it was afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        import_module(module)
    finally:
        if enabled:
            gc.enable()


class LazyGroup(click.Group):
    """A group whose commands are imported when one is asked for by name."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(COMMANDS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            _import_paused(COMMANDS[cmd_name][0])  # the module registers its commands
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list from :data:`COMMANDS`, without importing the commands."""
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            command = self.commands.get(name)
            if command is not None:
                rows.append((name, command.get_short_help_str(limit)))
            else:
                # the listing click makes of a command with this help
                stand_in = click.Command(name, help=COMMANDS[name][1])
                rows.append((name, stand_in.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="exilebib", prog_name="exilebib")  # read when asked
def main() -> None:
    """Keep an essay's sources as BibTeX, check their links, render the bibliography.

    \b
    Example:
      exilebib render refs/sources.bib --style harvard
    """


def run() -> None:
    """The ``exilebib`` program (the console script, ``python -m exilebib``): :data:`main`
    in a process of its own.

    The command named on the command line is imported first (:func:`_import_paused`; click
    then finds it registered), and everything imported is then taken out of the cyclic
    garbage collector's sight (:func:`gc.freeze`): modules, classes and functions live as
    long as the process, and walking them again during the run and at exit cost about a
    tenth of ``exilebib lint``'s start-up. Only a process of exilebib's own does this;
    :data:`main` called from Python (tests, other programs) leaves the collector alone.
    """
    if len(sys.argv) > 1 and sys.argv[1] in COMMANDS:  # the group's options are -h, --version
        _import_paused(COMMANDS[sys.argv[1]][0])
    gc.freeze()
    main()

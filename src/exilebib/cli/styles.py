"""``exilebib styles``: list presets, installed styles and locales."""

from __future__ import annotations

import click

from exilebib.cli import main
from exilebib.cli.common import handle_errors
from exilebib.errors import ExitCode
from exilebib.styles import available_locales, available_style_ids, presets


@main.command()
@click.option("--locales", "show_locales", is_flag=True, help="List locale codes instead.")
@click.option(
    "--search", metavar="TEXT", help="Only style IDs (or, with --locales, locales) containing TEXT."
)
@handle_errors
def styles(show_locales: bool, search: str | None) -> None:
    """List exilebib's presets and the CSL style IDs that --style accepts.

    \b
    Examples:
      exilebib styles --search harvard
      exilebib styles --locales --search fr
    """
    wanted = (search or "").lower()
    if show_locales:
        found = [code for code in available_locales() if wanted in code.lower()]
        for code in found:
            click.echo(code)
    else:
        if search is None:
            click.echo("Presets:")
            for preset in presets().values():
                line = f"  {preset.name:<22} {preset.style} ({preset.locale})"
                click.echo(f"{line}: {preset.description}")
            click.echo("\nStyle IDs (exilebib styles --search TEXT to filter):")
        found = [style_id for style_id in available_style_ids() if wanted in style_id]
        for style_id in found:
            click.echo(f"  {style_id}" if search is None else style_id)
    if not found:
        # as grep does: a search that matches nothing is exit 1, with a word on stderr
        what = "locale" if show_locales else "style ID"
        click.echo(f"exilebib: no {what} contains '{search}'", err=True)
        raise SystemExit(int(ExitCode.FINDINGS))

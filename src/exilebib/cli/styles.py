"""``exilebib styles``: list presets, installed styles and locales."""

from __future__ import annotations

import click

from exilebib.cli import main
from exilebib.cli.common import handle_errors
from exilebib.errors import ExitCode
from exilebib.styles import available_locales, available_style_ids, presets, search_styles


@main.command()
@click.option("--locales", "show_locales", is_flag=True, help="List locale codes instead.")
@click.option(
    "--search",
    metavar="TEXT",
    help="Only styles whose ID or title contains every word of TEXT (or, with --locales, "
    "locale codes containing TEXT); case does not matter.",
)
@handle_errors
def styles(show_locales: bool, search: str | None) -> None:
    """List exilebib's presets and the CSL style IDs that --style accepts.

    --search prints the matching IDs with their titles: "modern language" and "mla" both
    find modern-language-association.

    \b
    Examples:
      exilebib styles --search harvard
      exilebib styles --search "harvard cite"
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
            found = list(available_style_ids())
            for style_id in found:
                click.echo(f"  {style_id}")
        else:
            matches = search_styles(search)
            found = [style_id for style_id, _ in matches]
            width = max((len(style_id) for style_id in found), default=0)
            for style_id, title in matches:
                click.echo(f"{style_id:<{width}}  {title}".rstrip())
    if not found:
        # as grep does: a search that matches nothing is exit 1, with a word on stderr
        if show_locales:
            click.echo(f"exilebib: no locale contains '{search}'", err=True)
        else:
            click.echo(f"exilebib: no style ID or title contains '{search}'", err=True)
        raise SystemExit(int(ExitCode.FINDINGS))

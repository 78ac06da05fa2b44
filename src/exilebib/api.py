"""exilebib's Python API beside the engine: reading sources and checking their links.

Import from :mod:`exilebib` itself (``from exilebib import Engine, read_sources``); the
names are loaded when first used, so ``import exilebib`` stays cheap.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from exilebib.csl import CslItem, to_csl_json
from exilebib.links import LinkCache, LinkResult, LinkSettings, collect_links
from exilebib.links import check_links as _check_links
from exilebib.model import Library
from exilebib.sources import load_library, rendered_sources


def read_sources(path: str | os.PathLike[str]) -> Library:
    """The entries of a BibTeX (``.bib``) or CSL-JSON (``.json``) file, with what was wrong
    with them in ``Library.diagnostics``. A file that cannot be read at all raises
    :class:`~exilebib.errors.InputError`."""
    return load_library(Path(path))


def csl_items(library: Library) -> list[CslItem]:
    """The library's entries as CSL-JSON items for :meth:`exilebib.Engine.bibliography`,
    as ``exilebib render`` renders them: the first entry of a duplicated key, with the
    fields its ``crossref`` parent supplies."""
    return to_csl_json(rendered_sources(library))


def check_links(
    sources: Library | Iterable[Library],
    settings: LinkSettings | None = None,
    *,
    cache: LinkCache | None = None,
) -> tuple[LinkResult, ...]:
    """Check every URL and DOI the sources cite (see :func:`exilebib.links.check_links`):
    one :class:`~exilebib.links.LinkResult` per link, with its verdict."""
    libraries = [sources] if isinstance(sources, Library) else list(sources)
    return _check_links(collect_links(libraries), settings, cache=cache)

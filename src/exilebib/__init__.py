"""exilebib: an essay's sources as BibTeX, link-checked and rendered through CSL styles.

The library returns data and never prints; :mod:`exilebib.cli` is the only module that
talks to the terminal and picks exit codes.

The Python API (see docs/engine.md)::

    from exilebib import Engine, csl_items, read_sources

    library = read_sources("refs.bib")  # library.diagnostics: what was wrong with it
    bibliography = Engine("chicago").bibliography(csl_items(library))
    for entry in bibliography.entries:
        print(entry.id, entry.text)

Each name is imported when first used (PEP 562), so ``import exilebib`` (and every command
that needs none of them) does not load the CSL engine or the HTTP client.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    __version__: str
    from exilebib.api import check_links, csl_items, read_sources
    from exilebib.engine import (
        Bibliography,
        CiteCluster,
        CiteRequest,
        Engine,
        RenderedEntry,
    )
    from exilebib.errors import ExilebibError, InputError, RenderError, UsageError
    from exilebib.links import LinkResult, LinkSettings, Verdict
    from exilebib.model import Library, Source

#: public name -> the module that defines it
_EXPORTS = {
    "Engine": "exilebib.engine",
    "Bibliography": "exilebib.engine",
    "RenderedEntry": "exilebib.engine",
    "CiteCluster": "exilebib.engine",
    "CiteRequest": "exilebib.engine",
    "read_sources": "exilebib.api",
    "check_links": "exilebib.api",
    "csl_items": "exilebib.api",
    "Library": "exilebib.model",
    "Source": "exilebib.model",
    "LinkResult": "exilebib.links",
    "LinkSettings": "exilebib.links",
    "Verdict": "exilebib.links",
    "ExilebibError": "exilebib.errors",
    "InputError": "exilebib.errors",
    "RenderError": "exilebib.errors",
    "UsageError": "exilebib.errors",
}

__all__ = [
    "Bibliography",
    "CiteCluster",
    "CiteRequest",
    "Engine",
    "ExilebibError",
    "InputError",
    "Library",
    "LinkResult",
    "LinkSettings",
    "RenderError",
    "RenderedEntry",
    "Source",
    "UsageError",
    "Verdict",
    "__version__",
    "check_links",
    "csl_items",
    "read_sources",
]


def _version() -> str:
    # importlib.metadata costs a third of a short command's start-up: read when asked
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("exilebib")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0.0.0"


def __getattr__(name: str) -> Any:
    if name == "__version__":
        value: Any = _version()
        globals()[name] = value
        return value
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'exilebib' has no attribute '{name}'")
    value = getattr(import_module(module), name)
    globals()[name] = value  # the next lookup is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(__all__)

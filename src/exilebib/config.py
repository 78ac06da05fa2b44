"""``[tool.exilebib]`` in ``pyproject.toml`` (or a top-level table in ``exilebib.toml``).

The nearest such file at or above the working directory is read once into a frozen
:class:`Settings`; command-line flags override it. Keys this module does not know are an
error, so a typo in the config does not silently change nothing.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from exilebib.errors import UsageError

#: Where ``render``, ``links`` and ``lint`` look when no sources file is named.
DEFAULT_SOURCES = Path("refs/sources.bib")
#: The preset used when neither the config nor ``--style`` names one.
DEFAULT_STYLE = "chicago"
#: The essay's sections, in its order; a source joins the first group among its keywords.
DEFAULT_GROUPS: tuple[str, ...] = ("images", "primary", "secondary")

#: Sub-tables owned by other commands (read by their own modules).
SUBTABLES = frozenset({"links", "lint", "fmt", "group-titles"})
_KEYS = frozenset({"sources", "style", "locale", "groups", "title-case"}) | SUBTABLES
#: ``title-case``: English titles converted to sentence case (as pandoc reads a .bib), or
#: printed as the .bib writes them.
TITLE_CASES = ("sentence", "as-written")


@dataclass(frozen=True, slots=True)
class Group:
    """A titled section of the bibliography: sources whose keywords include ``keyword``."""

    keyword: str
    title: str


@dataclass(frozen=True, slots=True)
class Settings:
    """The project's settings; ``origin`` is the file they came from, if any."""

    sources: Path = DEFAULT_SOURCES
    style: str = DEFAULT_STYLE
    locale: str | None = None
    #: one of :data:`TITLE_CASES`
    title_case: str = "sentence"
    groups: tuple[Group, ...] = tuple(Group(k, k.capitalize()) for k in DEFAULT_GROUPS)
    origin: Path | None = None
    #: the raw ``[tool.exilebib]`` table, for commands that own a sub-table
    table: dict[str, Any] = field(default_factory=dict)

    def section(self, name: str) -> dict[str, Any]:
        """A sub-table such as ``[tool.exilebib.links]`` (empty when absent)."""
        value = self.table.get(name, {})
        return value if isinstance(value, dict) else {}


def find_config(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """The nearest ``exilebib.toml`` or ``pyproject.toml`` with a ``[tool.exilebib]`` table."""
    for folder in (start, *start.parents):
        own = folder / "exilebib.toml"
        if own.is_file():
            return own, _load(own)
        project = folder / "pyproject.toml"
        if project.is_file():
            table = _load(project).get("tool", {}).get("exilebib")
            if isinstance(table, dict):
                return project, table
    return None


def _load(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read it: {exc.strerror}") from None


def _groups(value: Any, titles: dict[str, Any], origin: Path) -> tuple[Group, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UsageError(f"{origin}: [tool.exilebib] groups must be a list of keywords")
    return tuple(Group(k, str(titles.get(k, k.capitalize()))) for k in value)


def _shown(path: Path) -> Path:
    """``path`` relative to the working directory when it lies below it: messages then
    read ``refs/sources.bib:12``, as the user would type it."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def load_settings(start: Path | None = None) -> Settings:
    """Settings from the nearest config file, or the defaults when there is none."""
    found = find_config((start or Path.cwd()).resolve())
    if found is None:
        return Settings()
    origin, table = found
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise UsageError(
            f"{origin}: unknown key(s) in [tool.exilebib]: {', '.join(unknown)} "
            f"(known: {', '.join(sorted(_KEYS))})"
        )
    base = origin.parent
    settings = Settings(origin=origin, table=table)
    sources = table.get("sources")
    style = table.get("style", DEFAULT_STYLE)
    locale = table.get("locale")
    for key, value in (("sources", sources), ("style", style), ("locale", locale)):
        if value is not None and not isinstance(value, str):
            raise UsageError(f"{origin}: [tool.exilebib] {key} must be a string")
    title_case = table.get("title-case", "sentence")
    if title_case not in TITLE_CASES:
        raise UsageError(
            f"{origin}: [tool.exilebib] title-case must be one of "
            f"{', '.join(repr(v) for v in TITLE_CASES)}, not {title_case!r}"
        )
    titles = table.get("group-titles", {})
    if not isinstance(titles, dict):
        raise UsageError(f"{origin}: [tool.exilebib.group-titles] must be a table")
    groups = (
        _groups(table["groups"], titles, origin)
        if "groups" in table
        else tuple(Group(g.keyword, str(titles.get(g.keyword, g.title))) for g in settings.groups)
    )
    stray = sorted(set(titles) - {group.keyword for group in groups})
    if stray:
        raise UsageError(
            f"{origin}: [tool.exilebib.group-titles] names {', '.join(stray)}, which "
            f"is not among the groups ({', '.join(g.keyword for g in groups)})"
        )
    return Settings(
        sources=_shown((base / sources) if sources else base / DEFAULT_SOURCES),
        style=style,
        locale=locale,
        title_case=title_case,
        groups=groups,
        origin=origin,
        table=table,
    )

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

#: The config file of its own (settings at its top level), beside pyproject.toml's table.
OWN_FILE = "exilebib.toml"

#: Sub-tables owned by other commands (read by their own modules).
SUBTABLES = frozenset({"links", "lint", "fmt", "group-titles", "add"})
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
    #: the user configured ``groups``: the sections apply to every file, even one whose
    #: entries carry none of the keywords (see :func:`exilebib.render.applicable_groups`)
    groups_set: bool = False
    #: the raw ``[tool.exilebib]`` table, for commands that own a sub-table
    table: dict[str, Any] = field(default_factory=dict)

    def section(self, name: str) -> dict[str, Any]:
        """A sub-table such as ``[tool.exilebib.links]`` (empty when absent)."""
        value = self.table.get(name, {})
        return value if isinstance(value, dict) else {}

    @property
    def shown_origin(self) -> str:
        """The config file as messages name it (relative to the working directory)."""
        return str(_shown(self.origin)) if self.origin is not None else "config"

    def table_name(self, sub: str | None = None) -> str:
        """A table as the user wrote it: ``[tool.exilebib.links]`` in ``pyproject.toml``,
        ``[links]`` in ``exilebib.toml`` (whose top level is the settings themselves)."""
        return table_name(self.origin, sub)

    def where(self, key: str | None = None, sub: str | None = None) -> str:
        """Where a value was set, for error messages: ``pyproject.toml: [tool.exilebib.links]
        timeout`` or ``exilebib.toml: [links] timeout`` (``exilebib.toml: style`` for a key
        at the top of that file)."""
        return where(self.origin, key, sub)


def table_name(origin: Path | None, sub: str | None = None) -> str:
    """See :meth:`Settings.table_name`; ``""`` for the top level of ``exilebib.toml``."""
    if origin is not None and origin.name == OWN_FILE:
        return f"[{sub}]" if sub else ""
    return f"[tool.exilebib.{sub}]" if sub else "[tool.exilebib]"


def where(origin: Path | None, key: str | None = None, sub: str | None = None) -> str:
    """See :meth:`Settings.where`."""
    parts = [table_name(origin, sub), key or ""]
    name = " ".join(part for part in parts if part) or "top level"
    return f"{Settings(origin=origin).shown_origin}: {name}"


def find_config(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """The nearest ``exilebib.toml`` or ``pyproject.toml`` with a ``[tool.exilebib]`` table."""
    for folder in (start, *start.parents):
        own = folder / OWN_FILE
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
        raise UsageError(
            f'{where(origin, "groups")} must be a list of keywords, e.g. groups = ["primary"]'
        )
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
            f"{where(origin)}: unknown key(s) {', '.join(unknown)} "
            f"(known: {', '.join(sorted(_KEYS))})"
        )
    base = origin.parent
    settings = Settings(origin=origin, table=table)
    sources = table.get("sources")
    style = table.get("style", DEFAULT_STYLE)
    locale = table.get("locale")
    for key, value in (("sources", sources), ("style", style), ("locale", locale)):
        if value is not None and not isinstance(value, str):
            raise UsageError(f"{where(origin, key)} = {value!r} must be a string")
    for name in SUBTABLES:
        if name in table and not isinstance(table[name], dict):
            raise UsageError(
                f"{where(origin, name)} must be a table: write {table_name(origin, name)} "
                "on a line of its own, then its keys"
            )
    title_case = table.get("title-case", "sentence")
    if title_case not in TITLE_CASES:
        raise UsageError(
            f"{where(origin, 'title-case')} = {title_case!r} must be one of "
            f"{', '.join(repr(v) for v in TITLE_CASES)}"
        )
    titles = table.get("group-titles", {})
    groups = (
        _groups(table["groups"], titles, origin)
        if "groups" in table
        else tuple(Group(g.keyword, str(titles.get(g.keyword, g.title))) for g in settings.groups)
    )
    stray = sorted(set(titles) - {group.keyword for group in groups})
    if stray:
        raise UsageError(
            f"{where(origin, sub='group-titles')} names {', '.join(stray)}, which "
            f"is not among the groups ({', '.join(g.keyword for g in groups)})"
        )
    return Settings(
        sources=_shown((base / sources) if sources else base / DEFAULT_SOURCES),
        style=style,
        locale=locale,
        title_case=title_case,
        groups=groups,
        origin=origin,
        groups_set="groups" in table,
        table=table,
    )

"""``[tool.exilebib.lint]`` → a frozen :class:`LintSettings`.

The table is read from the project config (:mod:`exilebib.config`: the nearest
``exilebib.toml`` or ``pyproject.toml`` with ``[tool.exilebib]``)::

    [tool.exilebib]
    groups = ["images", "primary", "secondary"]

    [tool.exilebib.lint]
    disable = ["title-capitals"]                    # rule ids switched off everywhere
    severity = { urldate-recommended = "warning" }  # a rule's severity, changed
    groups = ["images", "primary", "secondary"]     # overrides [tool.exilebib] groups

A bad table is a :class:`~exilebib.errors.UsageError` naming the key and the fix.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from exilebib.config import DEFAULT_GROUPS, Settings
from exilebib.errors import Severity, UsageError

_KEYS = frozenset({"disable", "severity", "groups"})


@dataclass(frozen=True)
class LintSettings:
    """What the linter runs and how loud each rule is."""

    disable: frozenset[str] = frozenset()  #: rule ids switched off
    severity: Mapping[str, Severity] = field(default_factory=dict)  #: rule id → severity
    groups: tuple[str, ...] = DEFAULT_GROUPS  #: keywords that put an entry in a group
    #: the user configured the groups: every entry must be in one. Otherwise the default
    #: groups are the essay's convention, checked only in a file that follows it (one of
    #: its entries carries a group keyword).
    groups_set: bool = False


def _strings(value: object, where: str, name: str) -> tuple[str, ...]:
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    raise UsageError(f'{where} {name} must be a list of strings, e.g. {name} = ["a", "b"]')


def lint_settings(config: Settings, known_rules: Collection[str]) -> LintSettings:
    """The lint settings of ``config`` (its ``[tool.exilebib.lint]`` table)."""
    table: dict[str, Any] = config.section("lint")
    where = config.where(sub="lint")
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise UsageError(
            f"{where}: unknown key(s) {', '.join(unknown)} (known: {', '.join(sorted(_KEYS))})"
        )
    disable = frozenset(_strings(table.get("disable", []), where, "disable"))
    check_rule_ids(disable, known_rules, f"{where} disable")
    severity_table = table.get("severity", {})
    if not isinstance(severity_table, dict):
        raise UsageError(
            f'{where} severity must be a table, e.g. severity = {{ rule-id = "error" }}'
        )
    levels = {level.value: level for level in Severity}
    severity: dict[str, Severity] = {}
    for rule_id, level in severity_table.items():
        check_rule_ids([rule_id], known_rules, f"{where} severity")
        if level not in levels:
            raise UsageError(
                f"{where} severity.{rule_id} = {level!r}: use one of {', '.join(levels)}"
            )
        severity[rule_id] = levels[level]
    if "groups" in table:
        groups = _strings(table["groups"], where, "groups")
    else:
        groups = tuple(group.keyword for group in config.groups)
    return LintSettings(disable, severity, groups, "groups" in table or config.groups_set)


def check_rule_ids(ids: Collection[str], known_rules: Collection[str], where: str) -> None:
    """Raise a :class:`UsageError` for an id that names no rule (a typo would hide nothing)."""
    for rule_id in ids:
        if rule_id not in known_rules:
            raise UsageError(
                f"{where}: no lint rule is called {rule_id!r}; "
                "`exilebib lint --list-rules` lists them"
            )

"""The rule registry: every lint rule's stable id, default severity and one-line summary.

Rules are data. Each family module registers its rules here with :func:`rule` (or, for the
reader's structure rules defined in :mod:`exilebib.structure`, with :func:`register`) and
yields :class:`Finding` records from a ``check`` function; the engine turns findings into
located :class:`~exilebib.errors.Diagnostic` records, applies the configured severities and
drops what the user switched off.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from exilebib.errors import Severity
from exilebib.structure.rules import Finding, Rule

if TYPE_CHECKING:
    from exilebib.lint.context import LintContext

__all__ = ["CHECKS", "RULES", "Check", "Finding", "Rule", "check", "register", "rule"]

Check = Callable[["LintContext"], Iterator[Finding]]

#: Every rule, by id, in registration order (the order of ``--list-rules``).
RULES: dict[str, Rule] = {}
#: Every family's check function, run in registration order.
CHECKS: list[Check] = []


def register(*rules: Rule) -> None:
    """Register rules defined elsewhere (the reader's); ids are unique."""
    for registered in rules:
        if registered.id in RULES:
            raise ValueError(f"lint rule {registered.id!r} registered twice")
        RULES[registered.id] = registered


def rule(rule_id: str, severity: Severity, family: str, summary: str) -> Rule:
    """Register a rule; ids are unique."""
    registered = Rule(rule_id, severity, family, summary)
    register(registered)
    return registered


def check(function: Check) -> Check:
    """Register a family's check function."""
    CHECKS.append(function)
    return function

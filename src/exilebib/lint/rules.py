"""The rule registry: every lint rule's stable id, default severity and one-line summary.

Rules are data. Each family module registers its rules here with :func:`rule` and yields
:class:`Finding` records from a ``check`` function; the engine turns findings into located
:class:`~exilebib.errors.Diagnostic` records, applies the configured severities and drops
what the user switched off.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from exilebib.errors import Severity
from exilebib.model import Location

if TYPE_CHECKING:
    from exilebib.lint.context import EntryView, LintContext


@dataclass(frozen=True, slots=True)
class Rule:
    """A lint rule: ``id`` never changes once released; ``severity`` is the default."""

    id: str
    severity: Severity
    family: str  #: the module that implements it (``syntax``, ``dates``, ...)
    summary: str  #: what the rule checks, one line, for ``--list-rules`` and the README


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule firing. Located by ``offset`` into the linted text, or by ``location``.

    ``entry`` is the entry the finding is about (its suppression comment applies).
    """

    rule: Rule
    message: str
    hint: str
    key: str | None = None
    offset: int | None = None
    location: Location | None = None
    entry: EntryView | None = None


Check = Callable[["LintContext"], Iterator[Finding]]

#: Every rule, by id, in registration order (the order of ``--list-rules``).
RULES: dict[str, Rule] = {}
#: Every family's check function, run in registration order.
CHECKS: list[Check] = []


def rule(rule_id: str, severity: Severity, family: str, summary: str) -> Rule:
    """Register a rule; ids are unique."""
    if rule_id in RULES:
        raise ValueError(f"lint rule {rule_id!r} registered twice")
    registered = Rule(rule_id, severity, family, summary)
    RULES[rule_id] = registered
    return registered


def check(function: Check) -> Check:
    """Register a family's check function."""
    CHECKS.append(function)
    return function
